using System.Collections.Generic;
using Autodiff.Weaver.Analysis;
using Autodiff.Weaver.Differentiation.Forward;
using Autodiff.Weaver.Differentiation.Memory;
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
        var seeds = Seeds(primal, request, types);
        var activity = ActivityAnalysis.Run(primal, types, seeds, DerivativeRules.CarriesDerivative);
        AnalysisDump.WriteRequested(options, types, activity);
        SupportCheck.Run(primal, request, types, activity, seeds.Memory);

        var frame = DerivativeFrame.Create(primal, request);
        var memory = new ShadowMemory(frame, seeds.Memory);
        if (request.Mode == DerivativeMode.Forward)
            TangentSynthesizer.Run(frame, activity, memory);
        else if (BranchingSweepBuilder.IsNeeded(primal, activity, seeds.Memory))
            BranchingSweepBuilder.Run(frame, activity, memory);
        else
            ReverseSweepBuilder.Run(frame, activity);
        // Last, so that they land first: every other entry instruction was inserted before them.
        if ((options.Flags & WeaverFlags.NoSafetyChecks) == 0)
            ShadowArgumentChecks.Emit(frame, seeds.Memory);
        return frame.Method;
    }

    private static ActivitySeeds Seeds(IrMethod primal, DifferentiationRequest request, TypeAnalysis types)
    {
        var active = new List<Parameter>();
        var shadowed = new List<Parameter>();
        for (var i = 0; i < request.ParameterActivities.Count; i++)
        {
            var parameter = primal.Parameters[i];
            if (request.ParameterActivities[i] is ActivityKind.Active or ActivityKind.ActiveOnly)
                active.Add(parameter);
            else if (request.ParameterActivities[i] is not ActivityKind.Const)
                (types.IsDifferentiable(parameter) ? active : shadowed).Add(parameter);
        }
        return new ActivitySeeds(active, request.ReturnActivity is { } r && IsDifferentiated(r), new ShadowedMemory(shadowed));
    }

    // A returned value carries a derivative when reverse Active/ActiveOnly or forward Dual/DualOnly.
    private static bool IsDifferentiated(ActivityKind activity) =>
        activity is ActivityKind.Active or ActivityKind.ActiveOnly or ActivityKind.Dual or ActivityKind.DualOnly;
}
