using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Analysis;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Ir.Construction;
using Autodiff.Weaver.Loading;

namespace Autodiff.Weaver.Differentiation.Reverse;

/// <summary>
/// Reverse mode for acyclic control flow with active phis. The forward sweep records, for each block with
/// several predecessors, which one it came from; the reverse sweep mirrors the CFG: the reverse block of
/// B runs B's active instructions backwards, moves each active phi's adjoint to the incoming value of the
/// recorded predecessor, and continues with that predecessor's reverse block, until the entry's reverse
/// block hands the gradients back. Adjoints live in slots (<see cref="SlotAdjoints"/>); primal values the
/// sweep needs are cached (<see cref="ForwardValueCache"/>). Loops need a tape of paths and are rejected.
/// </summary>
public sealed class BranchingSweepBuilder
{
    private readonly DerivativeFrame frame;
    private readonly ActivityAnalysis activity;
    private readonly DominatorTree dominators;
    private readonly SlotAdjoints adjoints;
    private readonly ForwardValueCache cache;
    private readonly Dictionary<Block, Block> reverseBlocks = new();
    private readonly Dictionary<Block, Instruction> cameFrom = new();

    private BranchingSweepBuilder(DerivativeFrame frame, ActivityAnalysis activity)
    {
        this.frame = frame;
        this.activity = activity;
        dominators = DominatorTree.Compute(frame.Primal);
        adjoints = new SlotAdjoints(frame.Builder);
        cache = new ForwardValueCache(frame);
    }

    /// <summary>True when the primal has an active phi, so the straight-line sweep cannot differentiate it.</summary>
    public static bool IsNeeded(IrMethod primal, ActivityAnalysis activity) =>
        primal.Blocks.SelectMany(b => b.Phis).Any(activity.IsActive);

    public static void Run(DerivativeFrame frame, ActivityAnalysis activity) =>
        new BranchingSweepBuilder(frame, activity).Run();

    private IrBuilder Builder => frame.Builder;

    private IReadOnlyList<Block> Order => dominators.ReversePostorder;

    private void Run()
    {
        RejectLoopsAndRegions();
        RecordForwardSweep();
        var exit = frame.Method.AddBlock(null);
        foreach (var block in Order)
            reverseBlocks[block] = frame.Method.AddBlock(null);
        var resultSlot = ReplaceReturns(exit);

        // Reverse topological order: every use of a value is differentiated before its definition.
        for (var i = Order.Count - 1; i >= 0; i--)
            EmitReverseBlock(Order[i], exit);

        Builder.AtEnd(exit).DebugLocation = null;
        ResultPacker.Return(Builder, frame.Request.Signature, element => element.Kind switch
        {
            DerivativeResultKind.PrimalValue => Builder.Load(resultSlot!, resultSlot!.TypeOperand!),
            _ => adjoints.Read(frame.Primal.Parameters[element.PrimalIndex], element.Lane)
                ?? DerivativeArithmetic.Zero(Builder, frame.Primal.Parameters[element.PrimalIndex].Type),
        });
    }

    private void RejectLoopsAndRegions()
    {
        var position = Order.Select((block, index) => (block, index)).ToDictionary(p => p.block, p => p.index);
        foreach (var block in Order)
        {
            var phi = block.Phis.FirstOrDefault(activity.IsActive) ?? block.Instructions.First();
            if (block.Region != null)
                throw DifferentiationErrors.ActiveControlFlow(phi, frame.Primal);
            // In a depth-first reverse postorder, an edge going back (or to itself) closes a cycle.
            if (block.Successors.Any(s => position[s] <= position[block]))
                throw DifferentiationErrors.ActiveControlFlow(block.Terminator!, frame.Primal);
        }
    }

    /// <summary>Caches what the reverse blocks will read and records the predecessor of every merge.</summary>
    private void RecordForwardSweep()
    {
        foreach (var instruction in Order.SelectMany(b => b.Instructions).Where(i => activity.IsActive(i) && i.Opcode != Opcode.Phi))
        {
            cache.Cache(instruction);
            foreach (var operand in instruction.Operands.OfType<Instruction>())
                cache.Cache(operand);
        }
        foreach (var block in Order)
        {
            var predecessors = Predecessors(block);
            if (predecessors.Count < 2)
                continue;
            var slot = Builder.StackSlot(frame.Method.Types.Int32, "from");
            cameFrom[block] = slot;
            for (var k = 0; k < predecessors.Count; k++)
                Builder.Before(frame.Copy.Map(predecessors[k].Terminator!)).Store(slot, frame.Method.Int32(k), frame.Method.Types.Int32);
        }
    }

