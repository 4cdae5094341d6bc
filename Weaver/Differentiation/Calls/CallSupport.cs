using Autodiff.Weaver.Differentiation.Rules;
using Autodiff.Weaver.Ir;

namespace Autodiff.Weaver.Differentiation.Calls;

/// <summary>
/// Rejects, before anything is built, a call with a varied argument that cannot be differentiated through its
/// callee: no body (AD3001), a target chosen at run time (AD3003), a generic instantiation (AD3004), or a
/// callee with side effects (AD3002). Calls covered by the rule table or <c>[Inactive]</c>, and framework
/// calls (left to the rule table's own diagnostic), pass.
/// </summary>
public static class CallSupport
{
    public static void Check(Instruction instruction, Mono.Cecil.ModuleDefinition module)
    {
        if (CallTarget.Of(instruction) is not { } target || InactiveAnnotation.IsInactive(target.Reference)
            || target.Definition != null && CalleeDerivatives.Of(module).Rules.Covers(target.Definition))
            return;
        switch (target.Kind)
        {
            case CallTargetKind.NoBody:
                throw CallErrors.MissingBody(instruction, target);
            case CallTargetKind.Virtual:
                throw CallErrors.UnknownTarget(instruction, target);
            case CallTargetKind.Generic when !target.IsInstantiable:
                throw CallErrors.Generic(instruction, target);
            case CallTargetKind.Body or CallTargetKind.Generic:
                var primal = CalleeDerivatives.Of(module).PrimalOf(target, instruction);
                if (CalleeEffects.FirstEffect(primal) is { } effect)
                    throw CallErrors.HasEffects(instruction, target, effect);
                break;
        }
    }
}
