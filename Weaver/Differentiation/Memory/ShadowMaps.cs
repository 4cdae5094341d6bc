using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Analysis;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Ir.Construction;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Memory;

/// <summary>
/// Calls to <c>Autodiff.Runtime.ShadowMap</c>: reverse mode's record of which shadow belongs to a primal reference the
/// reverse sweep cannot rebuild from a parameter (a phi of references, an allocation not dominating every return or
/// repeated in a loop). The forward sweep records the pair; the reverse sweep looks the shadow up from the taped primal.
/// </summary>
public static class ShadowMaps
{
    /// <summary>A new map at the derivative's entry.</summary>
    public static Instruction Create(IrMethod method)
    {
        var type = MapType(method.Module);
        var constructor = new MethodReference(".ctor", method.Module.TypeSystem.Void, type) { HasThis = true };
        return Reverse.SlotAdjoints.EntryBuilder(method).NewObject(constructor, System.Array.Empty<Value>());
    }

    public static void Record(IrBuilder builder, Value map, Value primal, Value shadow)
    {
        var module = builder.Method.Module;
        var set = new MethodReference("Set", module.TypeSystem.Void, MapType(module)) { HasThis = true };
        set.Parameters.Add(new ParameterDefinition(module.TypeSystem.Object));
        set.Parameters.Add(new ParameterDefinition(module.TypeSystem.Object));
        builder.Call(set, module.TypeSystem.Void, new[] { map, primal, shadow });
    }

    /// <summary>The shadow recorded for <paramref name="primal"/>, cast back to the primal's type.</summary>
    public static Value Lookup(IrBuilder builder, Value map, Value primal)
    {
        var module = builder.Method.Module;
        var get = new MethodReference("Get", module.TypeSystem.Object, MapType(module)) { HasThis = true };
        get.Parameters.Add(new ParameterDefinition(module.TypeSystem.Object));
        var shadow = builder.Call(get, module.TypeSystem.Object, new[] { map, primal });
        var cast = builder.Emit(Opcode.CastClass, primal.Type, shadow);
        cast.TypeOperand = primal.Type;
        return cast;
    }

    /// <summary>
    /// Shadowed allocations whose shadow's SSA value cannot serve the reverse sweep: inside a loop (the reverse sweep
    /// needs each iteration's) or not dominating every return (each return enters the reverse sweep).
    /// </summary>
    public static HashSet<Instruction> AllocationsNotKept(IrMethod primal, ShadowedMemory memory)
    {
        var dominators = DominatorTree.Compute(primal);
        var returns = primal.Blocks.Where(b => b.Terminator?.Opcode == Opcode.Return && dominators.IsReachable(b)).ToList();
        return new HashSet<Instruction>(memory.Allocations.Where(allocation => AllocatingInstruction(allocation) is var at
            && (returns.Any(r => !dominators.Dominates(at.Block!, r)) || ReachableFrom(at.Block!).Contains(at.Block!))));
    }

    /// <summary>The instruction that allocates: the span construction for a stackalloc's local, the allocation itself otherwise.</summary>
    public static Instruction AllocatingInstruction(Instruction allocation) => ShadowAllocations.StackAllocation(allocation) ?? allocation;

    // The blocks reachable from the successors of block.
    private static HashSet<Block> ReachableFrom(Block block)
    {
        var reached = new HashSet<Block>();
        var work = new Stack<Block>(block.Successors);
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

    private static TypeReference MapType(ModuleDefinition module) =>
        new("Autodiff.Runtime", "ShadowMap", module, module.AssemblyReferences.FirstOrDefault(r => r.Name == "Autodiff")
            ?? throw new System.InvalidOperationException("A module with [Autodiff] requests references Autodiff.dll."));
}
