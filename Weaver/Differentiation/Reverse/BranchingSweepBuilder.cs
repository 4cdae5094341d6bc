using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Analysis;
using Autodiff.Weaver.Differentiation.Calls;
using Autodiff.Weaver.Differentiation.HigherOrder;
using Autodiff.Weaver.Differentiation.Memory;
using Autodiff.Weaver.Differentiation.Rules;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Ir.Construction;
using Autodiff.Weaver.Loading;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Reverse;

/// <summary>
/// Reverse mode for control flow with active phis, loops included. The forward sweep records, each time
/// a block with several predecessors runs, which predecessor it came from, and tapes the primal values the
/// reverse sweep will read. The reverse sweep mirrors the CFG: the reverse block of B runs B's active
/// instructions backwards, moves each active phi's adjoint to the incoming value of the recorded
/// predecessor and continues with that predecessor's reverse block, until the entry's reverse block hands
/// the gradients back. Acyclic code tapes into slots; loops tape into pooled runtime tapes (<see cref="PooledTape"/>), sized
/// at loop entry for counted loops (<see cref="TapeSizing"/>).
/// Adjoints live in slots (<see cref="SlotAdjoints"/>) and are cleared once propagated. Shadowed memory
/// is reversed as Enzyme does: a load adds its adjoint into the shadow; a store moves the shadow into the
/// stored value's adjoint and zeroes it (the overwritten value no longer influences anything).
/// </summary>
public sealed class BranchingSweepBuilder
{
    private readonly DerivativeFrame frame;
    private readonly ActivityAnalysis activity;
    private readonly ShadowMemory memory;
    private readonly DominatorTree dominators;
    private readonly SlotAdjoints adjoints;
    private readonly bool hasCycles;
    private readonly ForwardValueCache cache;
    private readonly Dictionary<Block, Block> reverseBlocks = new();
    private readonly Dictionary<Block, IValueTape> cameFrom = new();
    private readonly List<IValueTape> tapes = new();
    private readonly Dictionary<IValueTape, System.Action<string>> describeTape = new();
    private readonly Dictionary<Block, ReverseCounter> counters = new();
    private LoopNest? loopNest;
    private readonly ReadOnlyArrays readOnlyArrays;
    private readonly PerfReport report;
    private readonly SplitSweep? split;
    private PooledTape? record;

    private BranchingSweepBuilder(DerivativeFrame frame, ActivityAnalysis activity, ShadowMemory memory, SplitSweep? split)
    {
        this.frame = frame;
        this.split = split;
        this.activity = activity;
        this.memory = memory;
        dominators = DominatorTree.Compute(frame.Primal);
        adjoints = new SlotAdjoints(frame.Builder);
        hasCycles = HasCycles(dominators);
        readOnlyArrays = new ReadOnlyArrays(frame.Primal, callerRunsBetweenSweeps: split != null);
        cache = new ForwardValueCache(frame, NewTape, hasCycles ? CountersAndRecomputation() : null);
        report = new PerfReport(frame.Primal, hasCycles
            ? "reverse sweep over a CFG with loops: values the partials read are pushed on tapes pooled per thread (Autodiff.Runtime.Tape<T>), rented on entry and returned on exit"
            : "reverse sweep over an acyclic CFG with merges: every block runs at most once, so each value the partials read sits in one stack slot; nothing is allocated");
    }

    /// <summary>
    /// True when the primal has an active phi or touches shadowed memory, so the straight-line sweep cannot
    /// differentiate it (memory accesses may sit in blocks that do not dominate the return), or calls a callee
    /// through its split derivative (the reverse halves must run exactly once per augmented call).
    /// </summary>
    public static bool IsNeeded(IrMethod primal, ActivityAnalysis activity, ShadowedMemory memory) =>
        primal.Blocks.SelectMany(b => b.Phis).Any(activity.IsActive)
        || primal.Blocks.SelectMany(b => b.Instructions).Any(i => memory.AccessOf(i) != null || SplitCalls.Is(i, activity, memory) || TapeAdjointSweep.Applies(i, activity, memory));

