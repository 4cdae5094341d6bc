using System;
using Autodiff.Weaver.Ir;

namespace Autodiff.Weaver.Differentiation.Reverse;

/// <summary>
/// Drives the reverse of a <see cref="CountedLoop"/> by a down-counter instead of tapes: entering the loop's
/// reverse (from its exit) sets the counter to the value the forward loop ended with; each reverse of the header
/// reads it as the iteration's index, tests whether it is the first iteration (then the forward sweep came from
/// the preheader, otherwise from the latch) and steps it back. The forward sweep records nothing — no index,
/// no path (Enzyme reverses canonical loops the same way, rebuilding the induction variable from its own counter).
/// </summary>
public sealed class ReverseCounter
{
    private readonly CountedLoop loop;
    private readonly IrMethod method;
    private readonly Instruction slot;

    public ReverseCounter(CountedLoop loop, IrBuilder builder)
    {
        this.loop = loop;
        method = builder.Method;
        slot = builder.StackSlot(method.Types.Int32, loop.Counter.Name is { } name ? name + "Reverse" : null);
    }

    public CountedLoop Loop => loop;

    /// <summary>The forward value of the counter in the iteration whose reverse is running.</summary>
    public Value Current(IrBuilder builder) => builder.Load(slot, method.Types.Int32);

    /// <summary>
    /// Ends the block at the builder with the entry into the loop's reverse: counter = start when the loop body never
    /// ran, else start + step·⌈(bound − offset − start) / step⌉; then branches to <paramref name="reverseHeader"/>.
    /// <paramref name="reload"/> gives start and bound in the reverse sweep.
    /// </summary>
    public void Enter(IrBuilder builder, Func<Value, Value> reload, Block reverseHeader)
    {
        var start = reload(loop.Start);
        var bound = reload(loop.Bound);
        var limit = loop.Offset == 0 ? bound : builder.Sub(bound, method.Int32(loop.Offset));
        var ran = method.AddBlock(null);
        var skipped = method.AddBlock(null);
        builder.BranchIf(builder.Compare(Ir.ComparePredicate.Less, start, limit), ran, skipped);
        builder.AtEnd(skipped);
        builder.Store(slot, start, method.Types.Int32);
        builder.Branch(reverseHeader);
        builder.AtEnd(ran);
        Value last = limit;
        if (loop.Step != 1)
        {
            var steps = builder.Div(builder.Add(builder.Sub(limit, start), method.Int32(loop.Step - 1)), method.Int32(loop.Step));
            last = builder.Add(start, builder.Mul(steps, method.Int32(loop.Step)));
        }
        builder.Store(slot, last, method.Types.Int32);
        builder.Branch(reverseHeader);
    }

    /// <summary>
    /// Ends the header's reverse: steps the counter back and continues with <paramref name="toPreheader"/> after the
    /// first iteration, with <paramref name="toLatch"/> after any other.
    /// </summary>
    public void StepBack(IrBuilder builder, Func<Value, Value> reload, Block toPreheader, Block toLatch)
    {
        var current = Current(builder);
        var first = builder.Compare(Ir.ComparePredicate.Equal, current, reload(loop.Start));
        builder.Store(slot, builder.Sub(current, method.Int32(loop.Step)), method.Types.Int32);
        builder.BranchIf(first, toPreheader, toLatch);
    }
}
