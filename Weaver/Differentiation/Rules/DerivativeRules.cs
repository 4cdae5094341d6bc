using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Rules;

/// <summary>
/// The one table of built-in derivative rules (DESIGN §2): IR opcodes, and the scalar functions of
/// <c>System.Math</c>, <c>System.MathF</c> and the generic-math statics of <c>double</c>/<c>float</c> by name
/// and arity. Operations with a zero derivative are listed too, so that they end activity.
/// </summary>
public static class DerivativeRules
{
    private static readonly HashSet<string> MathTypes = new() { "System.Math", "System.MathF", "System.Double", "System.Single" };

    private static readonly Dictionary<Opcode, DerivativeRule> Opcodes = new()
    {
        [Opcode.Add] = new("add", c => c.Constant(1), c => c.Constant(1)),
        [Opcode.Sub] = new("sub", c => c.Constant(1), c => c.Constant(-1)),
        [Opcode.Mul] = new("mul", c => c.Y, c => c.X),
        // d(x/y) = dx/y − (x/y)·dy/y
        [Opcode.Div] = new("div", c => c.Div(c.Constant(1), c.Y), c => c.Neg(c.Div(c.Result, c.Y))),
        [Opcode.Neg] = new("neg", c => c.Constant(-1)),
        // x % y = x − trunc(x/y)·y (IEEE fmod): ∂/∂x = 1, ∂/∂y = −trunc(x/y).
        [Opcode.Rem] = new("rem", c => c.Constant(1), c => c.Neg(c.Truncate(c.Div(c.X, c.Y)))),
        // float ↔ double; integer sources are never active, integer targets never differentiable.
        [Opcode.Convert] = new("conv", c => c.Constant(1)),
        [Opcode.CheckFinite] = new("ckfinite", c => c.Constant(1)),
        [Opcode.Compare] = DerivativeRule.Zero("cmp", 2),
    };