    /// <summary>
    /// Builds the sweeps; returns what was cached and why (PrintPerf). With <paramref name="split"/>, builds one half
    /// of a callee's split derivative instead of a whole reverse derivative.
    /// </summary>
    public static PerfReport Run(DerivativeFrame frame, ActivityAnalysis activity, ShadowMemory memory, SplitSweep? split = null)
    {
        var builder = new BranchingSweepBuilder(frame, activity, memory, split);
        builder.Run();
        return builder.report;
    }

    /// <summary>
    /// In code with loops: a reverse counter per counted loop, and recomputation of what depends only on read-only
    /// data and those counters. Acyclic code keeps every value in a stack slot, which costs less than recomputing.
    /// </summary>
    private Recomputation CountersAndRecomputation()
    {
        foreach (var loop in CountedLoop.Find(dominators))
            counters[loop.Header] = new ReverseCounter(loop, Builder);
        return new Recomputation(counters.Values.ToDictionary(c => c.Loop.Counter), readOnlyArrays);
    }

    private bool IsReversed(Instruction instruction) =>
        (activity.IsActive(instruction) && instruction.Opcode != Opcode.Phi) || memory.Shadowed.AccessOf(instruction) is { IsStore: true } || IsSplitCall(instruction)
        || TapeAdjointSweep.Applies(instruction, activity, memory.Shadowed);

    // A tape holding active values (a woven derivative differentiated again) has a shadow instead of an adjoint.
    private bool HasAdjoint(Value value) => activity.IsActive(value) && !TapeFlow.IsFloatingTape(value.Type);

    private bool IsSplitCall(Instruction instruction) => SplitCalls.Is(instruction, activity, memory.Shadowed);

    private IrBuilder Builder => frame.Builder;

    private IReadOnlyList<Block> Order => dominators.ReversePostorder;

    /// <summary>Whether the innermost loop around <paramref name="pushedIn"/> is counted, so that its entry can reserve every push.</summary>
    private bool IsSizedAtLoopEntry(Block pushedIn) =>
        (loopNest ??= LoopNest.Compute(dominators)).InnermostHeader(pushedIn) is { } header && counters.ContainsKey(header);

    /// <summary>A tape for values pushed in <paramref name="pushedIn"/> (a primal block).</summary>

    private IValueTape NewTape(TypeReference type, string? name, Block pushedIn)
    {
        IValueTape tape = split != null ? split.NewTape(type)
            : hasCycles
            ? new PooledTape(SlotAdjoints.EntryBuilder(frame.Method), type, IsSizedAtLoopEntry(pushedIn))
            : new SlotTape(new IrBuilder(frame.Method), type, name);
        tapes.Add(tape);
        return tape;
    }

    private void Run()
    {
        RejectRegions();
        if (split?.Half != SplitHalf.AugmentedForward)
        {
            foreach (var value in frame.Primal.Parameters.Cast<Value>().Concat(Order.SelectMany(b => b.Instructions)).Where(HasAdjoint))
            {
                for (var lane = 0; lane < frame.Width; lane++)
                    adjoints.Declare(value, lane);
            }
        }
        ReplaceSplitCalls();
        RecordForwardSweep();
        var returns = frame.PrimalReturns.Where(r => dominators.IsReachable(r.Block!)).ToList();
        if (split?.DeclareReturns(returns.Count) is { } returned)
        {
            tapes.Add(returned);
            describeTape[returned] = storage => report.Note("which return the augmented forward took: " + storage);
        }
        var storage = TapeSizing.Apply(frame, CountedLoop.Find(dominators), tapes);
        foreach (var tape in tapes)
            describeTape[tape](storage[tape]);
        if (split?.Half == SplitHalf.AugmentedForward)
        {
            for (var k = 0; k < returns.Count; k++)
                split.HandOver(new IrBuilder(frame.Method).Before(frame.Copy.Map(returns[k])), k, returns[k]);
            return;
        }
        var exit = frame.Method.AddBlock(null);
        foreach (var block in Order)
            reverseBlocks[block] = frame.Method.AddBlock(null);
        var resultSlot = ReplaceReturns(exit);
        for (var i = Order.Count - 1; i >= 0; i--)
            EmitReverseBlock(Order[i], exit);

        Builder.AtEnd(exit).DebugLocation = null;
        foreach (var tape in tapes)
            tape.Release(Builder);
        if (split == null)
            record?.Release(Builder);
        ResultPacker.Return(Builder, frame.Request.Signature, element => element.Kind switch
        {
            DerivativeResultKind.PrimalValue => Builder.Load(resultSlot!, resultSlot!.TypeOperand!),
            _ => memory.Gradient(frame.Primal.Parameters[element.PrimalIndex], element.Lane)
                ?? adjoints.Gradient(frame.Primal.Parameters[element.PrimalIndex], element.Lane)
                ?? AdjointPropagation.Gradient(frame, adjoints, element),
        });
        if (split?.Half == SplitHalf.Reverse)
            EnterReverseHalf(returns);
    }

