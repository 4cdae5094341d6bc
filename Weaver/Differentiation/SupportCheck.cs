using System.Linq;
using Autodiff.Weaver.Analysis;
using Autodiff.Weaver.Differentiation.Rules;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Loading;

namespace Autodiff.Weaver.Differentiation;

/// <summary>
/// Rejects, before anything is built, every primal this slice would differentiate wrongly: an active
/// operation without a rule, and a varied value escaping where the analysis cannot follow it (memory,
/// calls without rules). Never silently wrong output (preamble rule).
/// </summary>
public static class SupportCheck
{
    public static void Run(IrMethod primal, DifferentiationRequest request, TypeAnalysis types, ActivityAnalysis activity)
    {
        foreach (var entry in request.Signature.Parameters)
        {
            if (entry.Kind == DerivativeParameterKind.Shadow && !types.IsDifferentiable(primal.Parameters[entry.PrimalIndex]))
                throw DifferentiationErrors.ShadowedReference(primal.Parameters[entry.PrimalIndex], primal);
        }
        foreach (var instruction in primal.Blocks.SelectMany(b => b.Instructions))
        {
            if (!instruction.Operands.Any(activity.IsVaried))
                continue;
            if (instruction.Opcode is Opcode.Phi or Opcode.Return or Opcode.BranchIf or Opcode.Switch)
                continue;
            var rule = DerivativeRules.Find(instruction);
            if (rule != null)
                continue;
            if (instruction.Info.HasSideEffects && instruction.Opcode is not (Opcode.Call or Opcode.CallVirtual or Opcode.CallIndirect or Opcode.NewObject))
                throw DifferentiationErrors.ActiveMemory(instruction, primal);
            if (activity.IsActive(instruction) || instruction.Info.HasSideEffects)
                throw DifferentiationErrors.NoRule(instruction, primal);
        }
    }
}