    private static readonly Dictionary<(string Name, int Arity), DerivativeRule> Functions = new()
    {
        [("Sin", 1)] = new("Sin", c => c.Call("Cos", c.X)),
        [("Cos", 1)] = new("Cos", c => c.Neg(c.Call("Sin", c.X))),
        [("Tan", 1)] = new("Tan", c => c.Add(c.Constant(1), c.Mul(c.Result, c.Result))),
        [("Exp", 1)] = new("Exp", c => c.Result),
        [("Log", 1)] = new("Log", c => c.Div(c.Constant(1), c.X)),
        [("Log10", 1)] = new("Log10", c => c.Div(c.Constant(1 / System.Math.Log(10)), c.X)),
        [("Sqrt", 1)] = new("Sqrt", c => c.Div(c.Constant(0.5), c.Result)),
        [("Sinh", 1)] = new("Sinh", c => c.Call("Cosh", c.X)),
        [("Cosh", 1)] = new("Cosh", c => c.Call("Sinh", c.X)),
        [("Tanh", 1)] = new("Tanh", c => c.Sub(c.Constant(1), c.Mul(c.Result, c.Result))),
        [("Asin", 1)] = new("Asin", c => c.Div(c.Constant(1), c.Call("Sqrt", c.Sub(c.Constant(1), c.Mul(c.X, c.X))))),
        [("Acos", 1)] = new("Acos", c => c.Div(c.Constant(-1), c.Call("Sqrt", c.Sub(c.Constant(1), c.Mul(c.X, c.X))))),
        [("Atan", 1)] = new("Atan", c => c.Div(c.Constant(1), c.Add(c.Constant(1), c.Mul(c.X, c.X)))),
        // Atan2(y, x): ∂/∂y = x/(x²+y²), ∂/∂x = −y/(x²+y²).
        [("Atan2", 2)] = new("Atan2", c => c.Div(c.Y, SumOfSquares(c)), c => c.Neg(c.Div(c.X, SumOfSquares(c)))),
        [("Log2", 1)] = new("Log2", c => c.Div(c.Constant(1 / System.Math.Log(2)), c.X)),
        // 1/(3·r²) rather than r/(3x): +∞ at 0 (the limit) instead of NaN.
        [("Cbrt", 1)] = new("Cbrt", c => c.Div(c.Constant(1), c.Mul(c.Constant(3), c.Mul(c.Result, c.Result)))),
        // Ties go to the second operand, so exactly one operand receives the derivative.
        [("Max", 2)] = new("Max", c => c.Indicator(ComparePredicate.Greater, c.X, c.Y), c => c.Sub(c.Constant(1), c.Indicator(ComparePredicate.Greater, c.X, c.Y))),
        [("Min", 2)] = new("Min", c => c.Indicator(ComparePredicate.Less, c.X, c.Y), c => c.Sub(c.Constant(1), c.Indicator(ComparePredicate.Less, c.X, c.Y))),
        [("FusedMultiplyAdd", 3)] = new("FusedMultiplyAdd", c => c.Y, c => c.X, c => c.Constant(1)),
        [("MultiplyAddEstimate", 3)] = new("MultiplyAddEstimate", c => c.Y, c => c.X, c => c.Constant(1)),
        // Lerp(a, b, t) = a + (b − a)·t.
        [("Lerp", 3)] = new("Lerp", c => c.Sub(c.Constant(1), c.Operands[2]), c => c.Operands[2], c => c.Sub(c.Y, c.X)),
        // sign(x), 0 at 0 (a subgradient), without Math.Sign, which throws on NaN.
        [("Abs", 1)] = new("Abs", c => c.Sub(c.Indicator(ComparePredicate.Greater, c.X, c.Constant(0)), c.Indicator(ComparePredicate.Less, c.X, c.Constant(0)))),
        [("Pow", 2)] = new("Pow", PowByBase, PowByExponent),
        [("Asinh", 1)] = new("Asinh", c => c.Div(c.Constant(1), c.Call("Sqrt", c.Add(c.Mul(c.X, c.X), c.Constant(1))))),
        [("Acosh", 1)] = new("Acosh", c => c.Div(c.Constant(1), c.Call("Sqrt", c.Sub(c.Mul(c.X, c.X), c.Constant(1))))),
        [("Atanh", 1)] = new("Atanh", c => c.Div(c.Constant(1), c.Sub(c.Constant(1), c.Mul(c.X, c.X)))),
        // log_b x = ln x / ln b: ∂/∂x = 1/(x·ln b), ∂/∂b = −log_b x/(b·ln b).
        [("Log", 2)] = new("Log", c => c.Div(c.Constant(1), c.Mul(c.X, c.Call("Log", c.Y))), c => c.Neg(c.Div(c.Result, c.Mul(c.Y, c.Call("Log", c.Y))))),
        [("Exp2", 1)] = new("Exp2", c => c.Mul(c.Result, c.Constant(System.Math.Log(2)))),
        [("Exp10", 1)] = new("Exp10", c => c.Mul(c.Result, c.Constant(System.Math.Log(10)))),
        [("ExpM1", 1)] = new("ExpM1", c => c.Add(c.Result, c.Constant(1))),
        [("Exp2M1", 1)] = new("Exp2M1", c => c.Mul(c.Add(c.Result, c.Constant(1)), c.Constant(System.Math.Log(2)))),
        [("Exp10M1", 1)] = new("Exp10M1", c => c.Mul(c.Add(c.Result, c.Constant(1)), c.Constant(System.Math.Log(10)))),
        [("LogP1", 1)] = new("LogP1", c => c.Div(c.Constant(1), c.Add(c.X, c.Constant(1)))),
        [("Log2P1", 1)] = new("Log2P1", c => c.Div(c.Constant(1 / System.Math.Log(2)), c.Add(c.X, c.Constant(1)))),
        [("Log10P1", 1)] = new("Log10P1", c => c.Div(c.Constant(1 / System.Math.Log(10)), c.Add(c.X, c.Constant(1)))),
        // sin(πx)′ = π·cos(πx) and friends (generic-math statics).
        [("SinPi", 1)] = new("SinPi", c => c.Mul(c.Constant(System.Math.PI), c.Call("CosPi", c.X))),
        [("CosPi", 1)] = new("CosPi", c => c.Neg(c.Mul(c.Constant(System.Math.PI), c.Call("SinPi", c.X)))),
        [("TanPi", 1)] = new("TanPi", c => c.Mul(c.Constant(System.Math.PI), c.Add(c.Constant(1), c.Mul(c.Result, c.Result)))),
        [("AsinPi", 1)] = new("AsinPi", c => c.Div(c.Constant(1 / System.Math.PI), c.Call("Sqrt", c.Sub(c.Constant(1), c.Mul(c.X, c.X))))),
        [("AcosPi", 1)] = new("AcosPi", c => c.Div(c.Constant(-1 / System.Math.PI), c.Call("Sqrt", c.Sub(c.Constant(1), c.Mul(c.X, c.X))))),
        // Atan2Pi(y, x) = Atan2(y, x)/π.
        [("Atan2Pi", 2)] = new("Atan2Pi", c => c.Div(c.Y, c.Mul(c.Constant(System.Math.PI), SumOfSquares(c))), c => c.Neg(c.Div(c.X, c.Mul(c.Constant(System.Math.PI), SumOfSquares(c))))),
        [("AtanPi", 1)] = new("AtanPi", c => c.Div(c.Constant(1 / System.Math.PI), c.Add(c.Constant(1), c.Mul(c.X, c.X)))),
        [("DegreesToRadians", 1)] = new("DegreesToRadians", c => c.Constant(System.Math.PI / 180)),
        [("RadiansToDegrees", 1)] = new("RadiansToDegrees", c => c.Constant(180 / System.Math.PI)),
        // √(x²+y²): x/r and y/r; at the origin, where no limit exists, 0 (a subgradient, as Abs at 0).
        [("Hypot", 2)] = new("Hypot", c => c.Div(c.X, NonZero(c, c.Result)), c => c.Div(c.Y, NonZero(c, c.Result))),
        // x^(1/n): r/(n·x), written 1/(n·r^(n−1)) so that 0 gives +∞ (the limit) as Cbrt does; n is an integer.
        [("RootN", 2)] = new("RootN", c => c.Div(c.Constant(1), c.Mul(c.Builder.Convert(c.Y, c.Result.Type), c.Call("Pow", c.Result, c.Sub(c.Builder.Convert(c.Y, c.Result.Type), c.Constant(1))))), null),
        // Clamp(x, lo, hi) is lo below lo, hi above hi, x between: the derivative goes to the chosen operand.
        [("Clamp", 3)] = new(
            "Clamp",
            c => c.Sub(c.Sub(c.Constant(1), c.Indicator(ComparePredicate.Less, c.X, c.Y)), c.Indicator(ComparePredicate.Greater, c.X, c.Operands[2])),
            c => c.Indicator(ComparePredicate.Less, c.X, c.Y),
            c => c.Indicator(ComparePredicate.Greater, c.X, c.Operands[2])),
        // CopySign(x, y) = ±x: ∂/∂x = ±1 (the sign the result gave x), ∂/∂y = 0.
        [("CopySign", 2)] = new("CopySign", c => c.Mul(c.Call("CopySign", c.Constant(1), c.X), c.Call("CopySign", c.Constant(1), c.Y)), null),
        // x·2^n, n an integer: ∂/∂x = 2^n.
        [("ScaleB", 2)] = new("ScaleB", c => c.Call("ScaleB", c.Constant(1), c.Y), null),
        // The next representable value: the identity up to one ulp.
        [("BitIncrement", 1)] = new("BitIncrement", c => c.Constant(1)),
        [("BitDecrement", 1)] = new("BitDecrement", c => c.Constant(1)),
        // The operand whose value the primal returned receives the derivative, so ties follow the primal's choice.
        [("MaxMagnitude", 2)] = new("MaxMagnitude", c => c.Indicator(ComparePredicate.Equal, c.Result, c.X), c => c.Sub(c.Constant(1), c.Indicator(ComparePredicate.Equal, c.Result, c.X))),
        [("MinMagnitude", 2)] = new("MinMagnitude", c => c.Indicator(ComparePredicate.Equal, c.Result, c.X), c => c.Sub(c.Constant(1), c.Indicator(ComparePredicate.Equal, c.Result, c.X))),
        [("MaxNumber", 2)] = new("MaxNumber", c => c.Indicator(ComparePredicate.Equal, c.Result, c.X), c => c.Sub(c.Constant(1), c.Indicator(ComparePredicate.Equal, c.Result, c.X))),
        [("MinNumber", 2)] = new("MinNumber", c => c.Indicator(ComparePredicate.Equal, c.Result, c.X), c => c.Sub(c.Constant(1), c.Indicator(ComparePredicate.Equal, c.Result, c.X))),
        [("MaxMagnitudeNumber", 2)] = new("MaxMagnitudeNumber", c => c.Indicator(ComparePredicate.Equal, c.Result, c.X), c => c.Sub(c.Constant(1), c.Indicator(ComparePredicate.Equal, c.Result, c.X))),
        [("MinMagnitudeNumber", 2)] = new("MinMagnitudeNumber", c => c.Indicator(ComparePredicate.Equal, c.Result, c.X), c => c.Sub(c.Constant(1), c.Indicator(ComparePredicate.Equal, c.Result, c.X))),
        // Estimates of 1/x and 1/√x: the derivatives of the exact functions.
        [("ReciprocalEstimate", 1)] = new("ReciprocalEstimate", c => c.Neg(c.Div(c.Constant(1), c.Mul(c.X, c.X)))),
        [("ReciprocalSqrtEstimate", 1)] = new("ReciprocalSqrtEstimate", c => c.Div(c.Constant(-0.5), c.Mul(c.X, c.Call("Sqrt", c.X)))),
        // IEEE remainder x − round(x/y)·y: ∂/∂x = 1, ∂/∂y = −round(x/y).
        [("IEEERemainder", 2)] = new("IEEERemainder", c => c.Constant(1), c => c.Neg(c.Call("Round", c.Div(c.X, c.Y)))),
        [("Ieee754Remainder", 2)] = new("Ieee754Remainder", c => c.Constant(1), c => c.Neg(c.Call("Round", c.Div(c.X, c.Y)))),
        [("Floor", 1)] = DerivativeRule.Zero("Floor", 1),
        [("Ceiling", 1)] = DerivativeRule.Zero("Ceiling", 1),
        [("Truncate", 1)] = DerivativeRule.Zero("Truncate", 1),
        [("Round", 1)] = DerivativeRule.Zero("Round", 1),
        [("Round", 2)] = DerivativeRule.Zero("Round", 2),
        [("Round", 3)] = DerivativeRule.Zero("Round", 3),
        [("Sign", 1)] = DerivativeRule.Zero("Sign", 1),
        [("ILogB", 1)] = DerivativeRule.Zero("ILogB", 1),
        [("IsNaN", 1)] = DerivativeRule.Zero("IsNaN", 1),
        [("IsNegative", 1)] = DerivativeRule.Zero("IsNegative", 1),
        [("IsPositive", 1)] = DerivativeRule.Zero("IsPositive", 1),
        [("IsNormal", 1)] = DerivativeRule.Zero("IsNormal", 1),
        [("IsSubnormal", 1)] = DerivativeRule.Zero("IsSubnormal", 1),
        [("IsInteger", 1)] = DerivativeRule.Zero("IsInteger", 1),
        [("IsEvenInteger", 1)] = DerivativeRule.Zero("IsEvenInteger", 1),
        [("IsOddInteger", 1)] = DerivativeRule.Zero("IsOddInteger", 1),
        [("IsRealNumber", 1)] = DerivativeRule.Zero("IsRealNumber", 1),
        [("IsPow2", 1)] = DerivativeRule.Zero("IsPow2", 1),
        [("IsFinite", 1)] = DerivativeRule.Zero("IsFinite", 1),
        [("IsInfinity", 1)] = DerivativeRule.Zero("IsInfinity", 1),
        [("IsPositiveInfinity", 1)] = DerivativeRule.Zero("IsPositiveInfinity", 1),
        [("IsNegativeInfinity", 1)] = DerivativeRule.Zero("IsNegativeInfinity", 1),
    };

