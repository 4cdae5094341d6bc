using System;
using MathNet.Numerics.Differentiation;

namespace Autodiff.Benchmarks.FiniteDifferences;

/// <summary>
/// Finite differences from MathNet.Numerics: <see cref="NumericalJacobian"/> for a full gradient, and
/// <see cref="NumericalDerivative"/> (3-point central, the same stencil) for a strided subset of partials when the
/// full gradient is too expensive to time and its cost is extrapolated.
/// </summary>
public sealed class MathNetDifferences
{
    private readonly NumericalJacobian jacobian = new();
    private readonly NumericalDerivative derivative = new(3, 1);

    /// <summary>The whole gradient of <paramref name="f"/> at <paramref name="x"/>.</summary>
    public double[] Gradient(Func<double[], double> f, double[] x) => jacobian.Evaluate(f, x);

    /// <summary>Writes ∂f/∂xⱼ into <paramref name="gradient"/>[j] for j = 0, stride, 2·stride, ….</summary>
    public void Partials(Func<double[], double> f, double[] x, double[] gradient, int stride)
    {
        for (int j = 0; j < x.Length; j += stride)
        {
            gradient[j] = derivative.EvaluatePartialDerivative(f, x, j, 1);
        }
    }
}