    /// <summary>
    /// Each split call's copy calls the callee's augmented forward, which puts its record on this method's call
    /// record: the split half's parameter, or a <c>Tape&lt;object&gt;</c> rented on entry.
    /// </summary>
    private void ReplaceSplitCalls()
    {
        foreach (var call in Order.SelectMany(b => b.Instructions).Where(IsSplitCall).ToList())
        {
            record ??= split?.Record ?? new PooledTape(SlotAdjoints.EntryBuilder(frame.Method), frame.Method.Module.TypeSystem.Object, sized: false);
            SplitCalls.ReplaceForward(frame, activity, memory.Shadowed, call, record);
        }
    }

    /// <summary>
    /// The reverse half runs no primal code: its entry (which so far led into the copied primal) seeds the returned
    /// value's adjoint and starts the reverse sweep at the return the augmented half took.
    /// </summary>
    private void EnterReverseHalf(List<Instruction> returns)
    {
        var entry = frame.Method.Entry;
        var starts = returns.Select(primalReturn =>
        {
            var start = frame.Method.AddBlock(null);
            Builder.AtEnd(start).DebugLocation = primalReturn.DebugLocation;
            AdjointPropagation.Seed(frame, activity, primalReturn.Operands.Count == 1 ? primalReturn.Operands[0] : null, adjoints);
            Builder.Branch(reverseBlocks[primalReturn.Block!]);
            return start;
        }).ToList();
        var toPrimal = entry.Terminator!;
        Builder.Before(toPrimal).DebugLocation = null;
        if (split!.ReturnIndex is { } returnIndex)
            Builder.Switch(returnIndex.Peek(Builder), starts.Take(starts.Count - 1).ToList(), starts[starts.Count - 1]);
        else
            Builder.Branch(starts[0]);
        toPrimal.Remove();
    }

    // In a depth-first reverse postorder, an edge going back (or to itself) closes a cycle.
    private static bool HasCycles(DominatorTree dominators)
    {
        var position = dominators.ReversePostorder.Select((block, index) => (block, index)).ToDictionary(p => p.block, p => p.index);
        return dominators.ReversePostorder.Any(block => block.Successors.Any(s => position[s] <= position[block]));
    }

    private void RejectRegions()
    {
        var inRegion = Order.FirstOrDefault(b => b.Region != null);
        if (inRegion != null)
            throw DifferentiationErrors.ActiveControlFlow(inRegion.Instructions.First(), frame.Primal);
    }

