using System;
using System.Linq;
using System.Runtime.CompilerServices;
using Autodiff.Weaver.Diagnostics;
using NUnit.Framework;

namespace Autodiff.Tests.EndToEnd;

/// <summary>
/// Functions of two variables woven in both modes and run as CIL: the reverse gradient matches central
/// differences, and the forward tangent along u matches the gradient dotted with u (vᵀ(J·u) = (vᵀJ)·u).
/// </summary>
public sealed class ElementaryFunctionTests
{
    private static readonly string[] Functions =
    {
        "x * y - x / y",
        "Math.Sin(x) * Math.Cos(y)",
        "Math.Exp(x * y) + Math.Log(y)",
        "Math.Sqrt(x * x + y * y)",
        "Math.Pow(x, y)",
        "Math.Tanh(x - y) + Math.Atan(x * y)",
        "-x * Math.Abs(y) + Math.Floor(y)",
        "x > y ? x * x : y * y * x",
    };

    private static readonly (double X, double Y)[] Points = { (0.7, 1.3), (1.9, 0.4), (2.5, 2.2) };

    private static WovenAssembly woven = null!;

    [OneTimeSetUp]
    public void Weave()
    {
        var methods = Functions.Select((body, i) => $$"""
                [Autodiff(nameof(R{{i}}), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
                [Autodiff(nameof(T{{i}}), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
                public static double F{{i}}(double x, double y) => {{body}};
                [GeneratedCode("Autodiff", "1")] public static extern (double, double, double) R{{i}}(double x, double y, double seed);
                [GeneratedCode("Autodiff", "1")] public static extern (double, double) T{{i}}(double x, double dx, double y, double dy);
            """);
        woven = WovenAssembly.Compile($$"""
            using System;
            using System.CodeDom.Compiler;
            using Autodiff;

            public static class Functions
            {
            {{string.Join("\n", methods)}}
            }
            """);
    }

    [OneTimeTearDown]
    public void Unload() => woven.Dispose();

    private static object[] Cases() =>
        Functions.SelectMany((body, i) => Points.Select(p => new object[] { i, body, p.X, p.Y })).ToArray();

    [TestCaseSource(nameof(Cases))]
    public void ReverseGradientMatchesCentralDifferences(int index, string body, double x, double y)
    {
        var f = (double a, double b) => (double)woven.Invoke("Functions", "F" + index, a, b)!;
        var gradient = (ITuple)woven.Invoke("Functions", "R" + index, x, y, 1.0)!;
        const double h = 1e-6;
        Assert.That((double)gradient[0]!, Is.EqualTo(f(x, y)), body);
        var ddx = (f(x + h, y) - f(x - h, y)) / (2 * h);
        var ddy = (f(x, y + h) - f(x, y - h)) / (2 * h);
        Assert.That((double)gradient[1]!, Is.EqualTo(ddx).Within(1e-7 * (1 + Math.Abs(ddx))), body + ": d/dx");
        Assert.That((double)gradient[2]!, Is.EqualTo(ddy).Within(1e-7 * (1 + Math.Abs(ddy))), body + ": d/dy");
    }

    [TestCaseSource(nameof(Cases))]
    public void ForwardTangentIsTheGradientAlongTheDirection(int index, string body, double x, double y)
    {
        var gradient = (ITuple)woven.Invoke("Functions", "R" + index, x, y, 1.0)!;
        var tangent = (ITuple)woven.Invoke("Functions", "T" + index, x, 0.25, y, -2.0)!;
        var expected = 0.25 * (double)gradient[1]! - 2.0 * (double)gradient[2]!;
        Assert.That((double)tangent[0]!, Is.EqualTo((double)gradient[0]!), body);
        Assert.That((double)tangent[1]!, Is.EqualTo(expected).Within(1e-12 * (1 + Math.Abs(expected))), body);
    }

    [Test]
    public void ReverseModeDifferentiatesThroughALoop()
    {
        using var loop = WovenAssembly.Compile("""
            using System.CodeDom.Compiler;
            using Autodiff;

            public static class Loop
            {
                [Autodiff(nameof(DPower), Mode.Reverse, Activity.Active, Activity.Const, Activity.Active)]
                public static double Power(double x, int n)
                {
                    var result = 1.0;
                    for (var i = 0; i < n; i++)
                        result *= x;
                    return result;
                }

                [GeneratedCode("Autodiff", "1")]
                public static extern (double, double) DPower(double x, int n, double seed);
            }
            """);

        // x³ at 2: value 8, derivative 3x² = 12.
        var result = (ITuple)loop.Invoke("Loop", "DPower", 2.0, 3, 1.0)!;
        Assert.That(((double)result[0]!, (double)result[1]!), Is.EqualTo((8.0, 12.0)));
    }

    [Test]
    public void ACallThatCannotBeDifferentiatedIsReportedAtItsSourceLine()
    {
        using var native = WovenAssembly.Compile("""
            using System.CodeDom.Compiler;
            using System.Runtime.InteropServices;
            using Autodiff;

            public static class Native
            {
                [DllImport("libm", EntryPoint = "cbrt")]
                private static extern double Cbrt(double x);

                [Autodiff(nameof(DF), Mode.Reverse, Activity.Active, Activity.Active)]
                public static double F(double x)
                {
                    var y = x * x;
                    return Cbrt(y);
                }

                [GeneratedCode("Autodiff", "1")]
                public static extern (double, double) DF(double x, double seed);
            }
            """);

        var error = native.Diagnostics.Single();
        Assert.That(error.ToString(), Does.Match(@"^TestSubject\.cs\(14,\d+\): error AD[23]\d{3}: .*Cbrt"));
    }
}
