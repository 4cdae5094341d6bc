using System.Linq;
using Autodiff.Weaver.Differentiation.Rules;
using Autodiff.Weaver.Ir;

namespace Autodiff.Weaver.Differentiation.Calls;

/// <summary>
/// The derivative rule of a call whose callee's IL the weaver can differentiate: ∂f/∂xᵢ of the call comes from
/// the callee's own derivative (<see cref="CallPartials"/>), so both modes treat the call like any other
/// operation of the rule table. A call returning no float or double has no derivative; its callee must be
/// free of side effects for that to hold (<see cref="CallSupport"/> checks it).
/// </summary>
public static class CallRule
{
    /// <summary>
    /// The rule a user's <c>[ForwardRule]</c>/<c>[ReverseRule]</c> gives a call, whatever its callee (user code, another
    /// assembly, the BCL); it overrides the rule table and the callee's body.
    /// </summary>
    public static DerivativeRule? FindCustom(Instruction instruction)
    {
        if (CallTarget.Of(instruction) is not { Definition: { } definition } target || instruction.Block == null)
            return null;
        var rules = CalleeDerivatives.Of(instruction.Block.Method.Module).Rules;
        if (!rules.Covers(definition))
            return null;
        var partials = Enumerable.Range(0, instruction.Operands.Count)
            .Select(i => target.IsDifferentiableOperand(i)
                ? c =>
                {
                    var rule = rules.Find(definition, c.Mode)!;
                    return CallPartials.FromDerivative(c, rule.Method, rule.Signature, rule.Mode, i);
                }
                : (PartialDerivative?)null)
            .ToArray();
        return new DerivativeRule("[custom rule] " + target.Name, partials);
    }

    public static DerivativeRule? Find(Instruction instruction)
    {
        if (CallTarget.Of(instruction) is not { } target || target.Kind != CallTargetKind.Body && !target.IsInstantiable)
            return null;
        if (!CallTarget.IsFloating(instruction.Type))
            return DerivativeRule.Zero(target.Name, instruction.Operands.Count);
        var partials = Enumerable.Range(0, instruction.Operands.Count)
            .Select(i => target.IsDifferentiableOperand(i) ? c => CallPartials.Build(c, target, i) : (PartialDerivative?)null)
            .ToArray();
        return new DerivativeRule(target.Name, partials);
    }
}
