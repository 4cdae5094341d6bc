using System.Linq;
using Autodiff.Weaver.Analysis;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Loading;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Calls;

/// <summary>
/// Calls that receive shadowed memory (a Duplicated/Dual array) as an argument, other than the array and span
/// accessors the memory analysis follows itself, or return an array given a shadow (<see cref="CallAllocations"/>).
/// Their result depends on that memory, and they may write it.
/// </summary>
public static class ShadowedCalls
{
    public static bool Is(Instruction instruction, ShadowedMemory memory) =>
        instruction.Opcode is Opcode.Call or Opcode.CallVirtual
        && MemoryAccess.ArrayMethod(instruction) is not { Name: "Address" }
        && !ShadowedMemory.IsSpanIndexer(instruction)
        && !ShadowedMemory.ReadsOnlyShape(instruction)
        && !Bcl.ShadowMirrors.IsMirrored(instruction, memory)
        && !SpanArguments.IsWindow(instruction, memory)
        && (instruction.Operands.Any(o => SpanArguments.IsShadowed(o, memory)) || memory.Contains(instruction) && CallAllocations.ReturnsArray(instruction));

    /// <summary>
    /// Whether the call is differentiated through its callee in <paramref name="mode"/>: always forward; in reverse
    /// when each shadowed argument is an array, reference or object parameter (not a span or struct) and the callee
    /// is known with IL — split into
    /// augmented forward and reverse (<see cref="SplitCalls"/>), or recomputed when <c>[Checkpoint]</c>, which needs a
    /// callee that writes no memory.
    /// </summary>
    public static bool AreDifferentiable(Instruction instruction, ShadowedMemory memory, DerivativeMode mode, ModuleDefinition module)
    {
        // A span window passed on: the call taking it is what is differentiated.
        if (SpanArguments.IsWindow(instruction, memory))
            return true;
        if (!Is(instruction, memory))
            return false;
        if (mode == DerivativeMode.Forward)
            return true;
        if (instruction.Operands.Any(o => memory.Contains(o) && !IsPassable(o)))
            return false;
        var target = CallTarget.Of(instruction)!;
        // A [Checkpoint] callee's reverse is handed the caller's shadow parameters themselves.
        if (target.IsCheckpointed && instruction.Operands.Any(o => SpanArguments.IsShadowed(o, memory) && o is not Parameter))
            return false;
        return (target.Kind == CallTargetKind.Body || target.IsInstantiable)
            && (!target.IsCheckpointed || CalleeEffects.FirstEffect(CalleeDerivatives.Of(module).PrimalOf(target, instruction)) == null);
    }

    /// <summary>
    /// A shadowed argument whose shadow both sweeps can rebuild (<c>Memory.ShadowMemory</c>): an array, reference or
    /// object parameter, an object read through fields of one (<c>t.Left</c> of a tree walked recursively), a row of
    /// a jagged array (<c>a[i]</c>), an element's address (<c>ref a[i]</c>), an array the method allocates or a call
    /// returned — any shadowed reference — a span parameter passed on whole, and a <c>float</c>/<c>double</c> local
    /// passed by reference, whose shadow is a local of the derivative; not a struct value.
    /// </summary>
    public static bool IsPassable(Value operand) =>
        operand is Instruction slot && ShadowAllocations.IsScalarCell(slot) || !operand.Type.IsValueType || operand is Parameter && ShadowedMemory.IsSpan(operand.Type);
}
