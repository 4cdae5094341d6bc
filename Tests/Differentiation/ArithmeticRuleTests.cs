using System;
using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Loading;
using Mono.Cecil;
using NUnit.Framework;

namespace Autodiff.Tests.Differentiation;

/// <summary>The opcode rules and Pow, in both modes, float and double, against closed forms and central differences.</summary>
public sealed class ArithmeticRuleTests
{
    private static readonly (double X, double Y)[] Points = { (1.5, 0.7), (2.2, -1.3), (0.4, 3.0) };

    private static readonly (string Name, Func<IrBuilder, Value, Value, Value> Build, Func<double, double, (double Dx, double Dy)> Gradient)[] Operations =
    {
        ("add", (b, x, y) => b.Add(x, y), (_, _) => (1, 1)),
        ("sub", (b, x, y) => b.Sub(x, y), (_, _) => (1, -1)),
        ("mul", (b, x, y) => b.Mul(x, y), (x, y) => (y, x)),
        ("div", (b, x, y) => b.Div(x, y), (x, y) => (1 / y, -x / (y * y))),
        ("neg", (b, x, y) => b.Mul(b.Neg(x), y), (x, y) => (-y, -x)),
        ("Pow", (b, x, y) => Primals.Call(b, Primals.MathType(x.Type), "Pow", x, y), (x, y) => (y * Math.Pow(x, y - 1), Math.Pow(x, y) * Math.Log(x))),
        ("Atan2", (b, x, y) => Primals.Call(b, Primals.MathType(x.Type), "Atan2", x, y), (x, y) => (y / (x * x + y * y), -x / (x * x + y * y))),
        ("Max", (b, x, y) => Primals.Call(b, Primals.MathType(x.Type), "Max", x, y), (x, y) => x > y ? (1, 0) : (0, 1)),
        ("Min", (b, x, y) => Primals.Call(b, Primals.MathType(x.Type), "Min", x, y), (x, y) => x < y ? (1, 0) : (0, 1)),
        ("FusedMultiplyAdd", (b, x, y) => Primals.Call(b, Primals.MathType(x.Type), "FusedMultiplyAdd", x, y, x), (x, y) => (y + 1, x)),
        ("ckfinite", (b, x, y) => b.Mul(b.Emit(Opcode.CheckFinite, x.Type, x), y), (x, y) => (y, x)),
        ("conv", (b, x, y) => b.Mul(b.Convert(b.Convert(x, OtherPrecision(x.Type)), x.Type), y), (x, y) => (y, x)),
    };

    public static IEnumerable<TestCaseData> Cases() =>
        from operation in Operations
        from precision in new[] { "float", "double" }
        from point in Points
        select new TestCaseData(operation.Name, precision, point.X, point.Y).SetName($"{operation.Name}({precision} {point.X}, {point.Y})");

    [TestCaseSource(nameof(Cases))]
    public void ReverseGradientMatchesClosedFormAndDifference(string operation, string precision, double x, double y)
    {
        var (primal, type) = Primal(operation, precision);
        var result = Derive.Gradient(primal, Check.Scalar(type, x), Check.Scalar(type, y));
        Expect(operation, primal, type, x, y, result[1], result[2]);
    }

    [TestCaseSource(nameof(Cases))]
    public void ForwardTangentsMatchClosedFormAndDifference(string operation, string precision, double x, double y)
    {
        var (primal, type) = Primal(operation, precision);
        var point = new[] { Check.Scalar(type, x), Check.Scalar(type, y) };
        var dx = Derive.Directional(primal, point, new[] { Check.Scalar(type, 1), Check.Scalar(type, 0) })[1];
        var dy = Derive.Directional(primal, point, new[] { Check.Scalar(type, 0), Check.Scalar(type, 1) })[1];
        Expect(operation, primal, type, x, y, dx, dy);
    }

    [Test]
    public void ConversionFromAnIntegerIsInactive()
    {
        var primal = Primals.Straight("Scale", Primals.Types.Double, new[] { (Primals.Types.Double, "x"), (Primals.Types.Int32, "n") },
            (b, p) => b.Mul(p[0], b.Convert(p[1], Primals.Types.Double)));
        var request = TestRequests.Reverse(primal, ActivityKind.Active, ActivityKind.Const, ActivityKind.Active);
        Assert.That(Derive.Run(primal, request, 2.5, 4, 1.0), Is.EqualTo(new[] { 10.0, 4.0 }));
    }

    [Test]
    public void FloatParameterFeedingDoubleArithmeticGetsAFloatGradient()
    {
        var primal = Primals.Straight("Widen", Primals.Types.Double, new[] { (Primals.Types.Single, "x") },
            (b, p) => b.Mul(b.Convert(p[0], Primals.Types.Double), b.Convert(p[0], Primals.Types.Double)));
        var reverse = Derive.Synthesize(primal, TestRequests.Reverse(primal, ActivityKind.Active, ActivityKind.Active));
        Assert.That(IrInterpreter.Run(reverse, 1.5f, 1.0), Is.EqualTo((2.25, 3f)));
        var forward = Derive.Run(primal, TestRequests.Forward(primal, ActivityKind.Dual, ActivityKind.DualOnly), 1.5f, 2f);
        Assert.That(forward, Is.EqualTo(new[] { 6.0 }));
    }

    private static TypeReference OtherPrecision(TypeReference type) =>
        type.MetadataType == MetadataType.Single ? Primals.Types.Double : Primals.Types.Single;

    private static (IrMethod Primal, TypeReference Type) Primal(string operation, string precision)
    {
        var type = precision == "float" ? Primals.Types.Single : Primals.Types.Double;
        return (Primals.Binary(type, Operations.Single(o => o.Name == operation).Build), type);
    }

    private static void Expect(string operation, IrMethod primal, TypeReference type, double x, double y, double dx, double dy)
    {
        var isFloat = type.MetadataType == MetadataType.Single;
        var (closedDx, closedDy) = Operations.Single(o => o.Name == operation).Gradient(isFloat ? (float)x : x, isFloat ? (float)y : y);
        // A double → float → double round trip rounds x (so ∂/∂y is the rounded x) and differentiates as
        // the identity carried in float (so ∂/∂x is y to float precision, as with Enzyme's fptrunc rule); a
        // central difference cannot see through its rounding steps.
        var isRoundTrip = operation == "conv";
        Check.Close(dx, closedDx, Check.Tolerance(isRoundTrip ? Primals.Types.Single : type), "∂/∂x closed form");
        Check.Close(dy, isRoundTrip && !isFloat ? (float)x : closedDy, Check.Tolerance(type), "∂/∂y closed form");
        if (!isRoundTrip)
        {
            Check.Close(dx, Check.CentralDifference(primal, new[] { x, y }, 0), Check.DifferenceTolerance(type), "∂/∂x central difference");
            Check.Close(dy, Check.CentralDifference(primal, new[] { x, y }, 1), Check.DifferenceTolerance(type), "∂/∂y central difference");
        }
    }
}
