using System.Linq;
using Autodiff.Weaver.Analysis;
using Autodiff.Weaver.Differentiation.Rules;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Ir.Construction;
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
        for (var i = 0; i < request.ParameterActivities.Count; i++)
        {
            var parameter = primal.Parameters[i];
            if (request.ParameterActivities[i] != ActivityKind.Const && !types.IsDifferentiable(parameter) && !memory.Roots.Contains(parameter))
                throw DifferentiationErrors.UnsupportedValue(parameter.Type, parameter.Name ?? "this", primal);
        }
        if (request.ReturnActivity is ActivityKind.Active or ActivityKind.ActiveOnly or ActivityKind.Dual or ActivityKind.DualOnly
            && !IsFloating(primal.ReturnType))
            throw DifferentiationErrors.UnsupportedValue(primal.ReturnType, "the return value", primal);
        if (request.Mode == DerivativeMode.Reverse)
        {
            var dominators = DominatorTree.Compute(primal);
            var returns = primal.Blocks.Where(b => b.Terminator?.Opcode == Opcode.Return && dominators.IsReachable(b)).ToList();
            foreach (var allocation in memory.Allocations)
            {
                var block = allocation.Block!;
                if (returns.Any(r => !dominators.Dominates(block, r)) || IsInCycle(block))
                    throw DifferentiationErrors.ShadowAllocationInLoop(allocation, primal);
            }
        }
        foreach (var parameter in memory.Roots)
        {
            if (!IsShadowable(parameter.Type))
                throw DifferentiationErrors.ShadowedReference(parameter, primal);
        }
        foreach (var instruction in primal.Blocks.SelectMany(b => b.Instructions))
        {
            if (memory.AccessOf(instruction) != null)
                continue;
            if (instruction.Opcode is Opcode.Store or Opcode.StoreElement or Opcode.StoreField
                && memory.Contains(instruction.Operands[0]) && ShadowedMemory.IsPointer(instruction.Operands[instruction.Operands.Count - 1].Type))
                throw DifferentiationErrors.ShadowStructureChanged(instruction, primal);
            if (MemoryAccess.Of(instruction) is { } access && ReachesShadowedMemory(access.Pointer, memory))
                throw DifferentiationErrors.LostShadow(instruction, primal);
            if (instruction.Opcode is Opcode.Call or Opcode.CallVirtual or Opcode.NewObject && MemoryAccess.ArrayMethod(instruction) is not { Name: "Address" } && !ShadowedMemory.IsSpanIndexer(instruction) && !ShadowedMemory.ReadsOnlyShape(instruction) && instruction.Operands.Any(memory.Contains))
                throw DifferentiationErrors.ShadowPassedToCall(instruction, primal);
            if (instruction.Opcode == Opcode.StoreStaticField && instruction.Operands.Any(activity.IsVaried))
                throw DifferentiationErrors.ActiveStaticField(instruction, primal);
            if (!instruction.Operands.Any(activity.IsVaried))
                continue;
            if (instruction.Opcode is Opcode.Phi or Opcode.Return or Opcode.BranchIf or Opcode.Switch)
                continue;
            DerivativeRules.RejectLeftOut(instruction, primal);
            var rule = DerivativeRules.Find(instruction);
            if (rule != null)
                continue;
            if (instruction.Info.HasSideEffects && instruction.Opcode is not (Opcode.Call or Opcode.CallVirtual or Opcode.CallIndirect or Opcode.NewObject))
                throw DifferentiationErrors.ActiveMemory(instruction, primal);
            if (activity.IsActive(instruction) || instruction.Info.HasSideEffects)
                throw DifferentiationErrors.NoRule(instruction, primal);
        }
    }

    private static bool IsInCycle(Block block) => ReachableFrom(block).Contains(block);

    // The blocks reachable from the successors of block.
    private static System.Collections.Generic.HashSet<Block> ReachableFrom(Block block)
    {
        var reached = new System.Collections.Generic.HashSet<Block>();
        var work = new System.Collections.Generic.Stack<Block>(block.Successors);
        while (work.Count > 0)
        {
            var next = work.Pop();
            if (reached.Add(next))
            {
                foreach (var successor in next.Successors)
                    work.Push(successor);
            }
        }
        return reached;
    }

    /// <summary>Arrays (any rank, jagged at any depth) of float or double, spans and references of float or double, class instances.</summary>
    private static bool IsShadowable(Mono.Cecil.TypeReference type) => type switch
    {
        Mono.Cecil.GenericInstanceType span when ShadowedMemory.IsSpan(span) => IsFloating(span.GenericArguments[0]),
        Mono.Cecil.ArrayType array => IsShadowable(array.ElementType) || IsFloating(array.ElementType),
        Mono.Cecil.ByReferenceType reference => IsFloating(reference.ElementType),
        _ => ShadowedMemory.IsPointer(type),
    };

    private static bool IsFloating(Mono.Cecil.TypeReference type) =>
        type.MetadataType is Mono.Cecil.MetadataType.Double or Mono.Cecil.MetadataType.Single;

    /// <summary>
    /// True when a pointer the analysis does not follow (a phi of arrays, a field holding one, …) is built from
    /// shadowed memory: its loads and stores would silently lose their derivatives.
    /// </summary>
    private static bool ReachesShadowedMemory(Value pointer, ShadowedMemory memory) =>
        ValueFlow.Reach(new[] { pointer }, value => value is Instruction instruction ? instruction.Operands.Where(IsReference).Concat(StoredInto(instruction)) : Enumerable.Empty<Value>())
            .Any(value => memory.Contains(value) || value is Parameter parameter && memory.Roots.Contains(parameter));

    // A stack slot's contents come from the stores into it, which are not its operands.
    private static System.Collections.Generic.IEnumerable<Value> StoredInto(Instruction instruction) => instruction.Opcode == Opcode.StackSlot
        ? instruction.Uses.Select(use => use.User).Where(user => user.Opcode == Opcode.Store && user.Operands[0] == instruction).Select(store => store.Operands[1])
        : Enumerable.Empty<Value>();

    private static bool IsReference(Value value) => ShadowedMemory.IsPointer(value.Type);
}
