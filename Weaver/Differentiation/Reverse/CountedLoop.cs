using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Ir.Construction;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Reverse;

/// <summary>
/// A canonical counted loop, <c>for (i = start; i &lt; bound; i++)</c> with <c>bound</c> loop-invariant, as the
/// C# compiler emits it: a header with one entering and one back edge, <c>i = φ(start, i + 1)</c>, a
/// branch on <c>i &lt; bound</c> into the body, and no other way out (no break, return or throw inside). Its header runs <c>bound − start + 1</c> times, known when the
/// loop is entered, so tapes pushed inside can be sized once there (Enzyme's loop-bound caches).
/// </summary>
public sealed class CountedLoop
{
    private CountedLoop(Block header, Block preheader, Value start, Value bound, IReadOnlyCollection<Block> body)
    {
        Header = header;
        Preheader = preheader;
        Start = start;
        Bound = bound;
        Body = body;
    }

    public Block Header { get; }

    /// <summary>The header's only predecessor outside the loop: every entry into the loop passes its end.</summary>
    public Block Preheader { get; }

    public Value Start { get; }

    public Value Bound { get; }

    /// <summary>The header and every block on a path from it back to it.</summary>
    public IReadOnlyCollection<Block> Body { get; }

    public static IReadOnlyList<CountedLoop> Find(DominatorTree dominators) =>
        dominators.ReversePostorder.Select(header => Match(header, dominators)).OfType<CountedLoop>().ToList();

    private static CountedLoop? Match(Block header, DominatorTree dominators)
    {
        var predecessors = header.Predecessors.Where(dominators.IsReachable).ToList();
        var latches = predecessors.Where(p => dominators.Dominates(header, p)).ToList();
        var entering = predecessors.Except(latches).ToList();
        if (latches.Count != 1 || entering.Count != 1)
            return null;
        var body = BlocksOfLoop(header, latches[0]);
        if (!LeavesOnlyThroughHeader(header, body)
            || header.Instructions.LastOrDefault() is not { Opcode: Opcode.BranchIf } branch
            || !body.Contains(branch.Targets[0]) || body.Contains(branch.Targets[1])
            || branch.Operands[0] is not Instruction { Opcode: Opcode.Compare, Predicate: ComparePredicate.Less } test
            || test.Operands[0] is not Instruction { Opcode: Opcode.Phi } counter
            || counter.Block != header || counter.Type.MetadataType != MetadataType.Int32)
            return null;
        var bound = test.Operands[1];
        if (bound is Instruction { Block: { } boundBlock } && body.Contains(boundBlock))
            return null;
        var start = counter.Operands[System.Array.IndexOf(counter.Targets, entering[0])];
        var step = counter.Operands[System.Array.IndexOf(counter.Targets, latches[0])];
        var increments = step is Instruction { Opcode: Opcode.Add } add
            && add.Operands.Contains(counter) && add.Operands.Any(o => o is Constant { Payload: 1 });
        return increments ? new CountedLoop(header, entering[0], start, bound, body) : null;
    }

    // A break, return or throw inside the body ends the loop early, so bound − start would only be an upper
    // bound, and a loop like for (i = 0; i < int.MaxValue; i++) { … break; } must not reserve that much.
    private static bool LeavesOnlyThroughHeader(Block header, HashSet<Block> body) =>
        body.Where(b => b != header).All(b => b.Successors.Count > 0 && b.Successors.All(body.Contains));

    private static HashSet<Block> BlocksOfLoop(Block header, Block latch)
    {
        var body = new HashSet<Block> { header };
        var work = new Stack<Block>();
        if (body.Add(latch))
            work.Push(latch);
        while (work.Count > 0)
        {
            foreach (var predecessor in work.Pop().Predecessors)
            {
                if (body.Add(predecessor))
                    work.Push(predecessor);
            }
        }
        return body;
    }
}
