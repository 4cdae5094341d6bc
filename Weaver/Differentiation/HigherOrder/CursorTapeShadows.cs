using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.HigherOrder;

/// <summary>
/// Forward mode over a reverse derivative whose tapes are cursors (a tape pushed inside a counted loop keeps the
/// array <c>Tape&lt;T&gt;.Storage(count, additional)</c> returns in a local: a push is a store into it, a peek a
/// load). That array is memory the derivative allocates, so it gets a shadow like any allocation: the storage of a
/// shadow tape, one per lane, rented right after the primal tape and returned with it. <c>Storage</c> called on
/// the shadow tape with the primal call's count and size keeps the first <c>count</c> values as the primal's does,
/// so the tangents stored beside the pushed values are where the peeks read them (Enzyme's shadow of its cache).
/// </summary>
public sealed class CursorTapeShadows
{
    private readonly DerivativeFrame frame;
    private readonly Dictionary<(Instruction Tape, int Lane), Instruction> shadowTapes = new();

    public CursorTapeShadows(DerivativeFrame frame) => this.frame = frame;

    /// <summary>A <c>Storage(count, additional)</c> call on a tape of floating values.</summary>
    public static bool IsStorage(Instruction instruction) =>
        TapeFlow.IsTapeOperation(instruction) && TapeFlow.OperationOf(instruction) == "Storage";

    /// <summary>The shadow of the primal <paramref name="storage"/> call in <paramref name="lane"/>, emitted by <paramref name="builder"/> (after its copy).</summary>
    public Instruction Shadow(IrBuilder builder, Instruction storage, int lane)
    {
        var copy = frame.Copy.Map(storage);
        var arguments = new List<Value> { ShadowTape(storage, lane) };
        arguments.AddRange(copy.Operands.Skip(1));
        return builder.Call((MethodReference)storage.Member!, storage.Type, arguments, storage.Opcode == Opcode.CallVirtual);
    }

    // The lane's shadow of the tape the storage belongs to: rented after the primal's Rent, returned after each Return of it.
    private Instruction ShadowTape(Instruction storage, int lane)
    {
        if (storage.Operands[0] is not Instruction tape || !TapeFlow.IsTapeOperation(tape) || TapeFlow.OperationOf(tape) != "Rent")
            throw new System.InvalidOperationException($"The tape of {storage} is not rented in the derivative differentiated here.");
        if (shadowTapes.TryGetValue((tape, lane), out var existing))
            return existing;
        var shadow = After(tape).Call((MethodReference)tape.Member!, tape.Type, System.Array.Empty<Value>());
        shadowTapes[(tape, lane)] = shadow;
        foreach (var release in tape.Uses.Select(u => u.User).Where(u => TapeFlow.IsTapeOperation(u) && TapeFlow.OperationOf(u) == "Return").ToList())
            After(release).Call((MethodReference)release.Member!, release.Type, new Value[] { shadow });
        return shadow;
    }

    private IrBuilder After(Instruction primal)
    {
        var copy = frame.Copy.Map(primal);
        var builder = new IrBuilder(frame.Method).Before(copy.Block!.Instructions[copy.Block.Instructions.IndexOf(copy) + 1]);
        builder.DebugLocation = primal.DebugLocation;
        return builder;
    }
}
