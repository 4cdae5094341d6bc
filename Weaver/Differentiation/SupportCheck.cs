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
    public static void Run(IrMethod primal, DifferentiationRequest request, TypeAnalysis types, ActivityAnalysis activity, ShadowedMemory memory)
    {
        foreach (var parameter in memory.Roots)
        {
            if (!IsShadowable(parameter.Type))
                throw DifferentiationErrors.ShadowedReference(parameter, primal);
        }
        foreach (var instruction in primal.Blocks.SelectMany(b => b.Instructions))
        {
            if (memory.AccessOf(instruction) != null)
                continue;
            if (MemoryAccess.Of(instruction) is { } access && ReachesShadowedMemory(access.Pointer, memory))
                throw DifferentiationErrors.LostShadow(instruction, primal);
            if (instruction.Opcode is Opcode.Call or Opcode.CallVirtual or Opcode.NewObject && MemoryAccess.ArrayMethod(instruction) is not { Name: "Address" } && !ShadowedMemory.ReadsOnlyShape(instruction) && instruction.Operands.Any(memory.Contains))
                throw DifferentiationErrors.ShadowPassedToCall(instruction, primal);
            if (instruction.Opcode == Opcode.StoreStaticField && instruction.Operands.Any(activity.IsVaried))
                throw DifferentiationErrors.ActiveStaticField(instruction, primal);
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

    /// <summary>Arrays (any rank, jagged at any depth) of float or double, and references to float or double.</summary>
    private static bool IsShadowable(Mono.Cecil.TypeReference type) => type switch
    {
        Mono.Cecil.ArrayType array => IsShadowable(array.ElementType) || IsFloating(array.ElementType),
        Mono.Cecil.ByReferenceType reference => IsFloating(reference.ElementType),
        _ => false,
    };

    private static bool IsFloating(Mono.Cecil.TypeReference type) =>
        type.MetadataType is Mono.Cecil.MetadataType.Double or Mono.Cecil.MetadataType.Single;

    /// <summary>
    /// True when a pointer the analysis does not follow (a phi of arrays, a field holding one, …) is built from
    /// shadowed memory: its loads and stores would silently lose their derivatives.
    /// </summary>
    private static bool ReachesShadowedMemory(Value pointer, ShadowedMemory memory) =>
        ValueFlow.Reach(new[] { pointer }, value => value is Instruction instruction ? instruction.Operands.Where(IsReference) : Enumerable.Empty<Value>())
            .Any(memory.Contains);

    private static bool IsReference(Value value) => value.Type.IsArray || value.Type.IsByReference;
}
