using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Ir;

namespace Autodiff.Weaver.Differentiation.Reverse;

/// <summary>
/// Adjoints in stack slots, zeroed on entry: contributions arrive from several reverse blocks, so they
/// cannot be SSA values. Slots are made on the first contribution, so reverse blocks must be emitted
/// with every use of a value before its definition (reverse topological order).
/// </summary>
public sealed class SlotAdjoints : IAdjointAccumulator
{
    private readonly Dictionary<(Value, int), Instruction> slots = new();
    private readonly IrBuilder builder;

    public SlotAdjoints(IrBuilder builder) => this.builder = builder;

    public void Add(Value primal, int lane, Value contribution)
    {
        var slot = Slot(primal, lane, contribution);
        var sum = builder.Add(builder.Load(slot, contribution.Type), contribution);
        builder.Store(slot, sum, contribution.Type);
    }

    public Value? Read(Value primal, int lane) =>
        slots.TryGetValue((primal, lane), out var slot) ? builder.Load(slot, slot.TypeOperand!) : null;

    private Instruction Slot(Value primal, int lane, Value contribution)
    {
        if (slots.TryGetValue((primal, lane), out var slot))
            return slot;
        slot = builder.StackSlot(contribution.Type, primal.Name is { } name ? "d" + name : null);
        var entry = builder.Method.Entry;
        new IrBuilder(builder.Method)
            .Before(entry.Instructions.First(i => i.Opcode is not (Opcode.Phi or Opcode.StackSlot)))
            .Store(slot, builder.Method.Float(contribution.Type, 0), contribution.Type);
        slots[(primal, lane)] = slot;
        return slot;
    }
}
