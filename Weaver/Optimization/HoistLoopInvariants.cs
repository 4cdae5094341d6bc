using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Ir.Construction;

namespace Autodiff.Weaver.Optimization;

/// <summary>
/// Loop-invariant code motion. Natural loops come from back edges (an edge to a block that dominates
/// its source); each loop gets a preheader — its single outside predecessor when that one only branches
/// to the header, else a new block — and pure instructions that cannot throw, whose operands are all
/// defined outside the loop, move there. Pure and non-throwing makes executing them on paths that
/// did not is harmless. Inner loops go first, so what leaves an inner loop may leave the outer one too.
/// Loops whose header is the entry or a region's entry are left alone (their preheader would have to
/// sit in another region).
/// </summary>
public sealed class HoistLoopInvariants : IIrPass
{
    public string Name => "HoistLoopInvariants";

    public bool Run(IrMethod method)
    {
        var dominators = DominatorTree.Compute(method);
        var predecessors = AllPredecessors(method);
        var loops = new List<(Block Header, HashSet<Block> Body)>();
        foreach (var header in dominators.ReversePostorder)
        {
            var latches = predecessors[header].Where(p => dominators.Dominates(header, p)).ToList();
            if (latches.Count == 0 || ReferenceEquals(header, method.Entry) || method.Regions.Any(r => ReferenceEquals(r.Entry, header)))
                continue;
            loops.Add((header, LoopBody(header, latches, predecessors)));
        }
        // Reverse postorder, kept up to date as preheaders are added (each right before its header), so
        // what an inner loop hoisted into a new preheader is considered again for the enclosing loop.
        var order = dominators.ReversePostorder.ToList();
        var changed = false;
        foreach (var (header, body) in loops.OrderBy(l => l.Body.Count).ToList())
        {
            var hoistable = Invariants(body, order);
            if (hoistable.Count == 0)
                continue;
            // The preheader lies in the header's region: hoisted values must be usable there and from there.
            if (hoistable.Any(i => i.Operands.Any(o => !IrEdits.RegionAllows(o, header))
                || i.Uses.Any(u => header.Region != null && !header.Region.Contains(u.User.Block!.Region))))
                continue;
            var preheader = Preheader(method, header, body, loops);
            if (!order.Contains(preheader))
                order.Insert(order.IndexOf(header), preheader);
            var terminator = preheader.Terminator!;
            foreach (var instruction in hoistable)
            {
                instruction.Block!.Instructions.Remove(instruction);
                preheader.Instructions.Insert(preheader.Instructions.IndexOf(terminator), instruction);
                instruction.Block = preheader;
            }
            changed = true;
        }
        return changed;
    }

    /// <summary>Predecessors over normal and exceptional edges (a handler inside a loop belongs to it).</summary>
    private static Dictionary<Block, List<Block>> AllPredecessors(IrMethod method)
    {
        var predecessors = method.Blocks.ToDictionary(b => b, _ => new List<Block>());
        foreach (var block in method.Blocks)
        {
            foreach (var successor in DominatorTree.AllSuccessors(block).Distinct())
            {
                if (predecessors.TryGetValue(successor, out var list))
                    list.Add(block);
            }
        }
        return predecessors;
    }

    private static HashSet<Block> LoopBody(Block header, List<Block> latches, Dictionary<Block, List<Block>> predecessors)
    {
        var body = new HashSet<Block> { header };
        var work = new Stack<Block>(latches);
        while (work.Count > 0)
        {
            var block = work.Pop();
            if (!body.Add(block))
                continue;
            foreach (var predecessor in predecessors[block])
                work.Push(predecessor);
        }
        return body;
    }

    /// <summary>Invariant instructions in reverse postorder, so an invariant's invariant operands come first.</summary>
    private static List<Instruction> Invariants(HashSet<Block> body, List<Block> order)
    {
        var invariant = new HashSet<Instruction>();
        var ordered = new List<Instruction>();
        foreach (var block in order.Where(body.Contains))
        {
            foreach (var instruction in block.Instructions)
            {
                if (!InstructionEffects.IsPure(instruction)
                    || instruction.Opcode is Opcode.Phi or Opcode.StackSlot or Opcode.ExceptionObject or Opcode.ArgumentList
                    || !instruction.Operands.All(o => o is not Instruction definition || !body.Contains(definition.Block!) || invariant.Contains(definition)))
                    continue;
                invariant.Add(instruction);
                ordered.Add(instruction);
            }
        }
        return ordered;
    }

    /// <summary>
    /// The block control passes through just before entering the loop. A new preheader takes over the
    /// header's outside edges and, when there are several, phis merging what they carried.
    /// </summary>
    private static Block Preheader(IrMethod method, Block header, HashSet<Block> body, List<(Block Header, HashSet<Block> Body)> loops)
    {
        var outside = header.Predecessors.Where(p => !body.Contains(p)).ToList();
        if (outside.Count == 1 && outside[0].Terminator!.Opcode == Opcode.Branch && ReferenceEquals(outside[0].Region, header.Region))
            return outside[0];
        var preheader = method.AddBlock(header.Region);
        method.Blocks.Remove(preheader);
        method.Blocks.Insert(method.Blocks.IndexOf(header), preheader);
        var builder = new IrBuilder(method);
        foreach (var phi in header.Phis.ToList())
        {
            var incoming = outside.Select(p => phi.Operands[System.Array.IndexOf(phi.Targets, p)]).ToList();
            foreach (var predecessor in outside)
                IrEdits.RemoveIncomingOf(phi, predecessor);
            Value merged = incoming[0];
            if (incoming.Distinct().Count() > 1)
            {
                var outer = builder.Phi(preheader, phi.Type);
                outer.Name = phi.Name;
                for (var i = 0; i < outside.Count; i++)
                    outer.AddPhiIncoming(outside[i], incoming[i]);
                merged = outer;
            }
            phi.AddPhiIncoming(preheader, merged);
        }
        foreach (var predecessor in outside)
            IrEdits.Retarget(predecessor, header, preheader);
        builder.AtEnd(preheader).Branch(header);
        // The new block lies on the way into every loop that contains the header but is not this loop.
        foreach (var (_, enclosing) in loops)
        {
            if (!ReferenceEquals(enclosing, body) && enclosing.Contains(header) && outside.Any(enclosing.Contains))
                enclosing.Add(preheader);
        }
        return preheader;
    }
}
