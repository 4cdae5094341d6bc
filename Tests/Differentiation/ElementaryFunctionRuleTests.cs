using System;
using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Ir;
using Mono.Cecil;
using NUnit.Framework;

namespace Autodiff.Tests.Differentiation;

/// <summary>Every Math/MathF rule of one argument, in both modes, float and double, against closed forms and central differences.</summary>
public sealed class ElementaryFunctionRuleTests
{
    private static readonly double[] Everywhere = { -0.8, 0.3, 1.1, 2.4 };
    private static readonly double[] Positive = { 0.3, 1.1, 2.4 };
    private static readonly double[] UnitInterval = { -0.8, 0.3, 0.6 };

    private static readonly (string Name, Func<double, double> Derivative, double[] Points)[] Functions =
    {
        ("Sin", Math.Cos, Everywhere),
        ("Cos", x => -Math.Sin(x), Everywhere),
        ("Tan", x => 1 / (Math.Cos(x) * Math.Cos(x)), Everywhere),
        ("Exp", Math.Exp, Everywhere),
        ("Log", x => 1 / x, Positive),
        ("Log10", x => 1 / (x * Math.Log(10)), Positive),
        ("Sqrt", x => 0.5 / Math.Sqrt(x), Positive),
        ("Sinh", Math.Cosh, Everywhere),
        ("Cosh", Math.Sinh, Everywhere),
        ("Tanh", x => 1 - Math.Tanh(x) * Math.Tanh(x), Everywhere),
        ("Asin", x => 1 / Math.Sqrt(1 - x * x), UnitInterval),
        ("Acos", x => -1 / Math.Sqrt(1 - x * x), UnitInterval),
        ("Atan", x => 1 / (1 + x * x), Everywhere),
        ("Log2", x => 1 / (x * Math.Log(2)), Positive),
        ("Cbrt", x => 1 / (3 * Math.Cbrt(x) * Math.Cbrt(x)), Everywhere),
        ("Abs", x => Math.Sign(x), Everywhere),
    };

    public static IEnumerable<TestCaseData> Cases() =>
        from function in Functions
        from precision in new[] { "float", "double" }
        from x in function.Points
        select new TestCaseData(function.Name, precision, x).SetName($"{function.Name}({precision} {x})");

    [TestCaseSource(nameof(Cases))]
    public void ReverseGradientMatchesClosedFormAndDifference(string function, string precision, double x)
    {
        var (primal, type) = Primal(function, precision);
        var result = Derive.Gradient(primal, Check.Scalar(type, x));
        Expect(function, primal, type, x, result[1]);
    }

    [TestCaseSource(nameof(Cases))]
    public void ForwardTangentMatchesClosedFormAndDifference(string function, string precision, double x)
    {
        var (primal, type) = Primal(function, precision);
        var result = Derive.Directional(primal, new[] { Check.Scalar(type, x) }, new[] { Check.Scalar(type, 1) });
        Expect(function, primal, type, x, result[1]);
    }

    [TestCase(0.0, 0.0)]
    [TestCase(-1.5, -1.0)]
    [TestCase(2.0, 1.0)]
    public void AbsHasSignAsDerivativeAndZeroAtZero(double x, double expected)
    {
        var (primal, _) = Primal("Abs", "double");
        Assert.That(Derive.Gradient(primal, x)[1], Is.EqualTo(expected));
    }

    private static (IrMethod Primal, TypeReference Type) Primal(string function, string precision)
    {
        var type = precision == "float" ? Primals.Types.Single : Primals.Types.Double;
        return (Primals.Unary(type, (b, x) => Primals.Call(b, Primals.MathType(type), function, x)), type);
    }

    private static void Expect(string function, IrMethod primal, TypeReference type, double x, double derivative)
    {
        var closedForm = Functions.Single(f => f.Name == function).Derivative(type.MetadataType == MetadataType.Single ? (float)x : x);
        Check.Close(derivative, closedForm, Check.Tolerance(type), "closed form");
        Check.Close(derivative, Check.CentralDifference(primal, new[] { x }, 0), Check.DifferenceTolerance(type), "central difference");
    }
}
