using System.Linq;
using Autodiff.Weaver.Analysis;
using Autodiff.Weaver.Differentiation.Rules;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Loading;

namespace Autodiff.Weaver.Differentiation.Calls;

/// <summary>
/// Rejects, before anything is built, a call with a varied argument that cannot be differentiated through its
/// callee: a struct local passed by reference (AD3007), no body (AD3001), a target chosen at run time (AD3003), a generic instantiation (AD3004), or a
/// callee with side effects where its derivative would run it again (AD3002): <c>[Checkpoint]</c> callees, and
/// calls that are not differentiated at all. Reverse mode runs a split callee once
/// (<see cref="SplitCalls"/>), forward mode one forward derivative instead of the call (<see cref="CallTangents"/>). Calls covered by the rule table or <c>[Inactive]</c>, and framework calls (left to the
/// rule table's own diagnostic), pass.
/// </summary>
public static class CallSupport
{
    public static void Check(Instruction instruction, DifferentiationRequest request, ActivityAnalysis activity, ShadowedMemory memory)
    {
        var module = instruction.Block!.Method.Module;
        if (CallTarget.Of(instruction) is not { } target || InactiveAnnotation.IsInactive(target.Reference)
            || target.Definition != null && CalleeDerivatives.Of(module).Rules.Covers(target.Definition))
            return;
        if (target.Kind != CallTargetKind.Framework && instruction.Operands.OfType<Instruction>().FirstOrDefault(IsDifferentiableLocal) is { } local)
            throw CallErrors.LocalByReference(instruction, target, local);
        switch (target.Kind)
        {
            case CallTargetKind.NoBody:
                throw CallErrors.MissingBody(instruction, target);
            case CallTargetKind.Virtual:
                throw CallErrors.UnknownTarget(instruction, target);
            case CallTargetKind.Generic when !target.IsInstantiable:
                throw CallErrors.Generic(instruction, target);
            case CallTargetKind.Body or CallTargetKind.Generic:
                if (request.Mode == DerivativeMode.Reverse && SplitCalls.Is(instruction, activity, memory))
                    break;
                if (request.Mode == DerivativeMode.Forward && CallTangents.Replaces(instruction, activity, memory))
                    break;
                var primal = CalleeDerivatives.Of(module).PrimalOf(target, instruction);
                if (CalleeEffects.FirstEffect(primal, ownArrays: HigherOrder.SelfContainedDerivatives.Is(primal, module)) is { } effect)
                    throw CallErrors.HasEffects(instruction, target, effect, target.IsCheckpointed && request.Mode == DerivativeMode.Reverse);
                break;
        }
    }

    // ref/out/in of a struct local to a helper that is not inlined: its fields have no shadow to pass along (a float or
    // double local passed so is a shadowed memory cell, ShadowAllocations.IsScalarCell).
    private static bool IsDifferentiableLocal(Instruction operand) =>
        operand.Opcode == Opcode.StackSlot && operand.TypeOperand is { } type
        && type.IsValueType && !type.IsPrimitive && type.MetadataType != Mono.Cecil.MetadataType.Void;
}