    /// <summary>Tapes what the reverse blocks will read and, in every merge, which predecessor it came from.</summary>
    private void RecordForwardSweep()
    {
        foreach (var instruction in Order.SelectMany(b => b.Instructions).Where(IsReversed))
        {
            // A tape operation runs backwards on the tape's shadow alone.
            if (TapeAdjointSweep.Applies(instruction, activity, memory.Shadowed))
                continue;
            if (IsSplitCall(instruction) || CallAdjoints.Applies(frame, instruction))
            {
                // The callee's reverse takes every primal argument again, and the shadows of those passed with one.
                foreach (var operand in SplitCalls.ReverseInputs(instruction, memory).OfType<Instruction>())
                    Need(operand, instruction);
                continue;
            }
            if (memory.Shadowed.AccessOf(instruction) is { } access)
            {
                foreach (var input in memory.AddressInputs(access).OfType<Instruction>())
                    Need(input, instruction);
                continue;
            }
            var (operands, includesResult) = RuleInputs.Read(instruction, activity.IsActive);
            if (includesResult)
                Need(instruction, instruction);
            foreach (var operand in operands.OfType<Instruction>())
                Need(operand, instruction);
        }
        // A counter's reverse reads the loop's start in the header and its start and bound on entry from the exit.
        foreach (var loop in counters.Values.Select(c => c.Loop))
        {
            foreach (var start in new[] { loop.Start }.OfType<Instruction>())
            {
                cache.Need(start, loop.Header);
                cache.Need(start, loop.Exit);
            }
            if (loop.Bound is Instruction bound)
                cache.Need(bound, loop.Exit);
            report.Note($"counted loop at {report.BlockName(loop.Header)}: its reverse runs on a down-counter; no index or path is taped");
        }
        cache.Commit(
            (value, tape) => describeTape[tape] = storage => report.Cached(value, storage),
            report.Recomputed);
        readOnlyArrays.EmitChecks(frame);
        var types = frame.Method.Types;
        foreach (var block in Order)
        {
            var predecessors = Predecessors(block);
            if (predecessors.Count < 2 || counters.ContainsKey(block))
                continue;
            // A phi of constants says which edge entered the block; unreachable predecessors never do.
            var copy = frame.Copy.Map(block);
            var from = Builder.Phi(copy, types.Int32);
            foreach (var predecessor in block.Predecessors)
                from.AddPhiIncoming(frame.Copy.Map(predecessor), frame.Method.Int32(System.Math.Max(0, predecessors.IndexOf(predecessor))));
            var tape = NewTape(types.Int32, "from", block);
            tape.Push(new IrBuilder(frame.Method).AfterPhis(copy), from);
            describeTape[tape] = storage => report.RecordsPath(block, predecessors.Count, storage);
            cameFrom[block] = tape;
        }
    }

    private void Need(Instruction value, Instruction reader)
    {
        report.ReadBy(value, reader);
        cache.Need(value, reader.Block!);
    }

