using System.Linq;
using Autodiff.Weaver.Differentiation;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Loading;
using Autodiff.Weaver.Pipeline;

namespace Autodiff.Tests.Differentiation;

/// <summary>Synthesizes a derivative and runs it in the IR interpreter.</summary>
public static class Derive
{
    /// <summary>Verifies the primal, synthesizes its derivative and verifies that too.</summary>
    public static IrMethod Synthesize(IrMethod primal, DifferentiationRequest request)
    {
        IrVerifier.Check(primal);
        var derivative = DerivativeSynthesizer.Synthesize(primal, request, new WeaverOptions());
        IrVerifier.Check(derivative);
        return derivative;
    }

    /// <summary>The derivative's result elements at <paramref name="arguments"/> (derivative parameters, in signature order).</summary>
    public static double[] Run(IrMethod primal, DifferentiationRequest request, params object[] arguments) =>
        IrInterpreter.Elements(IrInterpreter.Run(Synthesize(primal, request), arguments));

    /// <summary>Reverse mode with every parameter and the return Active: (value, ∂f/∂x₀, …) at <paramref name="point"/> with seed 1.</summary>
    public static double[] Gradient(IrMethod primal, params object[] point)
    {
        var activities = Enumerable.Repeat(ActivityKind.Active, primal.Parameters.Count + 1).ToArray();
        var seed = point[0] is float ? (object)1f : 1.0;
        return Run(primal, TestRequests.Reverse(primal, activities), point.Append(seed).ToArray());
    }

    /// <summary>Forward mode, every parameter and the return Dual: (value, Σ ∂f/∂xᵢ·dxᵢ).</summary>
    public static double[] Directional(IrMethod primal, object[] point, object[] direction)
    {
        var activities = Enumerable.Repeat(ActivityKind.Dual, primal.Parameters.Count + 1).ToArray();
        var arguments = point.Zip(direction, (p, d) => new[] { p, d }).SelectMany(pair => pair).ToArray();
        return Run(primal, TestRequests.Forward(primal, activities), arguments);
    }
}
