using System.Collections.Generic;
using System.Linq;
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
        var (activity, shadowed) = Analyze(primal, request, options);
        var frame = DerivativeFrame.Create(primal, request);
        var memory = new ShadowMemory(frame, shadowed);
        Bcl.ShadowMirrors.Emit(frame, memory);
        PerfReport report;
        if (request.Mode == DerivativeMode.Forward)
        {
            TangentSynthesizer.Run(frame, activity, memory);
            report = new PerfReport(primal, "forward mode: tangents are computed next to the primal values; nothing is cached");
        }
        else if (BranchingSweepBuilder.IsNeeded(primal, activity, shadowed))
        {
            report = BranchingSweepBuilder.Run(frame, activity, memory);
        }
        else
        {
            ReverseSweepBuilder.Run(frame, activity);
            report = new PerfReport(primal, "reverse mode without active merges: one straight-line sweep per return reads the forward SSA values directly; nothing is cached or allocated");
        }
        report.WriteRequested(options, request.Derivative.Name);

        // Last, so that they land first: every other entry instruction was inserted before them.
        if ((options.Flags & WeaverFlags.NoSafetyChecks) == 0)
            ShadowArgumentChecks.Emit(frame, shadowed);
        return frame.Method;
    }

    /// <summary>
    /// Type and activity analysis of <paramref name="primal"/> for <paramref name="request"/>, and the support check:
    /// which values are active and which memory is shadowed. Throws <see cref="Diagnostics.WeaverException"/> for unsupported input.
    /// </summary>
    public static (ActivityAnalysis Activity, ShadowedMemory Memory) Analyze(IrMethod primal, DifferentiationRequest request, WeaverOptions options)
    {
        // Enzyme differentiates after inlining and SROA: constructors that do work are inlined on an uninitialized
        // object, helpers taking or returning structs are inlined, then struct values become their float/double leaves.
        ConstructorInlining.Run(primal, request.Derivative.Module);
        Calls.StructCallInlining.Run(primal, request.Derivative.Module);
        var structs = StructScalarization.Run(primal);
        var types = TypeAnalysis.Run(primal);
        var seeds = Seeds(primal, request, types, structs.ReturnSlot);
        var activity = ActivityAnalysis.Run(primal, types, seeds, DerivativeRules.CarriesDerivative);
        // Shadowing an allocation makes its loads varied, which may put active values into further allocations.
        for (var stored = NeededAllocations(primal, request, activity, seeds.Memory); stored.Count > 0; stored = NeededAllocations(primal, request, activity, seeds.Memory))
        {
            seeds = seeds with { Memory = seeds.Memory.WithAllocations(stored) };
            activity = ActivityAnalysis.Run(primal, types, seeds, DerivativeRules.CarriesDerivative);
        }
        AnalysisDump.WriteRequested(options, types, activity);
        MemorySupportCheck.CheckRoots(primal, seeds.Memory);
        // An uncovered BCL member taking a whole struct (Vector3.Lerp) is named as such before the struct is reported.
        Bcl.BclSupport.Check(primal, activity, seeds.Memory);
        structs.RejectActiveWholeStructs(activity, primal);
        SupportCheck.Run(primal, request, types, activity, seeds.Memory);
        return (activity, seeds.Memory);
    }

    // Allocations storing active values or stored into shadows, and arrays passed to or returned from differentiated calls.
    private static List<Instruction> NeededAllocations(IrMethod primal, DifferentiationRequest request, ActivityAnalysis activity, ShadowedMemory memory) =>
        ShadowAllocations.Needed(primal, activity, memory).Concat(Calls.CallAllocations.Needed(primal, request, activity, memory)).Distinct().ToList();

    private static ActivitySeeds Seeds(IrMethod primal, DifferentiationRequest request, TypeAnalysis types, Instruction? returnSlot)
    {
        var active = new List<Parameter>();
        var shadowed = new List<Parameter>();
        for (var i = 0; i < request.ParameterActivities.Count; i++)
        {
            var parameter = primal.Parameters[i];
            if (request.ParameterActivities[i] is ActivityKind.Const)
                continue;
            if (types.IsDifferentiable(parameter))
                active.Add(parameter);
            else if (request.ParameterActivities[i] is not (ActivityKind.Active or ActivityKind.ActiveOnly) || DifferentiableStruct.Is(parameter.Type))
                shadowed.Add(parameter);
        }
        // A returned struct is differentiated through its return slot's shadow, not as an active returned scalar.
        return new ActivitySeeds(active, request.ReturnActivity is { } r && IsDifferentiated(r) && returnSlot == null, new ShadowedMemory(shadowed, returnSlot));
    }

    // A returned value carries a derivative when reverse Active/ActiveOnly or forward Dual/DualOnly.
    private static bool IsDifferentiated(ActivityKind activity) =>
        activity is ActivityKind.Active or ActivityKind.ActiveOnly or ActivityKind.Dual or ActivityKind.DualOnly;
}
