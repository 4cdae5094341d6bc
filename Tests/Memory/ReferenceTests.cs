using System;
using System.Linq;
using System.Runtime.CompilerServices;
using Autodiff.Tests.EndToEnd;
using NUnit.Framework;

namespace Autodiff.Tests.Memory;

/// <summary>Derivatives through <c>ref</c>/<c>in</c>/<c>out</c> parameters and jagged arrays, woven end to end.</summary>
public sealed class ReferenceTests
{
    private const string Source = """
        using System.CodeDom.Compiler;
        using Autodiff;

        public static class References
        {
            // The seed's forward f(x, &mut y): y ← y·x.
            [Autodiff(nameof(GradientOfScaleInto), Mode.Reverse, Activity.Active, Activity.Duplicated)]
            [Autodiff(nameof(TangentOfScaleInto), Mode.Forward, Activity.Dual, Activity.Dual)]
            public static void ScaleInto(double x, ref double y) => y *= x;

            [GeneratedCode("Autodiff", "1")]
            public static extern double GradientOfScaleInto(double x, ref double y, ref double dy);

            [GeneratedCode("Autodiff", "1")]
            public static extern void TangentOfScaleInto(double x, double dx, ref double y, ref double dy);

            // out: y = x³; in: a read-only input; the result is a·y.
            [Autodiff(nameof(GradientOfCube), Mode.Reverse, Activity.Duplicated, Activity.Active, Activity.Duplicated, Activity.Active)]
            [Autodiff(nameof(TangentOfCube), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double Cube(in float a, double x, out double y)
            {
                y = x * x * x;
                return a * y;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) GradientOfCube(in float a, ref float da, double x, out double y, ref double dy, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) TangentOfCube(in float a, ref float da, double x, double dx, out double y, ref double dy);

            [Autodiff(nameof(GradientOfJaggedSquares), Mode.Reverse, Activity.Duplicated, Activity.Active)]
            [Autodiff(nameof(TangentOfJaggedSquares), Mode.Forward, Activity.Dual, Activity.Dual)]
            public static double JaggedSquares(double[][] m)
            {
                var sum = 0.0;
                for (var i = 0; i < m.Length; i++)
                {
                    var row = m[i];
                    for (var j = 0; j < row.Length; j++)
                        sum += (i + 1) * row[j] * row[j];
                }
                return sum;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern double GradientOfJaggedSquares(double[][] m, double[][] dm, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) TangentOfJaggedSquares(double[][] m, double[][] dm);

            // Three levels: t[i][j][k] *= t[i][j][0] in place.
            [Autodiff(nameof(GradientOfScaleByFirst), Mode.Reverse, Activity.Duplicated)]
            [Autodiff(nameof(TangentOfScaleByFirst), Mode.Forward, Activity.Dual)]
            public static void ScaleByFirst(double[][][] t)
            {
                for (var i = 0; i < t.Length; i++)
                    for (var j = 0; j < t[i].Length; j++)
                        for (var k = 1; k < t[i][j].Length; k++)
                            t[i][j][k] *= t[i][j][0];
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern void GradientOfScaleByFirst(double[][][] t, double[][][] dt);

            [GeneratedCode("Autodiff", "1")]
            public static extern void TangentOfScaleByFirst(double[][][] t, double[][][] dt);
        }
        """;

    private static WovenAssembly woven = null!;

    [OneTimeSetUp]
    public void Weave() => woven = WovenAssembly.Compile(Source);

    [OneTimeTearDown]
    public void Unload() => woven.Dispose();

    [Test]
    public void WeavesWithoutErrors() => Assert.That(woven.Result.Succeeded, Is.True, woven.ErrorText);

    [Test]
    public void RefReverseConsumesTheSeedOfY()
    {
        // y₁ = y₀·x: with ȳ₁ = dy, x̄ = y₀·dy and ȳ₀ = x·dy replaces dy.
        var arguments = new object?[] { 3.0, 2.0, 0.5 };
        var dx = woven.Loaded.Method("References", "GradientOfScaleInto").Invoke(null, arguments);
        Assert.Multiple(() =>
        {
            Assert.That(dx, Is.EqualTo(1.0));
            Assert.That(arguments[1], Is.EqualTo(6.0));
            Assert.That(arguments[2], Is.EqualTo(1.5));
        });
    }

    [Test]
    public void RefForwardOverwritesTheTangentOfY()
    {
        // ẏ₁ = ẋ·y₀ + x·ẏ₀.
        var arguments = new object?[] { 3.0, 0.25, 2.0, -1.0 };
        woven.Loaded.Method("References", "TangentOfScaleInto").Invoke(null, arguments);
        Assert.Multiple(() =>
        {
            Assert.That(arguments[2], Is.EqualTo(6.0));
            Assert.That(arguments[3], Is.EqualTo(0.25 * 2 + 3 * -1.0));
        });
    }