    /// <summary>Functions deliberately left out, with what to do instead (diagnostic AD2301).</summary>
    private static readonly Dictionary<string, string> LeftOut = new()
    {
        ["SinCos"] = "its result is a tuple; call Sin and Cos separately",
        ["SinCosPi"] = "its result is a tuple; call SinPi and CosPi separately",
    };

    /// <summary>The rule for <paramref name="instruction"/>, or null when there is none.</summary>
    public static DerivativeRule? Find(Instruction instruction)
    {
        if (instruction.Opcode is Opcode.Call or Opcode.CallVirtual && instruction.Member is MethodReference callee)
        {
            if (IsScalarMath(callee))
                return Functions.TryGetValue((callee.Name, callee.Parameters.Count), out var function) ? function : null;
            return InactiveAnnotation.IsInactive(callee) ? DerivativeRule.Zero("[Inactive] " + callee.Name, instruction.Operands.Count) : null;
        }
        return Opcodes.TryGetValue(instruction.Opcode, out var rule) ? rule : null;
    }

    /// <summary>
    /// Throws AD2301 for a math function the table leaves out on purpose, so that it is not reported as merely
    /// missing a rule.
    /// </summary>
    public static void RejectLeftOut(Instruction instruction, IrMethod primal)
    {
        if (instruction.Member is MethodReference callee && MathTypes.Contains(callee.DeclaringType.FullName) && LeftOut.TryGetValue(callee.Name, out var instead))
            throw DifferentiationErrors.LeftOutFunction(instruction, primal, instead);
    }

