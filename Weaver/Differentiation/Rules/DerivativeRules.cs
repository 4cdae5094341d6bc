using System.Collections.Generic;
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
        // sign(x), 0 at 0 (a subgradient), without Math.Sign, which throws on NaN.
        [("Abs", 1)] = new("Abs", c => c.Sub(c.Indicator(ComparePredicate.Greater, c.X, c.Constant(0)), c.Indicator(ComparePredicate.Less, c.X, c.Constant(0)))),
        [("Pow", 2)] = new("Pow", PowByBase, PowByExponent),
        [("Floor", 1)] = DerivativeRule.Zero("Floor", 1),
        [("Ceiling", 1)] = DerivativeRule.Zero("Ceiling", 1),
        [("Truncate", 1)] = DerivativeRule.Zero("Truncate", 1),
        [("Round", 1)] = DerivativeRule.Zero("Round", 1),
        [("Round", 2)] = DerivativeRule.Zero("Round", 2),
        [("Round", 3)] = DerivativeRule.Zero("Round", 3),
        [("Sign", 1)] = DerivativeRule.Zero("Sign", 1),
        [("IsNaN", 1)] = DerivativeRule.Zero("IsNaN", 1),
        [("IsFinite", 1)] = DerivativeRule.Zero("IsFinite", 1),
        [("IsInfinity", 1)] = DerivativeRule.Zero("IsInfinity", 1),
        [("IsPositiveInfinity", 1)] = DerivativeRule.Zero("IsPositiveInfinity", 1),
        [("IsNegativeInfinity", 1)] = DerivativeRule.Zero("IsNegativeInfinity", 1),
    };

    /// <summary>The rule for <paramref name="instruction"/>, or null when there is none.</summary>
    public static DerivativeRule? Find(Instruction instruction)
    {
        if (instruction.Opcode is Opcode.Call or Opcode.CallVirtual && instruction.Member is MethodReference callee)
        {
            if (!callee.HasThis && MathTypes.Contains(callee.DeclaringType.FullName))
                return Functions.TryGetValue((callee.Name, callee.Parameters.Count), out var function) ? function : null;
            return InactiveAnnotation.IsInactive(callee) ? DerivativeRule.Zero("[Inactive] " + callee.Name, instruction.Operands.Count) : null;
        }
        return Opcodes.TryGetValue(instruction.Opcode, out var rule) ? rule : null;
    }

    /// <summary>False for operations listed with a zero derivative; everything else may carry one.</summary>
    public static bool CarriesDerivative(Instruction instruction) => Find(instruction) is not { IsZero: true };

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
