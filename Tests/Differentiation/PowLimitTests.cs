using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Loading;
using NUnit.Framework;

namespace Autodiff.Tests.Differentiation;

/// <summary>Pow's derivative at the points where the textbook formulas give NaN but the limit exists.</summary>
public sealed class PowLimitTests
{
    public static IEnumerable<TestCaseData> Cases() =>
        from precision in new[] { "float", "double" }
        from mode in new[] { "reverse", "forward" }
        from c in new[]
        {
            (X: 0.0, Y: 2.0, Dx: 0.0, Dy: 0.0, Why: "d/dy Pow(0, y) = 0 for y > 0"),
            (X: 0.0, Y: 1.0, Dx: 1.0, Dy: 0.0, Why: "d/dx Pow(x, 1) = 1 at 0"),
            (X: 0.0, Y: 0.0, Dx: 0.0, Dy: 0.0, Why: "Pow(x, 0) is constant"),
            (X: 3.0, Y: 0.0, Dx: 0.0, Dy: System.Math.Log(3), Why: "Pow(x, 0) is constant in x"),
        }
        select new TestCaseData(precision, mode, c.X, c.Y, c.Dx, c.Dy).SetName($"{c.Why}: {mode} {precision} ({c.X}, {c.Y})");

    [TestCaseSource(nameof(Cases))]
    public void DerivativeIsTheLimitNotNaN(string precision, string mode, double x, double y, double dx, double dy)
    {
        var type = precision == "float" ? Primals.Types.Single : Primals.Types.Double;
        var primal = Primals.Binary(type, (b, px, py) => Primals.Call(b, Primals.MathType(type), "Pow", px, py));
        var point = new[] { Check.Scalar(type, x), Check.Scalar(type, y) };
        var (actualDx, actualDy) = mode == "reverse"
            ? Pair(Derive.Gradient(primal, point).Skip(1).ToArray())
            : (Derive.Directional(primal, point, new[] { Check.Scalar(type, 1), Check.Scalar(type, 0) })[1],
               Derive.Directional(primal, point, new[] { Check.Scalar(type, 0), Check.Scalar(type, 1) })[1]);
        Assert.That(actualDx, Is.EqualTo(dx).Within(Check.Tolerance(type)), "∂/∂x");
        Assert.That(actualDy, Is.EqualTo(dy).Within(Check.Tolerance(type) * System.Math.Max(1, System.Math.Abs(dy))), "∂/∂y");
    }

    [Test]
    public void ConstantExponentFoldsTheLimitGuards()
    {
        var primal = Primals.Unary(Primals.Types.Double, (b, x) => Primals.Call(b, "System.Math", "Pow", x, b.Method.Float64(3)));
        var derivative = Derive.Synthesize(primal, TestRequests.Reverse(primal, ActivityKind.Active, ActivityKind.ActiveOnly));
        var instructions = derivative.Entry.Instructions;
        Assert.That(instructions.Select(i => i.Opcode), Has.None.EqualTo(Opcode.Compare), IrPrinter.Print(derivative));
        Assert.That(instructions.Last(i => i.Member?.Name == "Pow").Operands[1], Is.SameAs(derivative.Float64(2)));
        Assert.That(IrInterpreter.Run(derivative, 2.0, 1.0), Is.EqualTo(12.0));
    }

    private static (double, double) Pair(double[] values) => (values[0], values[1]);
}
