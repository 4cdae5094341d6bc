using System;
using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Ir;

namespace Autodiff.Weaver.Optimization;

/// <summary>
/// Folds conditional branches and switches on constants, removes what became unreachable and the phis
/// that became trivial, threads jumps through empty forwarding blocks and through blocks that only
/// branch on a phi whose input is a constant on the incoming edge (what C#'s <c>&amp;&amp;</c>, <c>||</c>
/// and <c>?:</c> leave), and merges a block into its only predecessor when that predecessor branches
/// nowhere else. Regions are respected: blocks are only
/// merged or bypassed within one region, and no region's entry block is merged away or bypassed.
/// </summary>
public sealed class SimplifyControlFlow : IIrPass
{
    public string Name => "SimplifyControlFlow";

    public bool Run(IrMethod method)
    {
        var changed = false;
        var progress = true;
        while (progress)
        {
            progress = FoldBranches(method);
            progress |= IrEdits.RemoveUnreachableBlocks(method);
            progress |= IrEdits.RemoveTrivialPhis(method);
            progress |= BypassForwardingBlocks(method);
            progress |= ThreadKnownConditions(method);
            progress |= MergeBlocks(method);
            changed |= progress;
        }
        return changed;
    }

    private static bool FoldBranches(IrMethod method)
    {
        var changed = false;
        foreach (var block in method.Blocks)
        {
            var terminator = block.Terminator;
            if (terminator == null)
                continue;
            Block? taken = terminator.Opcode switch
            {
                Opcode.BranchIf when ReferenceEquals(terminator.Targets[0], terminator.Targets[1]) => terminator.Targets[0],
                Opcode.BranchIf when terminator.Operands[0] is Constant { Payload: int or long or null } condition =>
                    condition.Payload is null || System.Convert.ToInt64(condition.Payload) == 0 ? terminator.Targets[1] : terminator.Targets[0],
                Opcode.Switch when terminator.Operands[0] is Constant { Payload: int index } =>
                    // The index is unsigned (ECMA-335 §III.3.66): out of range goes to the default, the last target.
                    (uint)index < terminator.Targets.Length - 1 ? terminator.Targets[index] : terminator.Targets[terminator.Targets.Length - 1],
                Opcode.Switch when terminator.Targets.Distinct().Count() == 1 => terminator.Targets[0],
                _ => null,
            };
            if (taken == null)
                continue;
            foreach (var dropped in terminator.Targets.Where(t => !ReferenceEquals(t, taken)).Distinct().ToList())
                IrEdits.RemoveIncoming(dropped, block);
            IrEdits.ReplaceTerminatorWithBranch(block, taken);
            changed = true;
        }
        return changed;
    }

    /// <summary>
    /// A block holding only <c>br target</c> (no phis) is bypassed: its predecessors branch to the target
    /// directly, and the target's phis take from each of them what came through the block. Skipped when
    /// a predecessor already reaches the target with phis to feed (the two inputs could differ).
    /// </summary>
    private static bool BypassForwardingBlocks(IrMethod method)
    {
        var changed = false;
        foreach (var block in method.Blocks.ToList())
        {
            if (block.Instructions.Count != 1 || block.Terminator?.Opcode != Opcode.Branch || ReferenceEquals(block, method.Entry) || IsRegionEntry(method, block))
                continue;
            var target = block.Terminator.Targets[0];
            if (ReferenceEquals(target, block) || !ReferenceEquals(target.Region, block.Region))
                continue;
            var predecessors = block.Predecessors;
            var targetHasPhis = target.Phis.Any();
            if (predecessors.Count == 0 || predecessors.Any(p => !ReferenceEquals(p.Region, block.Region)
                || p.Terminator!.Opcode is not (Opcode.Branch or Opcode.BranchIf or Opcode.Switch)
                || targetHasPhis && p.Successors.Contains(target)))
                continue;
            foreach (var phi in target.Phis.ToList())
            {
                var index = System.Array.IndexOf(phi.Targets, block);
                var value = phi.Operands[index];
                IrEdits.RemoveIncomingOf(phi, block);
                foreach (var predecessor in predecessors)
                    phi.AddPhiIncoming(predecessor, value);
            }
            foreach (var predecessor in predecessors)
                IrEdits.Retarget(predecessor, block, target);
            block.Terminator.Remove();
            method.Blocks.Remove(block);
            changed = true;
        }
        return changed;
    }

    /// <summary>
    /// A block holding only <c>c = phi [...]; br.if c</c>, with <c>c</c> used by nothing else: a
    /// predecessor whose input to <c>c</c> is a constant jumps straight to the successor it selects, which
    /// takes from it what it took from the block. Skipped when that predecessor already reaches the
    /// successor with phis to feed.
    /// </summary>
    private static bool ThreadKnownConditions(IrMethod method)
    {
        var changed = false;
        foreach (var block in method.Blocks.ToList())
        {
            if (block.Instructions.Count != 2 || block.Terminator?.Opcode != Opcode.BranchIf || IsRegionEntry(method, block))
                continue;
            var phi = block.Instructions[0];
            var branch = block.Terminator;
            if (phi.Opcode != Opcode.Phi || !ReferenceEquals(branch.Operands[0], phi) || phi.Uses.Count != 1)
                continue;
            for (var i = phi.Operands.Count - 1; i >= 0; i--)
            {
                if (phi.Operands[i] is not Constant { Payload: int or null } condition)
                    continue;
                var predecessor = phi.Targets[i];
                var target = condition.Payload is int value && value != 0 ? branch.Targets[0] : branch.Targets[1];
                if (ReferenceEquals(target, block) || !ReferenceEquals(predecessor.Region, block.Region)
                    || predecessor.Terminator!.Opcode is not (Opcode.Branch or Opcode.BranchIf or Opcode.Switch)
                    || target.Phis.Any() && predecessor.Successors.Contains(target))
                    continue;
                foreach (var targetPhi in target.Phis)
                    targetPhi.AddPhiIncoming(predecessor, targetPhi.Operands[Array.IndexOf(targetPhi.Targets, block)]);
                IrEdits.RemoveIncomingOf(phi, predecessor);
                IrEdits.Retarget(predecessor, block, target);
                changed = true;
            }
        }
        return changed;
    }

    /// <summary>Appends a block to its only predecessor when the predecessor's only successor is the block.</summary>
    private static bool MergeBlocks(IrMethod method)
    {
        var changed = false;
        foreach (var block in method.Blocks.ToList())
        {
            if (ReferenceEquals(block, method.Entry) || IsRegionEntry(method, block))
                continue;
            var predecessors = block.Predecessors;
            if (predecessors.Count != 1)
                continue;
            var predecessor = predecessors[0];
            if (ReferenceEquals(predecessor, block) || predecessor.Terminator!.Opcode != Opcode.Branch || !ReferenceEquals(predecessor.Region, block.Region))
                continue;
            foreach (var phi in block.Phis.ToList())
                IrEdits.Replace(phi, phi.Operands[0]);
            predecessor.Terminator.Remove();
            foreach (var instruction in block.Instructions)
            {
                instruction.Block = predecessor;
                predecessor.Instructions.Add(instruction);
            }
            block.Instructions.Clear();
            foreach (var successor in predecessor.Successors.Distinct())
                IrEdits.RenameIncoming(successor, block, predecessor);
            method.Blocks.Remove(block);
            changed = true;
        }
        return changed;
    }

    private static bool IsRegionEntry(IrMethod method, Block block) => method.Regions.Any(r => ReferenceEquals(r.Entry, block));
}