    /// <summary>False for operations listed with a zero derivative; everything else may carry one.</summary>
    public static bool CarriesDerivative(Instruction instruction) => Find(instruction) is not { IsZero: true };

    // A static of Math/MathF/double/float over one floating type: its result and every floating parameter are
    // of that type (integer parameters, as ScaleB's n, carry no derivative). Integer overloads such as
    // Math.Abs(int) never see an active operand; Math.Round(decimal) and friends are left without a rule.
    private static bool IsScalarMath(MethodReference callee)
    {
        if (callee.HasThis || !MathTypes.Contains(callee.DeclaringType.FullName))
            return false;
        var result = callee.ReturnType.MetadataType;
        if (result is not (MetadataType.Double or MetadataType.Single or MetadataType.Boolean or MetadataType.Int32))
            return false;
        return callee.Parameters.All(p => p.ParameterType.MetadataType is MetadataType.Double or MetadataType.Single or MetadataType.Int32 or MetadataType.ValueType);
    }

    private static Value NonZero(RuleContext c, Value value) => c.Add(value, c.Indicator(ComparePredicate.Equal, value, c.Constant(0)));

    private static Value SumOfSquares(RuleContext c) => c.Add(c.Mul(c.X, c.X), c.Mul(c.Y, c.Y));

    // ∂/∂x x^y = y·x^(y−1), written as y·x^(y−1+[y=0]) so that y = 0 gives 0 (not 0·0^−1 = NaN) while
    // Pow(0, 1) still gives 1·0^0 = 1: no NaN wherever the limit exists.
    private static Value PowByBase(RuleContext c)
    {
        var exponent = c.Add(c.Sub(c.Y, c.Constant(1)), c.Indicator(ComparePredicate.Equal, c.Y, c.Constant(0)));
        return c.Mul(c.Y, c.Call("Pow", c.X, exponent));
    }

    // ∂/∂y x^y = x^y·ln x, written as x^y·ln(x + [x=0]) so that Pow(0, y>0) gives 0·ln 1 = 0 (the limit)
    // instead of 0·(−∞) = NaN.
    private static Value PowByExponent(RuleContext c) =>
        c.Mul(c.Result, c.Call("Log", c.Add(c.X, c.Indicator(ComparePredicate.Equal, c.X, c.Constant(0)))));
}
