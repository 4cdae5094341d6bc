using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Ir.Construction;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Reverse;

/// <summary>
/// A canonical counted loop, <c>for (i = start; i + offset &lt; bound; i += step)</c> with <c>bound</c> loop-invariant
/// and <c>step</c> a positive constant, as the C# compiler emits it: a header with one entering and one back edge,
/// <c>i = φ(start, i + step)</c>, a branch on the test into the body, and no other way out (no break, return or
/// throw inside). Its trip count is known when the loop is entered, so tapes pushed inside can be sized once there
/// (Enzyme's loop-bound caches), and its reverse can run on a down-counter instead of a tape of indices and paths.
/// </summary>
public sealed class CountedLoop
{
    private CountedLoop(Block header, Block preheader, Block latch, Block exit, Instruction counter, Value start, Value bound, int offset, int step, IReadOnlyCollection<Block> body)
    {
        Header = header;
        Preheader = preheader;
        Latch = latch;
        Exit = exit;
        Counter = counter;
        Start = start;
        Bound = bound;
        Offset = offset;
        Step = step;
        Body = body;
    }

    public Block Header { get; }

    /// <summary>The header's only predecessor outside the loop: every entry into the loop passes its end.</summary>
    public Block Preheader { get; }

    /// <summary>The header's only predecessor inside the loop (the back edge's source).</summary>
    public Block Latch { get; }

    /// <summary>The header's successor outside the loop: the only way out.</summary>
    public Block Exit { get; }

    /// <summary>The induction variable, a phi of the header.</summary>
    public Instruction Counter { get; }

    public Value Start { get; }

    /// <summary>Loop-invariant; either defined outside the body or a pure expression of such values (<see cref="PureExpressions"/>).</summary>
    public Value Bound { get; }

    /// <summary>The test is <c>counter + Offset &lt; Bound</c>.</summary>
    public int Offset { get; }

    public int Step { get; }

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
            || branch.Operands[0] is not Instruction { Opcode: Opcode.Compare, Predicate: ComparePredicate.Less } test)
            return null;
        var (counter, offset) = Affine(test.Operands[0]);
        if (counter is not Instruction { Opcode: Opcode.Phi } phi || phi.Block != header || phi.Type.MetadataType != MetadataType.Int32)
            return null;
        var bound = test.Operands[1];
        if (!PureExpressions.IsInvariant(bound, body))
            return null;
        var start = phi.Operands[System.Array.IndexOf(phi.Targets, entering[0])];
        var (stepped, step) = Affine(phi.Operands[System.Array.IndexOf(phi.Targets, latches[0])]);
        return stepped == phi && step > 0
            ? new CountedLoop(header, entering[0], latches[0], branch.Targets[1], phi, start, bound, offset, step, body)
            : null;
    }

    /// <summary><c>v + c</c> (either order) as (v, c); any other value as (value, 0).</summary>
    private static (Value Base, int Constant) Affine(Value value) =>
        value is Instruction { Opcode: Opcode.Add } add && add.Type.MetadataType == MetadataType.Int32
            ? add.Operands[1] is Constant { Payload: int right } ? (add.Operands[0], right)
            : add.Operands[0] is Constant { Payload: int left } ? (add.Operands[1], left)
            : (value, 0)
            : (value, 0);

    // A break, return or throw inside the body ends the loop early, so the trip count would only be an upper
    // bound, and a loop like for (i = 0; i < int.MaxValue; i++) { … break; } must not reserve that much.
    private static bool LeavesOnlyThroughHeader(Block header, HashSet<Block> body) =>
        body.Where(b => b != header).All(b => b.Successors.Count > 0 && b.Successors.All(body.Contains));

    /// <summary>The header and every block from which <paramref name="latch"/> is reached without passing the header.</summary>
    internal static HashSet<Block> BlocksOfLoop(Block header, Block latch)
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
