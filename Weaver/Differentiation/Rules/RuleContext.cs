using System;
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

    // Arithmetic on two constants is folded, so that a rule applied to constant operands (Pow(x, 3))
    // reads 3·x^2 rather than 3·x^(3 − 1 + [3 = 0]).
    public Value Add(Value a, Value b) => Fold(a, b, (x, y) => x + y) ?? Builder.Add(a, b);
    public Value Sub(Value a, Value b) => Fold(a, b, (x, y) => x - y) ?? Builder.Sub(a, b);
    public Value Mul(Value a, Value b) => Fold(a, b, (x, y) => x * y) ?? Builder.Mul(a, b);
    public Value Div(Value a, Value b) => Fold(a, b, (x, y) => x / y) ?? Builder.Div(a, b);
    public Value Neg(Value a) => Fold(a, a, (x, _) => -x) ?? Builder.Neg(a);

    /// <summary>1 where <paramref name="predicate"/> holds between <paramref name="a"/> and <paramref name="b"/>, else 0, in the result's type (branch-free selects).</summary>
    public Value Indicator(ComparePredicate predicate, Value a, Value b)
    {
        if (a is Constant { Payload: double x } && b is Constant { Payload: double y } && predicate is ComparePredicate.Equal or ComparePredicate.Less or ComparePredicate.Greater)
            return Constant(predicate switch { ComparePredicate.Equal => x == y, ComparePredicate.Less => x < y, _ => x > y } ? 1 : 0);
        if (a is Constant { Payload: float f } && b is Constant { Payload: float g } && predicate is ComparePredicate.Equal or ComparePredicate.Less or ComparePredicate.Greater)
            return Constant(predicate switch { ComparePredicate.Equal => f == g, ComparePredicate.Less => f < g, _ => f > g } ? 1 : 0);
        return Builder.Convert(Builder.Compare(predicate, a, b), Result.Type);
    }

    /// <summary>The constant <paramref name="operation"/>(a, b) when both are constants of one floating type, computed in that type.</summary>
    private Value? Fold(Value a, Value b, Func<double, double, double> operation) => (a, b) switch
    {
        (Constant { Payload: double x }, Constant { Payload: double y }) => Builder.Method.Float64(operation(x, y)),
        (Constant { Payload: float x }, Constant { Payload: float y }) => Builder.Method.Float32((float)operation(x, y)),
        _ => null,
    };

    /// <summary>
    /// trunc(<paramref name="value"/>) through <c>System.Math.Truncate(double)</c>, for opcodes, which have no
    /// callee whose siblings <see cref="Call"/> could use; a float is widened and narrowed back exactly.
    /// </summary>
    public Value Truncate(Value value)
    {
        var types = Builder.Types;
        var math = new TypeReference("System", "Math", Builder.Method.Module, types.Double.Scope);
        var truncate = new MethodReference("Truncate", types.Double, math) { HasThis = false };
        truncate.Parameters.Add(new ParameterDefinition(types.Double));
        var isDouble = value.Type.MetadataType == MetadataType.Double;
        var truncated = Builder.Call(truncate, types.Double, new[] { isDouble ? value : Builder.Convert(value, types.Double) });
        return isDouble ? truncated : Builder.Convert(truncated, value.Type);
    }

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
