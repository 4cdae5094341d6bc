using System;
using System.Linq;
using Autodiff.Benchmarks;
using NUnit.Framework;

namespace Autodiff.Tests.HigherOrder;

/// <summary>The measured derivatives (Benchmarks/WidthObjectives, woven by Fody) compute what they claim.</summary>
public sealed class WidthObjectiveTests
{
    [Test]
    public void WidthFourAndEightEqualSingleCallsBitwise()
    {
        var x = Enumerable.Range(0, 50).Select(i => Math.Sin(0.37 * i) + 0.1).ToArray();
        var d = Enumerable.Range(0, 8).Select(k => Enumerable.Range(0, 50).Select(i => Math.Cos(0.11 * i + k)).ToArray()).ToArray();
        var four = WidthObjectives.Tangent4(x, d[0], d[1], d[2], d[3]);
        var eight = WidthObjectives.Tangent8(x, d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]);
        var single = d.Select(direction => WidthObjectives.Tangent1(x, direction)).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(new[] { four.Item1, four.Item2, four.Item3, four.Item4 }, Is.EqualTo(single.Take(4)));
            Assert.That(new[] { eight.Item1, eight.Item2, eight.Item3, eight.Item4, eight.Item5, eight.Item6, eight.Item7, eight.Item8 }, Is.EqualTo(single));
        });
    }

    [Test]
    public void BothHessianVectorProductsThroughALoopGiveTheRosenbrockHessianTimesV()
    {
        const int n = 6;
        var x = Enumerable.Range(0, n).Select(i => 0.5 + 0.3 * Math.Sin(i)).ToArray();
        var v = Enumerable.Range(0, n).Select(i => Math.Cos(0.7 * i)).ToArray();
        var hv = new double[n];
        WidthObjectives.RosenbrockHvp(x, hv, v, 1.0);
        // Each term 100(x_{i+1} − x_i²)² + (1 − x_i)² adds its 2×2 Hessian block at (i, i+1).
        var expected = new double[n];
        for (var i = 0; i + 1 < n; i++)
        {
            var hii = 1200 * x[i] * x[i] - 400 * x[i + 1] + 2;
            var hij = -400 * x[i];
            expected[i] += hii * v[i] + hij * v[i + 1];
            expected[i + 1] += hij * v[i] + 200 * v[i + 1];
        }
        var forwardOverReverse = new double[n];
        WidthObjectives.RosenbrockHvpForwardOverReverse(x, v, new double[n], forwardOverReverse);
        Assert.Multiple(() =>
        {
            Assert.That(hv, Is.EqualTo(expected).Within(1e-9));
            Assert.That(forwardOverReverse, Is.EqualTo(expected).Within(1e-9));
        });
    }
}
