using System.Collections.Generic;
using Autodiff.Weaver.Ir;

namespace Autodiff.Weaver.Differentiation.Reverse;

/// <summary>
/// Primal values the reverse sweep needs where their definition does not dominate it: each is stored to
/// a slot right after it is computed and reloaded (once per reverse block) where it is needed. With
/// acyclic control flow every block runs at most once, so one slot per value holds its only value.
/// </summary>
public sealed class ForwardValueCache
{
    private readonly Dictionary<Value, Instruction> slots = new();
    private readonly Dictionary<(Block, Value), Value> reloads = new();
    private readonly DerivativeFrame frame;

    public ForwardValueCache(DerivativeFrame frame) => this.frame = frame;

    /// <summary>Stores the copy of <paramref name="primal"/> to a new slot right after it (after the phis for a phi).</summary>
    public void Cache(Instruction primal)
    {
        if (slots.ContainsKey(primal))
            return;
        var copy = frame.Copy.Map(primal);
        var block = copy.Block!;
        var builder = new IrBuilder(frame.Method);
        var slot = builder.StackSlot(copy.Type, primal.Name);
        if (copy.Opcode == Opcode.Phi)
            builder.AfterPhis(block);
        else
            builder.Before(block.Instructions[block.Instructions.IndexOf(copy) + 1]);
        builder.Store(slot, copy, copy.Type);
        slots[primal] = slot;
    }

    /// <summary>The value in the reverse sweep: constants and parameters as they are, cached values reloaded in the builder's block.</summary>
    public Value Reload(Value primal)
    {
        if (primal is not Instruction instruction)
            return frame.Copy.Map(primal);
        var builder = frame.Builder;
        if (!reloads.TryGetValue((builder.Block, instruction), out var value))
        {
            var slot = slots[instruction];
            value = builder.Load(slot, slot.TypeOperand!);
            reloads[(builder.Block, instruction)] = value;
        }
        return value;
    }
}
