using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Autodiff.Weaver.Differentiation.Rules;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Loading;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Calls;

/// <summary>
/// ∂f/∂xᵢ of a call, from the callee's derivative for the site's activity pattern (user rules: either mode, below).
/// Reverse, for <c>[Checkpoint]</c> callees (others are split, <see cref="SplitCalls"/>):
/// one call of the callee's reverse derivative with seed 1 in the caller's reverse sweep, which recomputes the
/// callee's primal and returns every active argument's partial; the site's partials share that call.
/// Recomputing is exact because a checkpointed callee must have no side effects (<see cref="CalleeEffects"/>).
/// </summary>
public static class CallPartials
{
    private static readonly ConditionalWeakTable<RuleContext, Instruction> ReverseCalls = new();

    /// <summary>
    /// ∂f/∂x at <paramref name="operand"/>. Forward mode replaces most calls (<see cref="CallTangents"/>); it comes here
    /// for calls of woven derivatives (higher order), whose tangent is the forward derivative's (DualOnly, tangent eᵢ),
    /// a scalar the next order can differentiate again.
    /// </summary>
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
            return FromDerivative(context, method, signature, DerivativeMode.Forward, operand);
        }
        var (reverse, reverseSignature) = derivatives.Get(callee, DerivativeMode.Reverse, activities, ActivityKind.ActiveOnly);
        return FromDerivative(context, reverse, reverseSignature, DerivativeMode.Reverse, operand);
    }

    /// <summary>
    /// ∂f/∂x at <paramref name="operand"/> from a derivative of the callee in <paramref name="mode"/> (synthesized or a
    /// user rule): forward with tangent eᵢ, reading the tangent; reverse with seed 1, reading the gradient (one
    /// call per site, shared by its partials).
    /// </summary>
    public static Value FromDerivative(RuleContext context, MethodReference method, DerivativeSignature signature, DerivativeMode mode, int operand)
    {
        if (mode == DerivativeMode.Forward)
        {
            var tangent = Call(context, method, signature, p => context.Builder.Method.Float(p.Type, p.PrimalIndex == operand ? 1 : 0));
            return Element(context, tangent, signature, r => r.Kind == DerivativeResultKind.Tangent);
        }
        if (!ReverseCalls.TryGetValue(context, out var gradients))
        {
            gradients = Call(context, method, signature, p => context.Builder.Method.Float(p.Type, 1));
            ReverseCalls.Add(context, gradients);
        }
        return Element(context, gradients, signature, r => r.Kind == DerivativeResultKind.Gradient && r.PrimalIndex == operand);
    }

    private static Value Element(RuleContext context, Instruction call, DerivativeSignature signature, System.Predicate<DerivativeResultElement> which)
    {
        if (signature.Results.Count == 1)
            return call;
        var index = signature.Results.ToList().FindIndex(which);
        // Past seven gradients the tuple nests the rest through Rest.
        return NestedTupleItems.Load(context.Builder, call, signature.ReturnType, index, signature.Results[index].Type);
    }

    /// <summary>Calls <paramref name="method"/> with the site's arguments and <paramref name="derivativeArgument"/> for each shadow or seed.</summary>
    private static Instruction Call(RuleContext context, MethodReference method, DerivativeSignature signature, System.Func<DerivativeParameter, Value> derivativeArgument)
    {
        var arguments = new List<Value>();
        foreach (var parameter in signature.Parameters)
            arguments.Add(parameter.Kind == DerivativeParameterKind.Primal ? context.Operands[parameter.PrimalIndex] : derivativeArgument(parameter));
        return context.Builder.Call(method, signature.ReturnType, arguments);
    }
}
