using System.Collections.Generic;
using Autodiff.Weaver.Analysis;
using Autodiff.Weaver.Differentiation.Forward;
using Autodiff.Weaver.Differentiation.Reverse;
using Autodiff.Weaver.Differentiation.Rules;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Loading;
using Autodiff.Weaver.Pipeline;

namespace Autodiff.Weaver.Differentiation;

/// <summary>
/// Builds the derivative of one primal for one request: type analysis, activity analysis, support check,
/// then a copy of the primal extended by the forward (tangent) or reverse (adjoint) mode.
/// </summary>
public static class DerivativeSynthesizer
{
    /// <summary>
    /// A new method in <paramref name="primal"/>'s module whose parameters are those of
    /// <c>request.Signature.Parameters</c> and whose return type is <c>request.Signature.ReturnType</c>.
    /// The primal is left unchanged. Throws <see cref="Diagnostics.WeaverException"/> for unsupported input.
    /// </summary>
    public static IrMethod Synthesize(IrMethod primal, DifferentiationRequest request, WeaverOptions options)
    {
        var types = TypeAnalysis.Run(primal);
        var activity = ActivityAnalysis.Run(primal, types, Seeds(primal, request), DerivativeRules.CarriesDerivative);
        AnalysisDump.WriteRequested(options, types, activity);
        SupportCheck.Run(primal, request, types, activity);

        var frame = DerivativeFrame.Create(primal, request);
        if (request.Mode == DerivativeMode.Forward)
            TangentSynthesizer.Run(frame, activity);
        else if (BranchingSweepBuilder.IsNeeded(primal, activity))
            BranchingSweepBuilder.Run(frame, activity);
        else
            ReverseSweepBuilder.Run(frame, activity);
        return frame.Method;
    }

    private static ActivitySeeds Seeds(IrMethod primal, DifferentiationRequest request)
    {
        var active = new List<Parameter>();
        for (var i = 0; i < request.ParameterActivities.Count; i++)
        {
            if (IsDifferentiated(request.ParameterActivities[i]))
                active.Add(primal.Parameters[i]);
        }
        return new ActivitySeeds(active, request.ReturnActivity is { } r && IsDifferentiated(r));
    }

    // Reverse Active/ActiveOnly and forward Dual/DualOnly; Duplicated references arrive with memory support.
    private static bool IsDifferentiated(ActivityKind activity) =>
        activity is ActivityKind.Active or ActivityKind.ActiveOnly or ActivityKind.Dual or ActivityKind.DualOnly;
}