    /// <summary>Each return stores the primal result, seeds the returned value's adjoint and enters the reverse sweep.</summary>
    private Instruction? ReplaceReturns(Block exit)
    {
        var returnType = frame.Primal.ReturnType;
        var resultSlot = returnType.MetadataType == MetadataType.Void ? null : Builder.StackSlot(returnType, "result");
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
            AdjointPropagation.Seed(frame, activity, returned, adjoints);
            SeedReturnedStruct();
            Builder.Branch(reverseBlocks[primalReturn.Block!]);
            copy.Remove();
        }
        return resultSlot;
    }

    private void SeedReturnedStruct()
    {
        for (var lane = 0; lane < frame.Width; lane++)
        {
            if (frame.Seed(lane) is { } seed)
                memory.SeedReturnedStruct(lane, seed);
        }
    }

    private void EmitReverseBlock(Block block, Block exit)
    {
        Builder.AtEnd(reverseBlocks[block]);
        foreach (var instruction in block.Instructions.AsEnumerable().Reverse().Where(IsReversed))
        {
            Builder.DebugLocation = instruction.DebugLocation;
            if (IsSplitCall(instruction))
                SplitCalls.EmitReverse(frame, activity, memory, instruction, adjoints, cache.Reload, record!);
            else if (memory.Shadowed.AccessOf(instruction) is { } access)
                ReverseShadowAccess(access);
            else if (TapeAdjointSweep.Applies(instruction, activity, memory.Shadowed))
                TapeAdjointSweep.Of(frame).Emit(instruction, activity, adjoints);
            else
                AdjointPropagation.Propagate(frame, activity, instruction, adjoints, cache.Reload);
            if (HasAdjoint(instruction))
                ClearAdjoint(instruction);
        }
        cache.PopDefinedIn(block);
        var predecessors = Predecessors(block);
        if (predecessors.Count == 0)
        {
            Builder.Branch(exit);
        }
        else if (predecessors.Count == 1)
        {
            MovePhiAdjoints(block, predecessors[0]);
            EnterReverse(block, predecessors[0]);
        }
        else if (counters.TryGetValue(block, out var counter))
        {
            var toPreheader = frame.Method.AddBlock(null);
            var toLatch = frame.Method.AddBlock(null);
            counter.StepBack(Builder, cache.Reload, toPreheader, toLatch);
            foreach (var (edge, predecessor) in new[] { (toPreheader, counter.Loop.Preheader), (toLatch, counter.Loop.Latch) })
            {
                Builder.AtEnd(edge);
                MovePhiAdjoints(block, predecessor);
                EnterReverse(block, predecessor);
            }
        }
        else
        {
            var from = cameFrom[block].Peek(Builder);
            cameFrom[block].Pop(Builder);
            var edges = predecessors.Select(_ => frame.Method.AddBlock(null)).ToList();
            Builder.Switch(from, edges.Take(edges.Count - 1).ToList(), edges[edges.Count - 1]);
            for (var k = 0; k < predecessors.Count; k++)
            {
                Builder.AtEnd(edges[k]);
                MovePhiAdjoints(block, predecessors[k]);
                EnterReverse(block, predecessors[k]);
            }
        }
    }

    /// <summary>Continues with <paramref name="predecessor"/>'s reverse; entering a counted loop from its exit sets its counter first.</summary>
    private void EnterReverse(Block block, Block predecessor)
    {
        if (counters.TryGetValue(predecessor, out var counter) && !counter.Loop.Body.Contains(block))
            counter.Enter(Builder, cache.Reload, reverseBlocks[predecessor]);
        else
            Builder.Branch(reverseBlocks[predecessor]);
    }

    /// <summary>A load adds its adjoint into the shadow; a store takes (reads and zeroes) the shadow into the stored value's adjoint.</summary>
    private void ReverseShadowAccess(MemoryAccess access)
    {
        for (var lane = 0; lane < frame.Width; lane++)
        {
            if (!access.IsStore)
            {
                memory.Add(access, lane, adjoints.Read(access.Instruction, lane)!, cache.Reload);
                continue;
            }
            var taken = memory.Take(access, lane, cache.Reload);
            if (activity.IsActive(access.StoredValue!))
                adjoints.Add(access.StoredValue!, lane, taken);
        }
    }

    /// <summary>
    /// Each active phi of <paramref name="block"/> passes its adjoint to its value from <paramref name="predecessor"/>.
    /// All phi adjoints are read before any is cleared or added to: phis move in parallel (a phi may feed another).
    /// </summary>
    private void MovePhiAdjoints(Block block, Block predecessor)
    {
        var moves = new List<(Value Incoming, int Lane, Value Adjoint)>();
        foreach (var phi in block.Phis.Where(activity.IsActive))
        {
            var incoming = phi.Operands[System.Array.IndexOf(phi.Targets, predecessor)];
            for (var lane = 0; lane < frame.Width; lane++)
            {
                if (activity.IsActive(incoming))
                    moves.Add((incoming, lane, adjoints.Read(phi, lane)!));
            }
        }
        foreach (var phi in block.Phis.Where(activity.IsActive))
            ClearAdjoint(phi);
        foreach (var (incoming, lane, adjoint) in moves)
            adjoints.Add(incoming, lane, adjoint);
    }

    /// <summary>In loops a block's values are defined again on every execution, so their adjoints restart at zero.</summary>
    private void ClearAdjoint(Instruction instruction)
    {
        if (!hasCycles)
            return;
        for (var lane = 0; lane < frame.Width; lane++)
            adjoints.Clear(instruction, lane);
    }

    private List<Block> Predecessors(Block block) => block.Predecessors.Where(dominators.IsReachable).ToList();
}