    [Test]
    public void InAndOutReverse()
    {
        // r = a·x³ and y = x³: r̄ = seed, ȳ = dy (consumed), so x̄ = 3x²(a·seed + dy) and ā = x³·seed.
        var arguments = new object?[] { 2f, 0.5f, 1.5, 0.0, 0.25, 1.0 };
        var result = (ITuple)woven.Loaded.Method("References", "GradientOfCube").Invoke(null, arguments)!;
        Assert.Multiple(() =>
        {
            Assert.That(result[0], Is.EqualTo(2 * 3.375));
            Assert.That((double)result[1]!, Is.EqualTo(3 * 2.25 * (2 + 0.25)).Within(1e-12));
            Assert.That(arguments[1], Is.EqualTo(0.5f + 3.375f));
            Assert.That(arguments[3], Is.EqualTo(3.375));
            Assert.That(arguments[4], Is.EqualTo(0.0));
        });
    }

    [Test]
    public void InAndOutForwardAgreesWithReverse()
    {
        // Tangent of (r, y) along (ȧ, ẋ) = (0.5, -2): ṙ = ȧx³ + 3ax²ẋ, ẏ = 3x²ẋ.
        var arguments = new object?[] { 2f, 0.5f, 1.5, -2.0, 0.0, 7.0 };
        var result = (ITuple)woven.Loaded.Method("References", "TangentOfCube").Invoke(null, arguments)!;
        Assert.Multiple(() =>
        {
            Assert.That((double)result[1]!, Is.EqualTo(0.5 * 3.375 + 3 * 2 * 2.25 * -2).Within(1e-12));
            Assert.That(arguments[4], Is.EqualTo(3.375));
            Assert.That(arguments[5], Is.EqualTo(3 * 2.25 * -2));
            Assert.That(arguments[1], Is.EqualTo(0.5f));
        });
    }

    [Test]
    public void JaggedGradientIsRowWeighted()
    {
        var m = new[] { new[] { 1.0, 2.0 }, new[] { -1.0 }, new[] { 0.5, 3.0, 4.0 } };
        var dm = m.Select(row => new double[row.Length]).ToArray();
        var y = woven.Invoke("References", "GradientOfJaggedSquares", m, dm, 1.0);
        var expected = m.Select((row, i) => row.Select(v => 2 * (i + 1) * v).ToArray()).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(y, Is.EqualTo(5.0 + 2 + 3 * 25.25));
            Assert.That(dm, Is.EqualTo(expected));
        });
    }

    [Test]
    public void JaggedForwardAgreesWithReverse()
    {
        var m = new[] { new[] { 1.0, 2.0 }, new[] { -1.0, 0.5 } };
        var u = new[] { new[] { 0.3, -0.2 }, new[] { 1.0, 0.7 } };
        var dm = m.Select(row => new double[row.Length]).ToArray();
        woven.Invoke("References", "GradientOfJaggedSquares", m, dm, 1.0);
        var tangent = (ITuple)woven.Invoke("References", "TangentOfJaggedSquares", m, u)!;
        Assert.That((double)tangent[1]!, Is.EqualTo(dm.SelectMany(r => r).Zip(u.SelectMany(r => r), (a, b) => a * b).Sum()).Within(1e-12));
    }

    [Test]
    public void ThreeLevelJaggedInPlaceUpdate()
    {
        // t[i][j][k] ← t[i][j][k]·t[i][j][0] for k ≥ 1. Seeding every output with 1:
        // d/dt[k] = t[0] and d/dt[0] = 1 + Σₖ t[k] (the first element is kept and multiplies the others).
        var t = new[] { new[] { new[] { 2.0, 3.0, -1.0 } }, new[] { new[] { 0.5, 4.0 }, new[] { 1.5 } } };
        var dt = t.Select(a => a.Select(b => b.Select(_ => 1.0).ToArray()).ToArray()).ToArray();
        var original = t.Select(a => a.Select(b => (double[])b.Clone()).ToArray()).ToArray();
        woven.Invoke("References", "GradientOfScaleByFirst", t, dt);
        var expected = original.Select(a => a.Select(b => b.Select((v, k) => k == 0 ? 1 + b.Skip(1).Sum() : b[0]).ToArray()).ToArray()).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(dt, Is.EqualTo(expected));
            Assert.That(t[0][0], Is.EqualTo(new[] { 2.0, 6.0, -2.0 }));
        });
    }

    [Test]
    public void ThreeLevelJaggedForwardMatchesFiniteDifferences()
    {
        var t = new[] { new[] { new[] { 2.0, 3.0, -1.0 } } };
        var dt = new[] { new[] { new[] { 0.5, 1.0, -1.0 } } };
        woven.Invoke("References", "TangentOfScaleByFirst", t, dt);
        var expected = FiniteDifferences.Directional(v =>
        {
            var copy = new[] { new[] { (double[])v.Clone() } };
            woven.Invoke("References", "ScaleByFirst", new object[] { copy });
            return copy[0][0];
        }, new[] { 2.0, 3.0, -1.0 }, new[] { 0.5, 1.0, -1.0 });
        FiniteDifferences.AssertClose(dt[0][0], expected);
    }
}
