using System.Collections.Generic;
using System.Linq;

namespace Autodiff.Weaver.Ir.Construction;

/// <summary>
/// Dominators of a method's blocks over normal and exceptional edges (a handler entry is reached from
/// every block of its try, a filtered catch from the end of its filter), computed with Cooper, Harvey and Kennedy, "A Simple, Fast Dominance
/// Algorithm" (2001). Blocks unreachable from the entry have no dominator and dominate nothing.
/// </summary>
public sealed class DominatorTree
{
    private readonly Dictionary<Block, int> postorderNumber = new();
    private readonly Dictionary<Block, Block> immediateDominator = new();
    private readonly Dictionary<Block, List<Block>> children = new();
    private readonly Dictionary<Block, (int Enter, int Exit)> treeInterval = new();

    private DominatorTree(IrMethod method)
    {
        var inMethod = new HashSet<Block>(method.Blocks);
        var successors = method.Blocks.ToDictionary(b => b, b => AllSuccessors(b).Where(inMethod.Contains).Distinct().ToList());
        ReversePostorder = ComputeReversePostorder(method.Entry, successors);
        for (var i = 0; i < ReversePostorder.Count; i++)
            postorderNumber[ReversePostorder[i]] = ReversePostorder.Count - 1 - i;

        var predecessors = ReversePostorder.ToDictionary(b => b, _ => new List<Block>());
        foreach (var block in ReversePostorder)
        {
            foreach (var successor in successors[block])
                predecessors[successor].Add(block);
        }

        var entry = method.Entry;
        immediateDominator[entry] = entry;
        var changed = true;
        while (changed)
        {
            changed = false;
            foreach (var block in ReversePostorder.Skip(1))
            {
                Block? newDominator = null;
                foreach (var predecessor in predecessors[block])
                {
                    if (!immediateDominator.ContainsKey(predecessor))
                        continue;
                    newDominator = newDominator == null ? predecessor : Intersect(predecessor, newDominator);
                }
                if (newDominator != null && (!immediateDominator.TryGetValue(block, out var old) || !ReferenceEquals(old, newDominator)))
                {
                    immediateDominator[block] = newDominator;
                    changed = true;
                }
            }
        }

        foreach (var block in ReversePostorder)
            children[block] = new List<Block>();
        foreach (var block in ReversePostorder.Skip(1))
            children[immediateDominator[block]].Add(block);
        NumberTree(entry);
    }

    /// <summary>
    /// Every block control can reach directly from <paramref name="block"/>: the terminator's targets, the
    /// handlers and filters of enclosing trys, and, for a block ending a filter with <c>endfilter</c>, the
    /// filtered catch it decides about (ECMA-335 §II.19.4) — an edge no terminator names.
    /// </summary>
    public static IEnumerable<Block> AllSuccessors(Block block)
    {
        foreach (var successor in block.Successors)
            yield return successor;
        foreach (var handler in block.ExceptionalSuccessors)
            yield return handler;
        if (block.Terminator?.Opcode == Opcode.EndFilter && block.Region is { Kind: RegionKind.Filter } filter)
        {
            foreach (var region in block.Method.Regions)
            {
                if (region.Kind == RegionKind.FilteredCatch && ReferenceEquals(region.Filter, filter))
                    yield return region.Entry;
            }
        }
    }

    /// <summary>Reachable blocks, entry first, each before its successors except along back edges.</summary>
    public IReadOnlyList<Block> ReversePostorder { get; }

    public static DominatorTree Compute(IrMethod method) => new(method);

    public bool IsReachable(Block block) => postorderNumber.ContainsKey(block);

    /// <summary>The closest strict dominator; null for the entry and for unreachable blocks.</summary>
    public Block? ImmediateDominator(Block block) =>
        immediateDominator.TryGetValue(block, out var dominator) && !ReferenceEquals(dominator, block) ? dominator : null;

    /// <summary>Blocks immediately dominated by <paramref name="block"/>.</summary>
    public IReadOnlyList<Block> Children(Block block) =>
        children.TryGetValue(block, out var list) ? list : (IReadOnlyList<Block>)System.Array.Empty<Block>();

    /// <summary>True when every path from the entry to <paramref name="block"/> passes through <paramref name="dominator"/> (reflexive).</summary>
    public bool Dominates(Block dominator, Block block)
    {
        if (!treeInterval.TryGetValue(dominator, out var outer) || !treeInterval.TryGetValue(block, out var inner))
            return false;
        return outer.Enter <= inner.Enter && inner.Exit <= outer.Exit;
    }

    private Block Intersect(Block a, Block b)
    {
        while (!ReferenceEquals(a, b))
        {
            while (postorderNumber[a] < postorderNumber[b])
                a = immediateDominator[a];
            while (postorderNumber[b] < postorderNumber[a])
                b = immediateDominator[b];
        }
        return a;
    }

    private static List<Block> ComputeReversePostorder(Block entry, Dictionary<Block, List<Block>> successors)
    {
        var postorder = new List<Block>();
        var visited = new HashSet<Block> { entry };
        var stack = new Stack<(Block Block, int Next)>();
        stack.Push((entry, 0));
        while (stack.Count > 0)
        {
            var (block, next) = stack.Pop();
            var targets = successors[block];
            if (next < targets.Count)
            {
                stack.Push((block, next + 1));
                if (visited.Add(targets[next]))
                    stack.Push((targets[next], 0));
            }
            else
            {
                postorder.Add(block);
            }
        }
        postorder.Reverse();
        return postorder;
    }

    private void NumberTree(Block root)
    {
        var counter = 0;
        var stack = new Stack<(Block Block, bool Exiting)>();
        stack.Push((root, false));
        while (stack.Count > 0)
        {
            var (block, exiting) = stack.Pop();
            if (exiting)
            {
                treeInterval[block] = (treeInterval[block].Enter, counter++);
                continue;
            }
            treeInterval[block] = (counter++, 0);
            stack.Push((block, true));
            foreach (var child in children[block])
                stack.Push((child, false));
        }
    }
}
