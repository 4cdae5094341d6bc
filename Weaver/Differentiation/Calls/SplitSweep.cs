using System.Collections.Generic;
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
/// </summary>
public sealed class SplitSweep
{
    private readonly IrMethod method;
    private readonly List<PooledTape> tapes = new();

    public SplitSweep(SplitHalf half, IrMethod method, Parameter record)
    {
        Half = half;
        this.method = method;
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

    /// <summary>Augmented half, before its return number <paramref name="index"/>: records the index and hands every tape over.</summary>
    public void HandOver(IrBuilder builder, int index)
    {
        ReturnIndex?.Push(builder, method.Int32(index));
        foreach (var tape in tapes)
            Record.Push(builder, tape.Storage);
    }

    private Value TakeFromRecord(PooledTape tape)
    {
        var builder = SlotAdjoints.EntryBuilder(method);
        var taken = Record.Peek(builder);
        Record.Pop(builder);
        var cast = builder.Emit(Opcode.CastClass, tape.StorageType, taken);
        cast.TypeOperand = tape.StorageType;
        return cast;
    }
}
