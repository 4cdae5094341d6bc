using System.Linq;
using Autodiff.Weaver.Analysis;
using Autodiff.Weaver.Differentiation.Rules;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Differentiation.Memory;
using Autodiff.Weaver.Loading;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation;

/// <summary>
/// Rejects, before anything is built, every primal this slice would differentiate wrongly: an active
/// operation without a rule, and a varied value escaping where the analysis cannot follow it (memory,
/// calls without rules). Never silently wrong output (preamble rule).
/// </summary>
public static class SupportCheck
{
    public static void Run(IrMethod primal, DifferentiationRequest request, TypeAnalysis types, ActivityAnalysis activity, ShadowedMemory memory)
    {
        for (var i = 0; i < request.ParameterActivities.Count; i++)
        {
            var parameter = primal.Parameters[i];
            if (request.ParameterActivities[i] != ActivityKind.Const && !types.IsDifferentiable(parameter) && !memory.Roots.Contains(parameter))
                throw DifferentiationErrors.UnsupportedValue(parameter.Type, parameter.Name ?? "this", primal);
        }
        if (request.ReturnActivity is ActivityKind.Active or ActivityKind.ActiveOnly or ActivityKind.Dual or ActivityKind.DualOnly
            && !IsFloating(primal.ReturnType) && !DifferentiableStruct.Is(primal.ReturnType)
            && !(request.ReturnActivity == Calls.CallAllocations.ReturnActivity(request.Mode) && Calls.CallAllocations.IsFloatArray(primal.ReturnType)))
            throw DifferentiationErrors.UnsupportedValue(primal.ReturnType, "the return value", primal);
        MemorySupportCheck.Run(primal, request, activity, memory);
        foreach (var instruction in primal.Blocks.SelectMany(b => b.Instructions))
        {
            // Accesses to shadowed memory are differentiated by the memory support; MemorySupportCheck vetted the rest.
            if (memory.AccessOf(instruction) != null)
                continue;
            // A woven derivative's tapes are followed on shadow tapes, or backwards on their adjoints (higher order).
            if (HigherOrder.TapeTangents.IsMirrored(instruction))
                continue;
            HigherOrder.DerivativeCallCheck.Check(instruction, primal.Module, Calls.ShadowedCalls.Is(instruction, memory) || instruction.Operands.Any(activity.IsVaried));
            // Forward mode replaces a call taking shadowed memory by its callee's forward derivative (Calls.CallTangents), which checks it.
            if (Calls.ShadowedCalls.Is(instruction, memory))
                continue;
            if (!instruction.Operands.Any(activity.IsVaried))
                continue;
            if (instruction.Opcode is Opcode.Phi or Opcode.Return or Opcode.BranchIf or Opcode.Switch)
                continue;
            DerivativeRules.RejectLeftOut(instruction, primal);
            Calls.CallSupport.Check(instruction, request, activity, memory);
            var rule = DerivativeRules.Find(instruction);
            if (rule != null)
                continue;
            if (instruction.Info.HasSideEffects && instruction.Opcode is not (Opcode.Call or Opcode.CallVirtual or Opcode.CallIndirect or Opcode.NewObject))
            {
                HigherOrder.ConstArgumentStores.Check(instruction, primal, request);
                throw DifferentiationErrors.ActiveMemory(instruction, primal);
            }
            if (activity.IsActive(instruction) || instruction.Info.HasSideEffects)
                throw DifferentiationErrors.NoRule(instruction, primal);
        }
    }

    private static bool IsFloating(TypeReference type) => type.MetadataType is MetadataType.Double or MetadataType.Single;
}
