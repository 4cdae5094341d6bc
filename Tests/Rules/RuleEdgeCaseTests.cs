using System;
using System.Runtime.CompilerServices;
using Autodiff.Tests.EndToEnd;
using Autodiff.Weaver.Diagnostics;
using NUnit.Framework;

namespace Autodiff.Tests.Rules;

/// <summary>
/// Rules where central differences say nothing (kinks, infinite slopes, hardware estimates) checked against
/// the convention they document, and the operation deliberately left out.
/// </summary>
public sealed class RuleEdgeCaseTests
{
    private static WovenAssembly woven = null!;

    [OneTimeSetUp]
    public void Weave()
    {
        var functions = new[]
        {
            ("Abs", "Math.Abs(x) + 0 * y"),
            ("Sqrt", "Math.Sqrt(x) + 0 * y"),
            ("Max", "Math.Max(x, y)"),
            ("Min", "Math.Min(x, y)"),
            ("Hypot", "double.Hypot(x, y)"),
            ("Recip", "double.ReciprocalEstimate(x) + double.ReciprocalSqrtEstimate(y)"),
            ("Widen", "(double)(float)x * y"),
        };
        var methods = string.Join("\n", Array.ConvertAll(functions, f => $$"""
                [Autodiff(nameof(R{{f.Item1}}), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
                public static double {{f.Item1}}(double x, double y) => {{f.Item2}};
                [GeneratedCode("Autodiff", "1")] public static extern (double, double, double) R{{f.Item1}}(double x, double y, double seed);
            """));
        woven = WovenAssembly.Compile($$"""
            using System;
            using System.CodeDom.Compiler;
            using Autodiff;

            public static class Edges
            {
            {{methods}}
            }
            """);
    }

    [OneTimeTearDown]
    public void Unload() => woven.Dispose();

    private static (double Dx, double Dy) Gradient(string name, double x, double y)
    {
        var result = (ITuple)woven.Invoke("Edges", "R" + name, x, y, 1.0)!;
        return ((double)result[1]!, (double)result[2]!);
    }

    [Test]
    public void AbsAtZeroHasDerivativeZeroAsInEnzyme() =>
        Assert.That(Gradient("Abs", 0.0, 1.0).Dx, Is.EqualTo(0.0));

    [Test]
    public void SqrtAtZeroHasTheInfiniteSlopeOfItsLimit() =>
        Assert.That(Gradient("Sqrt", 0.0, 1.0).Dx, Is.EqualTo(double.PositiveInfinity));

    [Test]
    public void MaxAndMinGiveATieToExactlyOneOperand()
    {
        Assert.That(Gradient("Max", 2.0, 2.0), Is.EqualTo((0.0, 1.0)));
        Assert.That(Gradient("Min", 2.0, 2.0), Is.EqualTo((0.0, 1.0)));
        Assert.That(Gradient("Max", 2.0 + 1e-12, 2.0), Is.EqualTo((1.0, 0.0)));
        Assert.That(Gradient("Min", 2.0 + 1e-12, 2.0), Is.EqualTo((0.0, 1.0)));
    }

    [Test]
    public void HypotAtTheOriginHasTheZeroSubgradient() =>
        Assert.That(Gradient("Hypot", 0.0, 0.0), Is.EqualTo((0.0, 0.0)));

    [Test]
    public void EstimatesDifferentiateAsTheExactFunctions()
    {
        var (dx, dy) = Gradient("Recip", 0.8, 2.5);
        Assert.That(dx, Is.EqualTo(-1 / (0.8 * 0.8)).Within(1e-12));
        Assert.That(dy, Is.EqualTo(-0.5 * Math.Pow(2.5, -1.5)).Within(1e-12));
    }

    [Test]
    public void NarrowingAndWideningCarryTheDerivative() =>
        Assert.That(Gradient("Widen", 1.5, 3.0), Is.EqualTo((3.0, 1.5)));

    [Test]
    public void SinCosIsLeftOutWithItsOwnDiagnostic()
    {
        using var sinCos = WovenAssembly.Compile("""
            using System;
            using System.CodeDom.Compiler;
            using Autodiff;

            public static class Tuple
            {
                [Autodiff(nameof(DF), Mode.Reverse, Activity.Active, Activity.Active)]
                public static double F(double x)
                {
                    var (s, c) = Math.SinCos(x);
                    return s * c;
                }

                [GeneratedCode("Autodiff", "1")]
                public static extern (double, double) DF(double x, double seed);
            }
            """);
        Assert.That(sinCos.Result.Succeeded, Is.False);
        Assert.That(sinCos.ErrorText, Does.Contain("AD2301").And.Contain("SinCos").And.Contain("call Sin and Cos separately"));
    }
}
