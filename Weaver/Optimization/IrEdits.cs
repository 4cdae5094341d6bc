using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Ir.Construction;
using Mono.Cecil;

namespace Autodiff.Weaver.Optimization;

/// <summary>Edits of instructions, phis and edges that several passes share.</summary>
internal static class IrEdits
{
    /// <summary>Replaces every use of <paramref name="instruction"/> by <paramref name="value"/> and removes it.</summary>
    public static void Replace(Instruction instruction, Value value)
    {
        instruction.ReplaceAllUsesWith(value);
        instruction.Remove();
    }

    /// <summary>
    /// The zero of a type a slot holds: what a new array's elements, an <c>initobj</c>'s fields and a zero-initialized
    /// local read before any store (any value serves for locals that are not initialized).
    /// </summary>
    public static Value Zero(IrMethod method, TypeReference type) => method.Types.KindOf(type) switch
    {
        StackKind.Int32 => method.Int32(0),
        StackKind.Int64 => method.Int64(0),
        StackKind.Float32 => method.Float32(0),
        StackKind.Float64 => method.Float64(0),
        _ => method.Null(),
    };

    /// <summary>True when a value defined in <paramref name="definition"/>'s block may be used in <paramref name="useBlock"/> region-wise.</summary>
    public static bool RegionAllows(Value definition, Block useBlock) =>
        definition is not Instruction { Block: { Region: { } region } } || region.Contains(useBlock.Region);

    /// <summary>Drops the incoming value from <paramref name="predecessor"/> of every phi of <paramref name="block"/>.</summary>
    public static void RemoveIncoming(Block block, Block predecessor)
    {
        foreach (var phi in block.Phis.ToList())
            RemoveIncomingOf(phi, predecessor);
    }

    public static void RemoveIncomingOf(Instruction phi, Block predecessor)
    {
        var index = System.Array.IndexOf(phi.Targets, predecessor);
        if (index < 0)
            return;
        var operands = phi.Operands.Where((_, i) => i != index).ToList();
        var targets = phi.Targets.Where((_, i) => i != index).ToArray();
        phi.SetOperands(operands);
        phi.Targets = targets;
    }

    /// <summary>The phis of <paramref name="block"/> now receive from <paramref name="newPredecessor"/> what came from <paramref name="oldPredecessor"/>.</summary>
    public static void RenameIncoming(Block block, Block oldPredecessor, Block newPredecessor)
    {
        foreach (var phi in block.Phis)
        {
            for (var i = 0; i < phi.Targets.Length; i++)
            {
                if (ReferenceEquals(phi.Targets[i], oldPredecessor))
                    phi.Targets[i] = newPredecessor;
            }
        }
    }

    /// <summary>Makes <paramref name="block"/> end with an unconditional branch to <paramref name="target"/>.</summary>
    public static void ReplaceTerminatorWithBranch(Block block, Block target)
    {
        var terminator = block.Terminator!;
        var builder = new IrBuilder(block.Method) { DebugLocation = terminator.DebugLocation };
        terminator.Remove();
        builder.AtEnd(block).Branch(target);
    }

    /// <summary>Retargets every edge of <paramref name="block"/>'s terminator from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static void Retarget(Block block, Block from, Block to)
    {
        var targets = block.Terminator!.Targets;
        for (var i = 0; i < targets.Length; i++)
        {
            if (ReferenceEquals(targets[i], from))
                targets[i] = to;
        }
    }

    /// <summary>
    /// Removes blocks that no normal or exceptional edge reaches from the entry, the phi inputs they fed,
    /// and regions whose entry was removed with them (a region is entered only at its entry, so its other
    /// blocks went too).
    /// </summary>
    public static bool RemoveUnreachableBlocks(IrMethod method)
    {
        var dominators = DominatorTree.Compute(method);
        var dead = method.Blocks.Where(b => !dominators.IsReachable(b)).ToList();
        if (dead.Count == 0)
            return false;
        var deadSet = new HashSet<Block>(dead);
        foreach (var block in dead)
        {
            foreach (var successor in block.Successors.Distinct().Where(s => !deadSet.Contains(s)))
                RemoveIncoming(successor, block);
        }
        foreach (var instruction in dead.SelectMany(b => b.Instructions).ToList())
            instruction.SetOperands(System.Array.Empty<Value>());
        foreach (var instruction in dead.SelectMany(b => b.Instructions).ToList())
        {
            // Only other dead instructions can use a dead block's values (definitions dominate uses).
            instruction.Remove();
        }
        method.Blocks.RemoveAll(deadSet.Contains);
        var deadRegions = method.Regions.Where(r => deadSet.Contains(r.Entry)).ToList();
        foreach (var region in deadRegions)
        {
            method.Regions.Remove(region);
            region.Try?.Handlers.Remove(region);
        }
        return true;
    }

    /// <summary>
    /// Replaces phis whose incoming values are all one value (or the phi itself) by that value, when the
    /// value may be used where the phi is (Braun et al. §2.2, trivial phis).
    /// </summary>
    public static bool RemoveTrivialPhis(IrMethod method)
    {
        var changed = false;
        var progress = true;
        while (progress)
        {
            progress = false;
            foreach (var phi in method.Blocks.SelectMany(b => b.Phis).ToList())
            {
                Value? same = null;
                var trivial = true;
                foreach (var operand in phi.Operands)
                {
                    if (ReferenceEquals(operand, phi) || ReferenceEquals(operand, same))
                        continue;
                    if (same != null)
                    {
                        trivial = false;
                        break;
                    }
                    same = operand;
                }
                if (!trivial || same == null || !RegionAllows(same, phi.Block!) || !DefinedOutside(same, phi.Block!))
                    continue;
                Replace(phi, same);
                progress = changed = true;
            }
        }
        return changed;
    }

    /// <summary>A phi of a block that only feeds itself cannot be replaced by a value its own block defines later.</summary>
    private static bool DefinedOutside(Value value, Block block) => value is not Instruction { Block: var b } || !ReferenceEquals(b, block);
}
