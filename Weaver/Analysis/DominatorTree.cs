using System.Collections.Generic;
using Autodiff.Weaver.Ir;

namespace Autodiff.Weaver.Analysis;

/// <summary>
/// Immediate dominators of the reachable blocks, by Cooper, Harvey and Kennedy's iterative algorithm
/// ("A Simple, Fast Dominance Algorithm") over reverse postorder. Exceptional edges are not followed.
/// </summary>
public sealed class DominatorTree
{
    private readonly Dictionary<Block, Block> idom = new();
    private readonly Dictionary<Block, int> order = new();

    private DominatorTree(IReadOnlyList<Block> reversePostorder) => ReversePostorder = reversePostorder;

    /// <summary>Reachable blocks, each after all of its dominators.</summary>
    public IReadOnlyList<Block> ReversePostorder { get; }

    public static DominatorTree Build(IrMethod method)
    {
        var tree = new DominatorTree(ComputeReversePostorder(method.Entry));
        for (var i = 0; i < tree.ReversePostorder.Count; i++)
            tree.order[tree.ReversePostorder[i]] = i;
        tree.idom[method.Entry] = method.Entry;
        var changed = true;
        while (changed)
        {
            changed = false;
            foreach (var block in tree.ReversePostorder)
            {
                if (ReferenceEquals(block, method.Entry))
                    continue;
                Block? candidate = null;
                foreach (var predecessor in block.Predecessors)
                {
                    if (!tree.idom.ContainsKey(predecessor))
                        continue;
                    candidate = candidate == null ? predecessor : tree.Intersect(predecessor, candidate);
                }
                if (candidate != null && (!tree.idom.TryGetValue(block, out var old) || !ReferenceEquals(old, candidate)))
                {
                    tree.idom[block] = candidate;
                    changed = true;
                }
            }
        }
        return tree;
    }

    public bool IsReachable(Block block) => order.ContainsKey(block);

    /// <summary>True when every path from the entry to <paramref name="block"/> passes through <paramref name="dominator"/>.</summary>
    public bool Dominates(Block dominator, Block block)
    {
        if (!IsReachable(block))
            return false;
        for (var b = block; ; b = idom[b])
        {
            if (ReferenceEquals(b, dominator))
                return true;
            if (ReferenceEquals(idom[b], b))
                return false;
        }
    }

    private Block Intersect(Block a, Block b)
    {
        while (!ReferenceEquals(a, b))
        {
            while (order[a] > order[b])
                a = idom[a];
            while (order[b] > order[a])
                b = idom[b];
        }
        return a;
    }

    private static List<Block> ComputeReversePostorder(Block entry)
    {
        var postorder = new List<Block>();
        var visited = new HashSet<Block> { entry };
        var stack = new Stack<(Block Block, int Next)>();
        stack.Push((entry, 0));
        while (stack.Count > 0)
        {
            var (block, next) = stack.Pop();
            if (next < block.Successors.Count)
            {
                stack.Push((block, next + 1));
                var successor = block.Successors[next];
                if (visited.Add(successor))
                    stack.Push((successor, 0));
            }
            else
            {
                postorder.Add(block);
            }
        }
        postorder.Reverse();
        return postorder;
    }
}
