using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Ir;

namespace Autodiff.Weaver.Differentiation.Reverse;

/// <summary>
/// Adjoints in stack slots, zeroed on entry: contributions arrive from several reverse blocks (and, in
/// loops, from several executions of one), so they cannot be SSA values. Every adjoint is declared before
/// any reverse block is emitted, so reads never depend on emission order.
/// The zero is −0.0, IEEE 754's additive identity (−0 + x is x for every x; +0 + x is not, for x = −0), so
/// once slots become SSA values the first contribution's <c>−0.0 + x</c> folds to <c>x</c> (SimplifyAlgebra)
/// instead of costing an add on the adjoint chain; <see cref="Gradient"/> adds +0.0 to what it hands back, giving
/// bit for bit the sum a +0.0 start would have given.
/// </summary>
public sealed class SlotAdjoints : IAdjointAccumulator
{
    private readonly Dictionary<(Value, int), Instruction> slots = new();
    private readonly IrBuilder builder;

    public SlotAdjoints(IrBuilder builder) => this.builder = builder;

    /// <summary>Creates the adjoint slot of <paramref name="primal"/> in one lane and zeroes it on entry.</summary>
    public void Declare(Value primal, int lane)
    {
        var type = primal.Type;
        var slot = builder.StackSlot(type, primal.Name is { } name ? "d" + name : null);
        EntryBuilder(builder.Method).Store(slot, builder.Method.Float(type, -0.0), type);
        slots[(primal, lane)] = slot;
    }

    public void Add(Value primal, int lane, Value contribution)
    {
        var slot = slots[(primal, lane)];
        var sum = builder.Add(builder.Load(slot, slot.TypeOperand!), DerivativeArithmetic.Coerce(builder, contribution, slot.TypeOperand!));
        builder.Store(slot, sum, slot.TypeOperand!);
    }

    public Value? Read(Value primal, int lane) =>
        slots.TryGetValue((primal, lane), out var slot) ? builder.Load(slot, slot.TypeOperand!) : null;

    /// <summary>x̄ = 0 once x̄ has been propagated, so that the next reverse execution of x's block starts afresh (Enzyme does the same).</summary>
    public void Clear(Value primal, int lane)
    {
        var slot = slots[(primal, lane)];
        builder.Store(slot, builder.Method.Float(slot.TypeOperand!, -0.0), slot.TypeOperand!);
    }

    /// <summary>The adjoint as a gradient handed back: a zero sum is +0.0, as it would be from a +0.0 start.</summary>
    public Value? Gradient(Value primal, int lane) =>
        Read(primal, lane) is { } sum ? builder.Add(sum, builder.Method.Float(sum.Type, 0)) : null;

    /// <summary>A builder at the start of the entry block, after its phis and slots: code there runs first.</summary>
    public static IrBuilder EntryBuilder(IrMethod method) =>
        new IrBuilder(method).Before(method.Entry.Instructions.First(i => i.Opcode is not (Opcode.Phi or Opcode.StackSlot)));
}
