using System;
using System.Linq;
using Autodiff.Weaver.Ir;

namespace Autodiff.Weaver.Differentiation.Bcl;

/// <summary>
/// Replaces one instruction by <c>for (i = 0; i &lt; count; i++) body(i)</c>: the block is split at the
/// instruction, a header with the counter's phi and a body block go in between, and the continuation
/// inherits the block's successors. Loops are what the differentiator already knows how to sweep, so a
/// BCL bulk operation spelled as one is differentiated element by element in both modes.
/// </summary>
internal static class CountedLoopEmitter
{
    /// <summary>
    /// <c>body(k)</c> for k over <c>[0, count)</c> in the order <c>memmove</c> needs when a copy's source and destination
    /// overlap: downwards (k = count−1−i) when the source starts before the destination, upwards otherwise.
    /// </summary>
    public static Block ReplaceWithMove(Instruction replaced, Value sourceStart, Value destinationStart, Value count, Action<IrBuilder, Value> body)
    {
        var method = replaced.Block!.Method;
        var builder = new IrBuilder(method) { DebugLocation = replaced.DebugLocation }.Before(replaced);
        var downwards = builder.Compare(ComparePredicate.Less, sourceStart, destinationStart);
        var first = builder.Mul(downwards, builder.Sub(count, method.Int32(1)));
        var step = builder.Sub(method.Int32(1), builder.Mul(downwards, method.Int32(2)));
        return Replace(replaced, count, (loop, i) => body(loop, loop.Add(first, loop.Mul(step, i))));
    }

    /// <summary>Returns the continuation: the block that runs after the loop.</summary>
    public static Block Replace(Instruction replaced, Value count, Action<IrBuilder, Value> body)
    {
        var method = replaced.Block!.Method;
        var block = replaced.Block;
        var region = block.Region;
        var header = method.AddBlock(region);
        var loop = method.AddBlock(region);
        var continuation = method.AddBlock(region);
        var index = block.Instructions.IndexOf(replaced);
        foreach (var moved in block.Instructions.Skip(index + 1).ToList())
        {
            block.Instructions.Remove(moved);
            continuation.Instructions.Add(moved);
            moved.Block = continuation;
        }
        foreach (var successor in continuation.Successors.Distinct())
        {
            foreach (var phi in successor.Phis)
                phi.Targets = phi.Targets.Select(t => ReferenceEquals(t, block) ? continuation : t).ToArray();
        }
        var builder = new IrBuilder(method) { DebugLocation = replaced.DebugLocation };
        replaced.Remove();
        builder.AtEnd(block).Branch(header);

        var counter = builder.Phi(header, method.Types.Int32);
        counter.Name = "i";
        builder.AtEnd(header);
        builder.BranchIf(builder.Compare(ComparePredicate.Less, counter, count), loop, continuation);

        builder.AtEnd(loop);
        body(builder, counter);
        var next = builder.Add(counter, method.Int32(1));
        builder.Branch(header);
        counter.AddPhiIncoming(block, method.Int32(0));
        counter.AddPhiIncoming(builder.Block, next);

        var at = method.Blocks.IndexOf(block);
        method.Blocks.Remove(header);
        method.Blocks.Remove(loop);
        method.Blocks.Remove(continuation);
        method.Blocks.InsertRange(at + 1, new[] { header, loop, continuation });
        return continuation;
    }
}
