using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.HigherOrder;

/// <summary>
/// The tapes of a woven reverse derivative (<c>Autodiff.Runtime.Tape&lt;double&gt;</c> / <c>&lt;float&gt;</c>), met
/// when that derivative is differentiated again in forward mode. A tape is memory: a value pushed on it comes
/// back from <c>Peek</c>, so derivatives flow from what is pushed to what is peeked, through the tape (Enzyme
/// treats its own caches the same way when it differentiates a derivative). Each tape is one SSA value, rented
/// once at the derivative's entry.
/// </summary>
public static class TapeFlow
{
    private const string TapeType = "Autodiff.Runtime.Tape`1";

    /// <summary>Whether <paramref name="type"/> is a tape of floating values.</summary>
    public static bool IsFloatingTape(TypeReference type) =>
        type is GenericInstanceType instance
        && instance.ElementType.FullName == TapeType
        && instance.GenericArguments.Count == 1
        && instance.GenericArguments[0].MetadataType is MetadataType.Double or MetadataType.Single;

    /// <summary>A call of a tape's member (<c>Rent</c>, <c>Push</c>, <c>Peek</c>, <c>Pop</c>, <c>Reserve</c>, <c>Return</c>) on a floating tape.</summary>
    public static bool IsTapeOperation(Instruction instruction) =>
        instruction.Opcode is Opcode.Call or Opcode.CallVirtual
        && instruction.Member is MethodReference { DeclaringType: var type }
        && IsFloatingTape(type);

    /// <summary>The member a tape operation calls.</summary>
    public static string OperationOf(Instruction instruction) => ((MethodReference)instruction.Member!).Name;

    /// <summary>Where a varied value makes others varied through tapes: a pushed value → its tape; a tape → what is peeked from it.</summary>
    public static IEnumerable<Value> VariedThrough(Value value)
    {
        foreach (var use in value.Uses)
        {
            if (use.Index == 1 && IsTapeOperation(use.User) && OperationOf(use.User) == "Push")
                yield return use.User.Operands[0];
        }
        if (IsFloatingTape(value.Type))
        {
            foreach (var peek in Operations(value, "Peek"))
                yield return peek;
        }
    }

    /// <summary>Where a useful value makes others useful through tapes: a peeked value → its tape; a tape → what is pushed on it.</summary>
    public static IEnumerable<Value> UsefulThrough(Value value)
    {
        if (value is Instruction instruction && IsTapeOperation(instruction) && OperationOf(instruction) == "Peek")
            yield return instruction.Operands[0];
        if (IsFloatingTape(value.Type))
        {
            foreach (var push in Operations(value, "Push"))
                yield return push.Operands[1];
        }
    }

    private static IEnumerable<Instruction> Operations(Value tape, string name) =>
        tape.Uses.Where(u => u.Index == 0 && IsTapeOperation(u.User) && OperationOf(u.User) == name).Select(u => u.User);
}
