using System;
using System.Linq;
using System.Runtime.CompilerServices;
using Autodiff.Tests.EndToEnd;
using NUnit.Framework;

namespace Autodiff.Tests.HigherOrder;

/// <summary>
/// Vector mode (Width = N), woven end to end: lane k of one width-N call equals, bit for bit, a width-1 call
/// with direction (or seed) k — for scalars, arrays, spans, refs and structs, forward and reverse.
/// </summary>
public sealed class VectorModeTests
{
    private static WovenAssembly woven = null!;

    [OneTimeSetUp]
    public void Weave() => woven = WovenAssembly.Compile(VectorModeSource.Text);

    [OneTimeTearDown]
    public void Unload() => woven.Dispose();

    [Test]
    public void WeavesWithoutErrors() => Assert.That(woven.Result.Succeeded, Is.True, woven.ErrorText);

    [Test]
    public void SeedExampleWidthFourOnSquare()
    {
        var tangents = (ITuple)woven.Invoke("Vector", "SquareX4", 3.0, 1.0, 2.0, 3.0, 0.0)!;
        Assert.That(Items(tangents), Is.EqualTo(new[] { 6.0, 12.0, 18.0, 0.0 }));
    }

    [TestCase(0.4, -1.1)]
    [TestCase(-1.5, 2.0)]
    public void ScalarForwardWidthThreeEqualsThreeCalls(double x, double y)
    {
        double[] dxs = { 1.0, 0.0, 0.3 }, dys = { 0.0, 1.0, -2.5 };
        var wide = Items((ITuple)woven.Invoke("Vector", "ScalarF3", x, dxs[0], dxs[1], dxs[2], y, dys[0], dys[1], dys[2])!);
        var single = Enumerable.Range(0, 3).Select(k => Items((ITuple)woven.Invoke("Vector", "ScalarF1", x, dxs[k], y, dys[k])!)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(wide[0], Is.EqualTo(single[0][0]), "value");
            for (var k = 0; k < 3; k++)
                Assert.That(wide[1 + k], Is.EqualTo(single[k][1]), $"lane {k}");
        });
    }

    [TestCase(0.4, -1.1)]
    [TestCase(-1.5, 2.0)]
    public void ScalarReverseWidthTwoTakesTwoSeedsAtOnce(double x, double y)
    {
        // (value, x̄ lane 0, x̄ lane 1, ȳ lane 0, ȳ lane 1).
        var wide = Items((ITuple)woven.Invoke("Vector", "ScalarR2", x, y, 1.0, -0.5)!);
        var first = Items((ITuple)woven.Invoke("Vector", "ScalarR1", x, y, 1.0)!);
        var second = Items((ITuple)woven.Invoke("Vector", "ScalarR1", x, y, -0.5)!);
        Assert.That(wide, Is.EqualTo(new[] { first[0], first[1], second[1], first[2], second[2] }));
    }

    [Test]
    public void ArrayForwardWidthThreeGivesTheJacobiansColumns()
    {
        var x = new[] { 0.3, -0.8, 1.2 };
        var directions = Enumerable.Range(0, 3).Select(Unit).ToArray();
        var y = new double[2];
        var columns = Enumerable.Range(0, 3).Select(_ => new double[2]).ToArray();
        woven.Invoke("Vector", "MapF3", x, directions[0], directions[1], directions[2], y, columns[0], columns[1], columns[2]);
        Assert.Multiple(() =>
        {
            for (var k = 0; k < 3; k++)
            {
                var ySingle = new double[2];
                var column = new double[2];
                woven.Invoke("Vector", "MapF1", x, Unit(k), ySingle, column);
                Assert.That(columns[k], Is.EqualTo(column), $"column {k}");
                Assert.That(y, Is.EqualTo(ySingle), "value");
            }
            Assert.That(columns[2][0], Is.EqualTo(x[2] / Math.Sqrt(x.Sum(v => v * v))).Within(1e-14), "∂y0/∂x2 closed form");
        });
    }

    [Test]
    public void ArrayReverseWidthTwoGivesBothRowsFromOneSweep()
    {
        var x = new[] { 0.3, -0.8, 1.2 };
        var rows = new[] { new double[3], new double[3] };
        var seeds = new[] { new[] { 1.0, 0.0 }, new[] { 0.0, 1.0 } };
        woven.Invoke("Vector", "MapR2", x, rows[0], rows[1], new double[2], seeds[0], seeds[1]);
        Assert.Multiple(() =>
        {
            for (var k = 0; k < 2; k++)
            {
                var row = new double[3];
                woven.Invoke("Vector", "MapR1", x, row, new double[2], Unit2(k));
                Assert.That(rows[k], Is.EqualTo(row), $"row {k}");
                Assert.That(seeds[k], Is.EqualTo(new[] { 0.0, 0.0 }), "each consumed seed is zeroed");
            }
        });
    }

    [Test]
    public void SpanForwardAndReverseWidthTwoEqualTwoCalls()
    {
        double[] a = { 0.5, -1.5, 2.0 }, b = { 0.1, 0.7, -0.4 };
        double[][] da = { new[] { 1.0, 0.0, 0.5 }, new[] { 0.0, 2.0, 0.0 } }, db = { new[] { 0.0, 1.0, 0.0 }, new[] { 0.3, 0.0, -1.0 } };
        var wide = Items(DotF2(a, da, b, db));
        var lanes = Enumerable.Range(0, 2).Select(k => DotF1(a, da[k], b, db[k])).ToArray();

        double[][] ga = { new double[3], new double[3] }, gb = { new double[3], new double[3] };
        DotR2(a, ga, b, gb, 1.0, 3.0);
        Assert.Multiple(() =>
        {
            Assert.That(wide, Is.EqualTo(lanes));
            for (var k = 0; k < 2; k++)
            {
                double[] ga1 = new double[3], gb1 = new double[3];
                DotR1(a, ga1, b, gb1, k == 0 ? 1.0 : 3.0);
                Assert.That(ga[k], Is.EqualTo(ga1), $"ā lane {k}");
                Assert.That(gb[k], Is.EqualTo(gb1), $"b̄ lane {k}");
            }
        });
    }

    [TestCase(0.7, 1.3)]
    public void RefForwardAndReverseWidthTwoEqualTwoCalls(double k, double y0)
    {
        object?[] wide = { k, 1.0, 0.0, y0, 0.5, -2.0 };
        woven.Loaded.Method("Vector", "ScaleF2").Invoke(null, wide);
        object?[] reverseWide = { k, y0, 1.0, 2.0 };
        var gradients = Items((ITuple)woven.Loaded.Method("Vector", "ScaleR2").Invoke(null, reverseWide)!);
        Assert.Multiple(() =>
        {
            double[] dks = { 1.0, 0.0 }, dys = { 0.5, -2.0 }, seeds = { 1.0, 2.0 };
            for (var lane = 0; lane < 2; lane++)
            {
                object?[] single = { k, dks[lane], y0, dys[lane] };
                woven.Loaded.Method("Vector", "ScaleF1").Invoke(null, single);
                Assert.That(wide[4 + lane], Is.EqualTo(single[3]), $"tangent lane {lane}");
                Assert.That(wide[3], Is.EqualTo(single[2]), "value");

                object?[] reverse = { k, y0, seeds[lane] };
                var gradient = (double)woven.Loaded.Method("Vector", "ScaleR1").Invoke(null, reverse)!;
                Assert.That(gradients[lane], Is.EqualTo(gradient), $"k̄ lane {lane}");
                Assert.That(reverseWide[2 + lane], Is.EqualTo(reverse[2]), $"ȳ of the input, lane {lane}");
                Assert.That(reverseWide[1], Is.EqualTo(reverse[1]), "value");
            }
            Assert.That(gradients[1], Is.EqualTo(2 * (Math.Cos(k * y0) * y0 + 1)).Within(1e-14), "k̄ closed form");
        });
    }

    [TestCase(1.5, -0.5)]
    public void StructForwardAndReverseWidthTwoEqualTwoCalls(double px, double py)
    {
        var pointType = woven.Loaded.Type("Point");
        object Point(double x, double y)
        {
            var point = Activator.CreateInstance(pointType)!;
            pointType.GetField("X")!.SetValue(point, x);
            pointType.GetField("Y")!.SetValue(point, y);
            return point;
        }
        double Field(object point, string name) => (double)pointType.GetField(name)!.GetValue(point)!;
        var p = Point(px, py);
        var wide = Items((ITuple)woven.Invoke("Vector", "NormF2", p, Point(1, 0), Point(0.25, 2))!);
        var lane0 = (double)woven.Invoke("Vector", "NormF1", p, Point(1, 0))!;
        var lane1 = (double)woven.Invoke("Vector", "NormF1", p, Point(0.25, 2))!;
        var reverse = (ITuple)woven.Invoke("Vector", "NormR2", p, 1.0, -1.0)!;
        var gradient0 = woven.Invoke("Vector", "NormR1", p, 1.0)!;
        var gradient1 = woven.Invoke("Vector", "NormR1", p, -1.0)!;
        Assert.Multiple(() =>
        {
            Assert.That(wide, Is.EqualTo(new[] { lane0, lane1 }));
            Assert.That(Field(reverse[0]!, "X"), Is.EqualTo(Field(gradient0, "X")));
            Assert.That(Field(reverse[0]!, "Y"), Is.EqualTo(Field(gradient0, "Y")));
            Assert.That(Field(reverse[1]!, "X"), Is.EqualTo(Field(gradient1, "X")));
            Assert.That(Field(reverse[1]!, "Y"), Is.EqualTo(Field(gradient1, "Y")));
            Assert.That(Field(gradient0, "X"), Is.EqualTo(lane0).Within(1e-14), "reverse against forward");
        });
    }

    [Test]
    public void ForwardWidthEightThroughACallEqualsEightCalls()
    {
        var x = new[] { 0.3, -0.8, 1.2, 0.5 };
        var directions = Enumerable.Range(0, 8).Select(k => Enumerable.Range(0, 4).Select(i => Math.Sin(k + 3 * i)).ToArray()).ToArray();
        var arguments = new object?[] { x }.Concat(directions).ToArray();
        var wide = Items((ITuple)woven.Invoke("Vector", "CallF8", arguments)!);
        var single = directions.Select(d => (double)woven.Invoke("Vector", "CallF1", x, d)!).ToArray();
        var s = x.Sum(v => v * v);
        Assert.Multiple(() =>
        {
            Assert.That(wide, Is.EqualTo(single));
            Assert.That(single[0], Is.EqualTo(Math.Cos(s) * 2 * x.Zip(directions[0], (v, d) => v * d).Sum() * x[0] + Math.Sin(s) * directions[0][0]).Within(1e-14), "closed form");
            Assert.That(woven.DecompiledCSharp, Does.Contain("<SumOfSquares>__fwd_dual_to_dual_x8"), "one callee derivative at width 8");
        });
    }

    [Test]
    public void ReverseWidthTwoThroughACallEqualsTwoCalls()
    {
        var x = new[] { 0.3, -0.8, 1.2, 0.5 };
        double[] lane0 = new double[4], lane1 = new double[4], single0 = new double[4], single1 = new double[4];
        woven.Invoke("Vector", "CallR2", x, lane0, lane1, 1.0, -2.0);
        woven.Invoke("Vector", "CallR1", x, single0, 1.0);
        woven.Invoke("Vector", "CallR1", x, single1, -2.0);
        Assert.Multiple(() =>
        {
            Assert.That(lane0, Is.EqualTo(single0));
            Assert.That(lane1, Is.EqualTo(single1));
            Assert.That(woven.DecompiledCSharp, Does.Contain("<SumOfSquares>__rev_duplicated_x2"), "one callee derivative at width 2");
        });
    }

    [Test]
    public void ReverseWidthEightThroughACallWithAScalarGradientEqualsEightCalls()
    {
        var x = new[] { 0.3, -0.8, 1.2, 0.5 };
        const double a = 0.7;
        var seeds = Enumerable.Range(0, 8).Select(k => Math.Cos(k + 0.5)).ToArray();
        var shadows = Enumerable.Range(0, 8).Select(_ => new double[4]).ToArray();
        var arguments = new object?[] { x }.Concat(shadows).Append(a).Concat(seeds.Cast<object?>()).ToArray();
        var wide = Items((ITuple)woven.Invoke("Vector", "ScaledR8", arguments)!);
        var singleShadows = Enumerable.Range(0, 8).Select(_ => new double[4]).ToArray();
        var single = Enumerable.Range(0, 8).Select(k => (double)woven.Invoke("Vector", "ScaledR1", x, singleShadows[k], a, seeds[k])!).ToArray();
        var s = x.Sum(v => v * v);
        Assert.Multiple(() =>
        {
            Assert.That(wide, Is.EqualTo(single));
            Assert.That(shadows, Is.EqualTo(singleShadows));
            Assert.That(single[3], Is.EqualTo(seeds[3] * Math.Cos(a * s) * s).Within(1e-14), "closed form of ∂/∂a");
            Assert.That(singleShadows[3][1], Is.EqualTo(seeds[3] * Math.Cos(a * s) * 2 * a * x[1]).Within(1e-14), "closed form of ∂/∂x₁");
        });
    }

    private static ITuple DotF2(double[] a, double[][] da, double[] b, double[][] db) =>
        (ITuple)woven.Invoke("Vector", "DotF2Host", a, da, b, db)!;

    private static double DotF1(double[] a, double[] da, double[] b, double[] db) =>
        (double)woven.Invoke("Vector", "DotF1Host", a, da, b, db)!;

    private static void DotR2(double[] a, double[][] ga, double[] b, double[][] gb, double seed0, double seed1) =>
        woven.Invoke("Vector", "DotR2Host", a, ga, b, gb, seed0, seed1);

    private static void DotR1(double[] a, double[] ga, double[] b, double[] gb, double seed) =>
        woven.Invoke("Vector", "DotR1Host", a, ga, b, gb, seed);

    private static double[] Unit(int k) => Enumerable.Range(0, 3).Select(i => i == k ? 1.0 : 0.0).ToArray();

    private static double[] Unit2(int k) => Enumerable.Range(0, 2).Select(i => i == k ? 1.0 : 0.0).ToArray();

    private static double[] Items(ITuple tuple) => Enumerable.Range(0, tuple.Length).Select(i => (double)tuple[i]!).ToArray();
}
