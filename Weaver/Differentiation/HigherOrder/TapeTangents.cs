using System;
using System.Linq;
using Autodiff.Weaver.Analysis;
using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.HigherOrder;

/// <summary>
/// Forward mode over a woven reverse derivative (forward over reverse): each tape holding active values gets one
/// shadow tape per lane that every operation mirrors — rented and returned with it, pushed the tangent of what
/// is pushed (zero when that has none), peeked and popped in step — so <c>Peek</c>'s tangent is the shadow's
/// <c>Peek</c>, as a load's tangent is its shadow's load (<see cref="TapeFlow"/>).
/// </summary>
public static class TapeTangents
{
    /// <summary>
    /// Whether the instruction is a tape operation, which the derivative follows itself: forward mode here, reverse mode
    /// backwards on the tape's adjoints (<see cref="TapeAdjointSweep"/>).
    /// </summary>
    public static bool IsMirrored(Instruction instruction) => TapeFlow.IsTapeOperation(instruction);

    /// <summary>Whether the instruction is an operation of a tape that holds active values.</summary>
    public static bool Applies(Instruction instruction, ActivityAnalysis activity) =>
        TapeFlow.IsTapeOperation(instruction) && TapeOf(instruction) is { } tape && activity.IsActive(tape);

    /// <summary>
    /// Mirrors <paramref name="instruction"/> on its tape's shadows, at the builder's position (after the primal copy).
    /// </summary>
    /// <param name="tangents">The lanes of a value's tangent (a tape's lanes are its shadow tapes), or null when it has none.</param>
    /// <returns>The shadow tapes of <c>Rent</c>, the peeked tangents of <c>Peek</c>; null for the other operations.</returns>
    public static Value[]? Emit(DerivativeFrame frame, Instruction instruction, Func<Value, Value[]?> tangents)
    {
        var builder = frame.Builder;
        var method = (MethodReference)instruction.Member!;
        var isVirtual = instruction.Opcode == Opcode.CallVirtual;
        var operation = TapeFlow.OperationOf(instruction);
        if (operation == "Rent")
            return Lanes(frame, _ => builder.Call(method, instruction.Type, Array.Empty<Value>()));
        var shadows = tangents(instruction.Operands[0])!;
        switch (operation)
        {
            case "Peek":
                return Lanes(frame, lane => builder.Call(method, instruction.Type, new[] { shadows[lane] }, isVirtual));
            case "Push":
                var pushed = instruction.Operands[1];
                var pushedTangents = tangents(pushed);
                Lanes(frame, lane => builder.Call(method, instruction.Type,
                    new[] { shadows[lane], pushedTangents?[lane] ?? DerivativeArithmetic.Zero(builder, pushed.Type) }, isVirtual));
                return null;
            default:
                // Pop, Reserve(count), Return(tape): the same call on each shadow, the other arguments as the primal's.
                var rest = instruction.Operands.Skip(1).Select(operand => frame.Copy.Map(operand)).ToList();
                Lanes(frame, lane => builder.Call(method, instruction.Type, new[] { shadows[lane] }.Concat(rest).ToList(), isVirtual));
                return null;
        }
    }

    // Rent's result is the tape; every other operation takes it as its first operand (the receiver, or Return's argument).
    private static Value? TapeOf(Instruction instruction) =>
        TapeFlow.OperationOf(instruction) == "Rent" ? instruction : instruction.Operands.Count > 0 ? instruction.Operands[0] : null;

    private static Value[] Lanes(DerivativeFrame frame, Func<int, Value> emit) =>
        Enumerable.Range(0, frame.Width).Select(emit).ToArray();
}
