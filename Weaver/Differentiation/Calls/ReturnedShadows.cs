using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Autodiff.Weaver.Differentiation.Memory;
using Autodiff.Weaver.Diagnostics;
using Autodiff.Weaver.Ir;

namespace Autodiff.Weaver.Differentiation.Calls;

/// <summary>
/// The shadow of an array a call returns (Enzyme's shadow return): the callee's derivative allocates it alongside
/// its primal array and hands it back — forward mode as the tangent of its <c>(value, tangent)</c> result, reverse
/// mode on the call record, pushed last by the augmented forward and popped by the caller right after the call (the
/// caller's reverse then accumulates into it, and the callee's reverse reads its adjoints from the same array).
/// The caller's <see cref="ShadowMemory"/> is built before the call is replaced, so the returned array first gets a
/// placeholder shadow per lane (a <c>castclass</c> of the call), which the replacement points at the real shadow.
/// </summary>
public static class ReturnedShadows
{
    private static readonly ConditionalWeakTable<IrMethod, Dictionary<Instruction, Instruction[]>> Placeholders = new();

    /// <summary>The shadow of the array <paramref name="copy"/> (the copy of a call) returns, in one lane, until the call is replaced.</summary>
    public static Instruction Placeholder(IrBuilder builder, Instruction copy, int lane, int width)
    {
        var placeholders = Placeholders.GetOrCreateValue(builder.Method);
        if (!placeholders.TryGetValue(copy, out var lanes))
            placeholders[copy] = lanes = new Instruction[width];
        var cast = builder.Emit(Opcode.CastClass, copy.Type, copy);
        cast.TypeOperand = copy.Type;
        lanes[lane] = cast;
        return cast;
    }

    /// <summary>Points the placeholders of <paramref name="copy"/> at the shadows its replacement hands back, one per lane.</summary>
    public static void Resolve(Instruction copy, IReadOnlyList<Value> shadows)
    {
        if (!Placeholders.TryGetValue(copy.Block!.Method, out var placeholders) || !placeholders.TryGetValue(copy, out var lanes))
            throw new InvalidOperationException($"The call {copy} returns a shadowed array but its shadow has no placeholder.");
        placeholders.Remove(copy);
        for (var lane = 0; lane < lanes.Length; lane++)
            lanes[lane].SetOperand(0, shadows[lane]);
    }

    /// <summary>In a callee whose returned array carries a shadow back: that shadow at <paramref name="primalReturn"/>, in one lane.</summary>
    public static Value Of(ShadowMemory memory, Instruction primalReturn, int lane, Func<Value, Value> available)
    {
        var returned = primalReturn.Operands[0];
        if (!memory.Shadowed.Contains(returned))
            throw new WeaverException(DiagnosticCode.ReturnedArrayWithoutShadow,
                $"cannot differentiate {primalReturn.Block!.Method.Name} through its returned array: the array it returns here has no shadow (it is not allocated in the method, returned from a differentiated call or a parameter passed with its shadow); return a new array, or write into an array parameter instead",
                primalReturn.DebugLocation);
        return memory.ShadowOf(returned, lane, available);
    }
}