    /// <summary>Each return stores the primal result, seeds the returned value's adjoint and enters the reverse sweep.</summary>
    private Instruction? ReplaceReturns(Block exit)
    {
        var returnType = frame.Primal.ReturnType;
        var resultSlot = returnType.MetadataType == Mono.Cecil.MetadataType.Void ? null : Builder.StackSlot(returnType, "result");
        foreach (var primalReturn in frame.PrimalReturns)
        {
            var copy = frame.Copy.Map(primalReturn);
            Builder.Before(copy).DebugLocation = primalReturn.DebugLocation;
            if (!dominators.IsReachable(primalReturn.Block!))
            {
                // Never runs; it only has to end its block with something of the derivative's type.
                Builder.Branch(exit);
                copy.Remove();
                continue;
            }
            var returned = primalReturn.Operands.Count == 1 ? primalReturn.Operands[0] : null;
            if (returned != null)
                Builder.Store(resultSlot!, frame.Copy.Map(returned), returnType);
            if (returned != null && activity.IsActive(returned))
            {
                for (var lane = 0; lane < frame.Width; lane++)
                    adjoints.Add(returned, lane, frame.Seed(lane)!);
            }
            Builder.Branch(reverseBlocks[primalReturn.Block!]);
            copy.Remove();
        }
        return resultSlot;
    }

    private void EmitReverseBlock(Block block, Block exit)
    {
        Builder.AtEnd(reverseBlocks[block]);
        foreach (var instruction in block.Instructions.AsEnumerable().Reverse().Where(i => activity.IsActive(i) && i.Opcode != Opcode.Phi))
            Propagate(instruction);
        var predecessors = Predecessors(block);
        if (predecessors.Count == 0)
        {
            Builder.Branch(exit);
        }
        else if (predecessors.Count == 1)
        {
            MovePhiAdjoints(block, predecessors[0]);
            Builder.Branch(reverseBlocks[predecessors[0]]);
        }
        else
        {
            var from = Builder.Load(cameFrom[block], frame.Method.Types.Int32);
            var edges = predecessors.Select(_ => frame.Method.AddBlock(null)).ToList();
            Builder.Switch(from, edges.Take(edges.Count - 1).ToList(), edges[edges.Count - 1]);
            for (var k = 0; k < predecessors.Count; k++)
            {
                Builder.AtEnd(edges[k]);
                MovePhiAdjoints(block, predecessors[k]);
                Builder.Branch(reverseBlocks[predecessors[k]]);
            }
        }
    }

    /// <summary>Each active phi of <paramref name="block"/> passes its adjoint to its value from <paramref name="predecessor"/>.</summary>
    private void MovePhiAdjoints(Block block, Block predecessor)
    {
        foreach (var phi in block.Phis.Where(activity.IsActive))
        {
            var incoming = phi.Operands[System.Array.IndexOf(phi.Targets, predecessor)];
            if (!activity.IsActive(incoming))
                continue;
            for (var lane = 0; lane < frame.Width; lane++)
            {
                if (adjoints.Read(phi, lane) is { } adjoint)
                    adjoints.Add(incoming, lane, DerivativeArithmetic.Coerce(Builder, adjoint, incoming.Type));
            }
        }
    }

    private void Propagate(Instruction instruction)
    {
        var resultAdjoints = Enumerable.Range(0, frame.Width).Select(lane => adjoints.Read(instruction, lane)).ToArray();
        if (resultAdjoints.All(a => a == null))
            return;
        foreach (var (operand, partial) in PartialDerivatives.Build(frame, instruction, activity.IsActive, cache.Reload))
        {
            for (var lane = 0; lane < resultAdjoints.Length; lane++)
            {
                if (resultAdjoints[lane] is { } adjoint)
                    adjoints.Add(operand, lane, DerivativeArithmetic.Coerce(Builder, DerivativeArithmetic.Scale(Builder, partial, adjoint), operand.Type));
            }
        }
    }

    private List<Block> Predecessors(Block block) => block.Predecessors.Where(dominators.IsReachable).ToList();
}
