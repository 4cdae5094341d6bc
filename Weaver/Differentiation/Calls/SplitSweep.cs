using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Analysis;
using Autodiff.Weaver.Differentiation.Memory;
using Autodiff.Weaver.Differentiation.Reverse;
using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Calls;

/// <summary>
/// What one half of a split callee derivative changes in the reverse sweep: its tapes outlive it. The augmented
/// forward rents its tapes on entry and, at each return, pushes the tape objects onto the caller's call record
/// (a <c>Tape&lt;object&gt;</c> passed as the last parameter) in creation order; the reverse half pops them back on
/// entry, in the opposite order (entry code is inserted last-first), and returns them to the pool on exit. The
/// caller's reverse sweep calls the reverse halves in the opposite order of the augmented calls, so the record is
/// a stack every half finds its own tapes on top of (Enzyme passes each callee's tape to its reverse the same way).
/// The shadows of the arrays the callee allocates go over the same way, after its tapes: each allocation's shadow
/// (the one allocated alongside it, or the one a nested call returned), and the maps recording the shadows of
/// allocations made in loops; then, when the callee returns an array carrying derivatives, that array's shadow,
/// which the caller pops right after the call (<see cref="ReturnedShadows"/>).
/// </summary>
public sealed class SplitSweep
{
    private readonly DerivativeFrame frame;
    private readonly ShadowMemory memory;
    private readonly IrMethod method;
    private readonly List<PooledTape> tapes = new();

    public SplitSweep(SplitHalf half, DerivativeFrame frame, ShadowMemory memory, Parameter record)
    {
        Half = half;
        this.frame = frame;
        this.memory = memory;
        method = frame.Method;
        Record = new PooledTape(method.Module, method.Module.TypeSystem.Object, _ => record);
    }

    public SplitHalf Half { get; }

    /// <summary>The call record: the nested split calls' records go onto it too, below this half's own tapes.</summary>
    public PooledTape Record { get; }

    /// <summary>Which return the augmented half took, when it has several: the reverse half starts its sweep there.</summary>
    public PooledTape? ReturnIndex { get; private set; }

    public IValueTape NewTape(TypeReference type)
    {
        var tape = Half == SplitHalf.AugmentedForward
            ? new PooledTape(SlotAdjoints.EntryBuilder(method), type, sized: false)
            : new PooledTape(method.Module, type, TakeFromRecord);
        tapes.Add(tape);
        return tape;
    }

    /// <summary>
    /// Declares the return-index tape when the primal has several reachable returns (both halves call it at the same
    /// point); returns it, for the sweep to release with its other tapes.
    /// </summary>
    public PooledTape? DeclareReturns(int reachableReturns)
    {
        if (reachableReturns > 1)
            ReturnIndex = (PooledTape)NewTape(method.Types.Int32);
        return ReturnIndex;
    }

    /// <summary>
    /// Augmented half, before its return number <paramref name="index"/> (<paramref name="primalReturn"/>): records the
    /// index and hands every tape and allocation shadow over, then the returned array's shadow when it has one.
    /// </summary>
    public void HandOver(IrBuilder builder, int index, Instruction primalReturn)
    {
        ReturnIndex?.Push(builder, method.Int32(index));
        foreach (var tape in tapes)
            Record.Push(builder, tape.Storage);
        foreach (var shadow in AllocationShadows())
            Record.Push(builder, shadow);
        if (frame.Request.ReturnActivity != CallAllocations.ReturnActivity(frame.Request.Mode) || !CallAllocations.IsFloatArray(frame.Primal.ReturnType))
        {
            // Only arrays of float/double carry their shadow back; an object the caller would read without it is rejected.
            if (primalReturn.Operands.Count == 1 && memory.Shadowed.Contains(primalReturn.Operands[0]))
                throw CallErrors.ReturnsShadowedObject(primalReturn, frame.Primal.Name);
            return;
        }
        frame.Builder.Before(builder.Block.Terminator!).DebugLocation = primalReturn.DebugLocation;
        for (var lane = 0; lane < frame.Width; lane++)
            Record.Push(frame.Builder, ReturnedShadows.Of(memory, primalReturn, lane, frame.Copy.Map));
    }

    /// <summary>
    /// Reverse half, once its sweep is built: takes the allocation shadows back from the record (on entry, before the
    /// tapes under them) and uses them wherever the sweep used the forward sweep's.
    /// </summary>
    public void TakeAllocationShadows()
    {
        foreach (var shadow in AllocationShadows())
        {
            var taken = TakeFromRecord(shadow.Type);
            shadow.ReplaceAllUsesWith(taken);
            if (memory.Maps.Contains(shadow))
                shadow.Remove();
        }
    }

    /// <summary>
    /// The shadows the reverse half needs from the augmented one, in the same order in both: those of allocations kept
    /// in SSA values (in program order, lane by lane), then the maps of the others.
    /// </summary>
    private IEnumerable<Instruction> AllocationShadows()
    {
        var notKept = ShadowMaps.AllocationsNotKept(frame.Primal, memory.Shadowed);
        var position = frame.Primal.Blocks.SelectMany(b => b.Instructions).Select((instruction, i) => (instruction, i)).ToDictionary(p => p.instruction, p => p.i);
        var kept = memory.Shadowed.Allocations
            .Where(a => !notKept.Contains(a) && !ShadowAllocations.IsScalarCell(a) && !HigherOrder.CursorTapeShadows.IsStorage(a))
            .OrderBy(a => position[a]);
        foreach (var allocation in kept)
        {
            for (var lane = 0; lane < frame.Width; lane++)
                yield return (Instruction)memory.AllocationShadow(allocation, lane);
        }
        foreach (var map in memory.Maps)
            yield return map;
    }

    private Value TakeFromRecord(PooledTape tape) => TakeFromRecord(tape.StorageType);

    private Instruction TakeFromRecord(TypeReference type)
    {
        var builder = SlotAdjoints.EntryBuilder(method);
        var taken = Record.Peek(builder);
        Record.Pop(builder);
        var cast = builder.Emit(Opcode.CastClass, type, taken);
        cast.TypeOperand = type;
        return cast;
    }
}
