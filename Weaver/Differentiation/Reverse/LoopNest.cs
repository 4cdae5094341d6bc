using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Ir.Construction;

namespace Autodiff.Weaver.Differentiation.Reverse;

/// <summary>
/// Every natural loop of a method, counted or not, so that the innermost loop around a block can be found: a
/// tape is a cursor sized at a counted loop's entry only when no other loop nested inside that one pushes to it
/// (an inner loop's trip count is not part of the outer loop's reservation).
/// </summary>
public sealed class LoopNest
{
    private readonly List<(Block Header, HashSet<Block> Body)> loops;

    private LoopNest(List<(Block, HashSet<Block>)> loops) => this.loops = loops;

    public static LoopNest Compute(DominatorTree dominators) =>
        new(dominators.ReversePostorder
            .Select(header => (header, latches: header.Predecessors.Where(p => dominators.IsReachable(p) && dominators.Dominates(header, p)).ToList()))
            .Where(loop => loop.latches.Count > 0)
            .Select(loop => (loop.header, new HashSet<Block>(loop.latches.SelectMany(latch => CountedLoop.BlocksOfLoop(loop.header, latch)))))
            .ToList());

    /// <summary>The header of the smallest loop containing <paramref name="block"/>; null outside every loop.</summary>
    public Block? InnermostHeader(Block block) =>
        loops.Where(loop => loop.Body.Contains(block)).OrderBy(loop => loop.Body.Count).Select(loop => loop.Header).FirstOrDefault();
}
