using System.Collections.Generic;
using Autodiff.Weaver.Diagnostics;
using Autodiff.Weaver.Ir;

namespace Autodiff.Weaver.Backend;

/// <summary>
/// Orders blocks so that every protected region is contiguous — the try body, then its handlers in order,
/// each filter right before its handler (ECMA-335 §II.19) — with the entry first. Inside one region, blocks
/// and nested try groups follow a reverse postorder in which a branch's first target is visited last, so it
/// tends to follow the branch and the emitter can fall through to it.
/// </summary>
internal static class BlockLayout
{
    public static List<LoweredBlock> Order(IReadOnlyList<LoweredBlock> blocks, LoweredBlock entry, IReadOnlyDictionary<Block, LoweredBlock> lowered)
    {
        var order = new List<LoweredBlock>(blocks.Count);
        LayOut(null, entry, blocks, lowered, order);
        if (order.Count != blocks.Count)
            throw new WeaverException(DiagnosticCode.MalformedIrForLowering, "Block layout lost blocks: a region's entry or parent is inconsistent.");
        return order;
    }

    private static void LayOut(Region? scope, LoweredBlock entry, IReadOnlyList<LoweredBlock> blocks, IReadOnlyDictionary<Block, LoweredBlock> lowered, List<LoweredBlock> order)
    {
        // A unit is a block of this scope or a whole try group (its try, filters and handlers) nested directly in it.
        var units = new List<object>();
        var members = new Dictionary<object, List<LoweredBlock>>();
        foreach (var block in blocks)
        {
            if (!IsInside(block.Region, scope))
                continue;
            var unit = UnitOf(block, scope);
            if (!members.TryGetValue(unit, out var list))
            {
                list = new List<LoweredBlock>();
                members.Add(unit, list);
                units.Add(unit);
            }
            list.Add(block);
        }

        var visited = new HashSet<object>();
        var postorder = new List<object>();
        var entryUnit = UnitOf(entry, scope);
        Visit(entryUnit, scope, members, visited, postorder);
        var sequence = new List<object>();
        for (var i = postorder.Count - 1; i >= 0; i--)
            sequence.Add(postorder[i]);
        foreach (var unit in units)
        {
            if (visited.Contains(unit))
                continue;
            var tail = new List<object>();
            Visit(unit, scope, members, visited, tail);
            for (var i = tail.Count - 1; i >= 0; i--)
                sequence.Add(tail[i]);
        }

        foreach (var unit in sequence)
        {
            if (unit is LoweredBlock block)
            {
                order.Add(block);
                continue;
            }
            var tryRegion = (Region)unit;
            LayOut(tryRegion, lowered[tryRegion.Entry], blocks, lowered, order);
            foreach (var handler in tryRegion.Handlers)
            {
                if (handler.Kind == RegionKind.Filter)
                    continue;
                if (handler.Filter != null)
                    LayOut(handler.Filter, lowered[handler.Filter.Entry], blocks, lowered, order);
                LayOut(handler, lowered[handler.Entry], blocks, lowered, order);
            }
        }
    }

    private static void Visit(object unit, Region? scope, Dictionary<object, List<LoweredBlock>> members, HashSet<object> visited, List<object> postorder)
    {
        // Iterative DFS: methods of real libraries have thousands of blocks.
        var stack = new Stack<(object Unit, List<object> Successors, int Next)>();
        visited.Add(unit);
        stack.Push((unit, SuccessorUnits(unit, scope, members), 0));
        while (stack.Count > 0)
        {
            var (current, successors, next) = stack.Pop();
            if (next < successors.Count)
            {
                stack.Push((current, successors, next + 1));
                var successor = successors[next];
                if (visited.Add(successor))
                    stack.Push((successor, SuccessorUnits(successor, scope, members), 0));
                continue;
            }
            postorder.Add(current);
        }
    }

    private static List<object> SuccessorUnits(object unit, Region? scope, Dictionary<object, List<LoweredBlock>> members)
    {
        var result = new List<object>();
        foreach (var block in members[unit])
        {
            // Last target first, so that the first target ends up right after the branch in reverse postorder.
            for (var i = block.Successors.Count - 1; i >= 0; i--)
            {
                var successor = block.Successors[i];
                if (!IsInside(successor.Region, scope))
                    continue;
                var target = UnitOf(successor, scope);
                if (!ReferenceEquals(target, unit) && members.ContainsKey(target) && !result.Contains(target))
                    result.Add(target);
            }
        }
        return result;
    }

    private static bool IsInside(Region? region, Region? scope) => scope == null || scope.Contains(region);

    private static object UnitOf(LoweredBlock block, Region? scope)
    {
        if (ReferenceEquals(block.Region, scope))
            return block;
        var region = block.Region!;
        while (!ReferenceEquals(region.Parent, scope))
        {
            region = region.Parent ?? throw new WeaverException(DiagnosticCode.MalformedIrForLowering, "A block lies outside the region being laid out.");
        }
        if (region.Kind == RegionKind.Try)
            return region;
        return region.Try ?? throw new WeaverException(DiagnosticCode.MalformedIrForLowering, $"A {region.Kind} region does not name the try region it protects.");
    }
}
