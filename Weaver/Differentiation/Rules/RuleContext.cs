using System.Collections.Generic;
using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Rules;

/// <summary>
/// What a <see cref="PartialDerivative"/> builds from: the derivative method's copies of the primal
/// instruction's operands and result, and a builder already positioned and carrying the primal's debug location.
/// </summary>
public sealed class RuleContext
{
    public RuleContext(IrBuilder builder, Instruction primal, IReadOnlyList<Value> operands, Value result)
    {
        Builder = builder;
        Primal = primal;
        Operands = operands;
        Result = result;
    }

    public IrBuilder Builder { get; }

    /// <summary>The primal instruction being differentiated (for its callee and payload).</summary>
    public Instruction Primal { get; }

    public IReadOnlyList<Value> Operands { get; }

    public Value Result { get; }

    public Value X => Operands[0];

    public Value Y => Operands[1];

    /// <summary>A floating constant of the result's type.</summary>
    public Value Constant(double value) => Builder.Method.Float(Result.Type, value);

    public Value Add(Value a, Value b) => Builder.Add(a, b);
    public Value Sub(Value a, Value b) => Builder.Sub(a, b);
    public Value Mul(Value a, Value b) => Builder.Mul(a, b);
    public Value Div(Value a, Value b) => Builder.Div(a, b);
    public Value Neg(Value a) => Builder.Neg(a);

    /// <summary>1 where <paramref name="predicate"/> holds between <paramref name="a"/> and <paramref name="b"/>, else 0, in the result's type (branch-free selects).</summary>
    public Value Indicator(ComparePredicate predicate, Value a, Value b) =>
        Builder.Convert(Builder.Compare(predicate, a, b), Result.Type);

    /// <summary>
    /// Calls a sibling of the primal callee (e.g. <c>Cos</c> next to <c>Sin</c>) on the same declaring type,
    /// so <c>Math</c>, <c>MathF</c> and <c>double</c>/<c>float</c> each derive with their own precision.
    /// </summary>
    public Value Call(string name, params Value[] arguments)
    {
        var callee = (MethodReference)Primal.Member!;
        var sibling = new MethodReference(name, callee.ReturnType, callee.DeclaringType) { HasThis = false };
        foreach (var argument in arguments)
            sibling.Parameters.Add(new ParameterDefinition(argument.Type));
        return Builder.Call(sibling, callee.ReturnType, arguments);
    }
}
