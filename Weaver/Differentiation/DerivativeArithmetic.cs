using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation;

/// <summary>
/// The arithmetic both modes build from partial derivatives: scaling a direction by a partial (without
/// multiplying by ±1), moving between float and double, and summing contributions.
/// </summary>
public static class DerivativeArithmetic
{
    /// <summary>∂·d in ∂'s type, skipping the multiplication when ∂ is the constant 1 or −1.</summary>
    public static Value Scale(IrBuilder builder, Value partial, Value direction)
    {
        if (partial is Constant { Payload: double or float } constant)
        {
            var value = System.Convert.ToDouble(constant.Payload, System.Globalization.CultureInfo.InvariantCulture);
            if (value == 1)
                return direction;
            if (value == -1)
                return builder.Neg(direction);
        }
        return builder.Mul(partial, Coerce(builder, direction, partial.Type));
    }

    /// <summary><paramref name="value"/> converted to <paramref name="type"/> when one is float and the other double.</summary>
    public static Value Coerce(IrBuilder builder, Value value, TypeReference type) =>
        builder.Types.KindOf(value.Type) == builder.Types.KindOf(type) ? value : builder.Convert(value, type);

    public static Value Sum(IrBuilder builder, Value? sum, Value term) =>
        sum == null ? term : builder.Add(sum, term);

    public static Value Zero(IrBuilder builder, TypeReference type) => builder.Method.Float(type, 0);
}
