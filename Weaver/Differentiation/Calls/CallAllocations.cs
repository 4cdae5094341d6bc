using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Analysis;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Loading;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Calls;

/// <summary>
/// Memory that gets a shadow because of a call (Enzyme's activity of pointers passed to and returned from calls):
/// an array a callee returns when the call has a varied or shadowed argument (its shadow comes back from the callee's
/// derivative, <see cref="ReturnedShadows"/>), an array the method allocates and passes to such a call (the callee
/// may store derivatives into it), and — in a callee whose returned array carries a shadow back to its caller — the
/// arrays it returns.
/// </summary>
public static class CallAllocations
{
    /// <summary>
    /// A call of a callee with IL (or a generic instantiation) returning an array of float or double (any rank,
    /// jagged at any depth): its derivative hands the returned array's shadow back.
    /// </summary>
    public static bool ReturnsArray(Instruction call) =>
        call.Opcode is Opcode.Call or Opcode.CallVirtual && IsFloatArray(call.Type)
        && CallTarget.Of(call) is { } target && (target.Kind == CallTargetKind.Body || target.IsInstantiable)
        && target.Reference.DeclaringType.Namespace != "Autodiff.Runtime"
        && !Rules.InactiveAnnotation.IsInactive(target.Reference)
        && !CalleeDerivatives.Of(call.Block!.Method.Module).Rules.Covers(target.Definition!);

    /// <summary>The shadow activity of a returned array: Duplicated in reverse mode (its shadow is handed back through the call record), Dual in forward mode.</summary>
    public static ActivityKind ReturnActivity(DerivativeMode mode) => mode == DerivativeMode.Forward ? ActivityKind.Dual : ActivityKind.Duplicated;

    /// <summary>The calls and allocations of <paramref name="primal"/> that need a shadow and have none yet.</summary>
    public static IEnumerable<Instruction> Needed(IrMethod primal, DifferentiationRequest request, ActivityAnalysis activity, ShadowedMemory memory)
    {
        var instructions = primal.Blocks.SelectMany(b => b.Instructions).ToList();
        bool IsDifferentiated(Value operand) => activity.IsVaried(operand) || memory.Contains(operand);
        var returnedArrays = instructions.Where(i => ReturnsArray(i) && i.Operands.Any(IsDifferentiated));
        var passedAllocations = instructions
            .Where(i => i.Opcode is Opcode.Call or Opcode.CallVirtual && CallTarget.Of(i) is { Kind: CallTargetKind.Body or CallTargetKind.Generic })
            .SelectMany(call => call.Operands.Where(o => call.Operands.Any(other => other != o && IsDifferentiated(other))))
            .Select(ShadowedMemory.BaseOf)
            .OfType<Instruction>()
            .Where(IsArrayAllocation);
        var returned = request.ReturnActivity == ReturnActivity(request.Mode) && IsFloatArray(primal.ReturnType)
            ? primal.Blocks.Select(b => b.Terminator).Where(t => t is { Opcode: Opcode.Return, Operands.Count: 1 }).SelectMany(t => Origins(t!.Operands[0], new HashSet<Value>()))
            : Enumerable.Empty<Instruction>();
        return returnedArrays.Concat(passedAllocations).Concat(returned).Where(i => !memory.Contains(i)).Distinct();
    }

    // The allocations and array-returning calls a returned reference may come from, through phis and steps.
    private static IEnumerable<Instruction> Origins(Value reference, HashSet<Value> visited)
    {
        reference = ShadowedMemory.BaseOf(reference);
        if (!visited.Add(reference) || reference is not Instruction instruction)
            return Enumerable.Empty<Instruction>();
        if (instruction.Opcode == Opcode.Phi)
            return instruction.Operands.SelectMany(incoming => Origins(incoming, visited));
        return IsArrayAllocation(instruction) || ReturnsArray(instruction) ? new[] { instruction } : Enumerable.Empty<Instruction>();
    }

    // new T[n] and new T[n, m] (a constructor call of the array type) of float or double elements; a shadow of the same shape is allocated alongside.
    private static bool IsArrayAllocation(Instruction instruction) =>
        instruction.Opcode is Opcode.NewArray or Opcode.NewObject && instruction.Type is ArrayType && IsFloatArray(instruction.Type);

    /// <summary>An array whose elements (or whose inner arrays' elements) are float or double.</summary>
    public static bool IsFloatArray(TypeReference type)
    {
        if (type is not ArrayType)
            return false;
        while (type is ArrayType array)
            type = array.ElementType;
        return type.MetadataType is MetadataType.Double or MetadataType.Single;
    }
}
