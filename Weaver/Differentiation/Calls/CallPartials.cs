using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Autodiff.Weaver.Differentiation.Rules;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Loading;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Calls;

/// <summary>
/// ∂f/∂xᵢ of a call, from the callee's derivative for the site's activity pattern. Forward: the callee's
/// forward derivative with tangent eᵢ (one call per active argument; the result's tangent is then
/// Σ ∂f/∂xᵢ·ẋᵢ as for any rule). Reverse: one call of the callee's reverse derivative with seed 1 in the
/// caller's reverse sweep, which recomputes the callee's primal and returns every active argument's partial;
/// the site's partials share that call. Recomputing is exact because the callee has no side effects
/// (<see cref="CalleeEffects"/>); Enzyme instead splits the callee into an augmented forward pass that
/// tapes what its reverse pass needs.
/// </summary>
public static class CallPartials
{
    private static readonly ConditionalWeakTable<RuleContext, Instruction> ReverseCalls = new();

    public static Value Build(RuleContext context, CallTarget target, int operand)
    {
        var forward = context.Mode == DerivativeMode.Forward;
        var activities = Enumerable.Range(0, target.OperandCount)
            .Select(i => target.IsDifferentiableOperand(i) && context.IsDifferentiated(i) ? (forward ? ActivityKind.Dual : ActivityKind.Active) : ActivityKind.Const)
            .ToList();
        var derivatives = CalleeDerivatives.Of(context.Builder.Method.Module);
        var callee = derivatives.PrimalOf(target, context.Primal);
        if (forward)
        {
            var (method, signature) = derivatives.Get(callee, DerivativeMode.Forward, activities, ActivityKind.DualOnly);
            return Call(context, method, signature, p => context.Builder.Method.Float(p.Type, p.PrimalIndex == operand ? 1 : 0));
        }
        if (activities.Count(a => a == ActivityKind.Active) > 7)
            throw CallErrors.TooManyGradients(context.Primal, target);
        var (reverse, reverseSignature) = derivatives.Get(callee, DerivativeMode.Reverse, activities, ActivityKind.ActiveOnly);
        if (!ReverseCalls.TryGetValue(context, out var gradients))
        {
            gradients = Call(context, reverse, reverseSignature, p => context.Builder.Method.Float(p.Type, 1));
            ReverseCalls.Add(context, gradients);
        }
        var index = reverseSignature.Results.ToList().FindIndex(r => r.Kind == DerivativeResultKind.Gradient && r.PrimalIndex == operand);
        if (reverseSignature.Results.Count == 1)
            return gradients;
        return TupleItems.Load(context.Builder, gradients, (GenericInstanceType)reverseSignature.ReturnType, index, reverseSignature.Results[index].Type);
    }

    /// <summary>Calls <paramref name="method"/> with the site's arguments and <paramref name="derivativeArgument"/> for each shadow or seed.</summary>
    private static Instruction Call(RuleContext context, MethodDefinition method, DerivativeSignature signature, System.Func<DerivativeParameter, Value> derivativeArgument)
    {
        var arguments = new List<Value>();
        foreach (var parameter in signature.Parameters)
            arguments.Add(parameter.Kind == DerivativeParameterKind.Primal ? context.Operands[parameter.PrimalIndex] : derivativeArgument(parameter));
        return context.Builder.Call(method, signature.ReturnType, arguments);
    }
}
