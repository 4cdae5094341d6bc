using System;
using System.Linq;
using System.Runtime.CompilerServices;
using Autodiff.Tests.EndToEnd;
using NUnit.Framework;

namespace Autodiff.Tests.Memory;

/// <summary>
/// Algorithms that overwrite their input with data-dependent control flow (sorting, running extrema, early
/// exit), the …Only activities and vector mode, woven end to end.
/// </summary>
public sealed class InPlaceAlgorithmTests
{
    private const string Source = """
        using System.CodeDom.Compiler;
        using Autodiff;

        public static class Algorithms
        {
            // Sorting permutes values: each output's derivative is that of the input it came from.
            [Autodiff(nameof(GradientOfInsertionSort), Mode.Reverse, Activity.Duplicated)]
            [Autodiff(nameof(TangentOfInsertionSort), Mode.Forward, Activity.Dual)]
            public static void InsertionSort(double[] a)
            {
                for (var i = 1; i < a.Length; i++)
                {
                    var key = a[i];
                    var j = i - 1;
                    while (j >= 0 && a[j] > key)
                    {
                        a[j + 1] = a[j];
                        j--;
                    }
                    a[j + 1] = key;
                }
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern void GradientOfInsertionSort(double[] a, double[] da);

            [GeneratedCode("Autodiff", "1")]
            public static extern void TangentOfInsertionSort(double[] a, double[] da);

            // The first maximum wins ties.
            [Autodiff(nameof(GradientOfMaximum), Mode.Reverse, Activity.Duplicated, Activity.Active)]
            [Autodiff(nameof(TangentOfMaximum), Mode.Forward, Activity.Dual, Activity.Dual)]
            public static double Maximum(double[] x)
            {
                var best = x[0];
                for (var i = 1; i < x.Length; i++)
                {
                    if (x[i] > best)
                        best = x[i];
                }
                return best;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern double GradientOfMaximum(double[] x, double[] dx, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) TangentOfMaximum(double[] x, double[] dx);

            // float; `<=` lets the last of tied minima win.
            [Autodiff(nameof(GradientOfMinimum), Mode.Reverse, Activity.Duplicated, Activity.Active)]
            [Autodiff(nameof(TangentOfMinimum), Mode.Forward, Activity.Dual, Activity.Dual)]
            public static float Minimum(float[] x)
            {
                var best = x[0];
                for (var i = 1; i < x.Length; i++)
                    best = x[i] <= best ? x[i] : best;
                return best;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern float GradientOfMinimum(float[] x, float[] dx, float seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (float, float) TangentOfMinimum(float[] x, float[] dx);

            // Scales in place until the first non-positive element.
            [Autodiff(nameof(GradientOfScaleWhilePositive), Mode.Reverse, Activity.Duplicated, Activity.Active)]
            [Autodiff(nameof(TangentOfScaleWhilePositive), Mode.Forward, Activity.Dual, Activity.Dual)]
            public static void ScaleWhilePositive(double[] x, double factor)
            {
                for (var i = 0; i < x.Length; i++)
                {
                    if (x[i] <= 0)
                        return;
                    x[i] *= factor;
                }
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern double GradientOfScaleWhilePositive(double[] x, double[] dx, double factor);

            [GeneratedCode("Autodiff", "1")]
            public static extern void TangentOfScaleWhilePositive(double[] x, double[] dx, double factor, double dfactor);

            // A product of ratios: Π x[i] / x[i + 1].
            [Autodiff(nameof(GradientOfRatios), Mode.Reverse, Activity.DuplicatedOnly, Activity.Active)]
            [Autodiff(nameof(TangentOfRatios), Mode.Forward, Activity.DualOnly, Activity.DualOnly)]
            public static double Ratios(double[] x)
            {
                var product = 1.0;
                for (var i = 0; i + 1 < x.Length; i++)
                    product *= x[i] / x[i + 1];
                return product;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern double GradientOfRatios(double[] x, double[] dx, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern double TangentOfRatios(double[] x, double[] dx);

            // Vector mode: two directions at once.
            [Autodiff(nameof(GradientsOfSeed), Mode.Reverse, Activity.Duplicated, Activity.Active, Width = 2)]
            [Autodiff(nameof(TangentsOfSeed), Mode.Forward, Activity.Dual, Activity.Dual, Width = 2)]
            public static double Seed(double[] x) => x[0] * x[0] + x[1] * x[0];

            [GeneratedCode("Autodiff", "1")]
            public static extern double GradientsOfSeed(double[] x, double[] dx_0, double[] dx_1, double seed_0, double seed_1);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double, double) TangentsOfSeed(double[] x, double[] dx_0, double[] dx_1);
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
    public void InsertionSortRoutesSeedsBackToTheirInputs()
    {
        // Sorted, (3, 1, 2) becomes (1, 2, 3): output k came from input (1, 2, 0)[k].
        var a = new[] { 3.0, 1.0, 2.0 };
        var da = new[] { 10.0, 20.0, 30.0 };
        woven.Invoke("Algorithms", "GradientOfInsertionSort", a, da);
        Assert.Multiple(() =>
        {
            Assert.That(a, Is.EqualTo(new[] { 1.0, 2.0, 3.0 }));
            Assert.That(da, Is.EqualTo(new[] { 30.0, 10.0, 20.0 }));
        });
    }

    [Test]
    public void InsertionSortForwardPermutesTheTangents()
    {
        var a = new[] { 3.0, 1.0, 2.0, -4.0 };
        var da = new[] { 0.1, 0.2, 0.3, 0.4 };
        woven.Invoke("Algorithms", "TangentOfInsertionSort", a, da);
        Assert.Multiple(() =>
        {
            Assert.That(a, Is.EqualTo(new[] { -4.0, 1.0, 2.0, 3.0 }));
            Assert.That(da, Is.EqualTo(new[] { 0.4, 0.2, 0.3, 0.1 }));
        });
    }

    [Test]
    public void MinimumWithTiesTakesTheLastFloat()
    {
        var x = new[] { 3f, -1f, 2f, -1f, 0f };
        var dx = new float[5];
        var y = woven.Invoke("Algorithms", "GradientOfMinimum", x, dx, 2f);
        var tangent = (ITuple)woven.Invoke("Algorithms", "TangentOfMinimum", x, new[] { 1f, 2f, 3f, 4f, 5f })!;
        Assert.Multiple(() =>
        {
            Assert.That(y, Is.EqualTo(-1f));
            Assert.That(dx, Is.EqualTo(new[] { 0f, 0f, 0f, 2f, 0f }));
            Assert.That(tangent[1], Is.EqualTo(4f));
        });
    }

    [Test]
    public void MaximumWithTiesTakesTheFirst()
    {
        var dx = new double[4];
        var y = woven.Invoke("Algorithms", "GradientOfMaximum", new[] { 1.0, 5.0, 5.0, 2.0 }, dx, 1.0);
        var tangent = (ITuple)woven.Invoke("Algorithms", "TangentOfMaximum", new[] { 1.0, 5.0, 5.0, 2.0 }, new[] { 1.0, 2.0, 3.0, 4.0 })!;
        Assert.Multiple(() =>
        {
            Assert.That(y, Is.EqualTo(5.0));
            Assert.That(dx, Is.EqualTo(new[] { 0.0, 1.0, 0.0, 0.0 }));
            Assert.That(tangent[1], Is.EqualTo(2.0));
        });
    }

    [Test]
    public void EarlyExitScalesOnlyThePrefix()
    {
        // x = (2, 3, -1, 4) with factor f: outputs (2f, 3f, -1, 4). Seeds dx = 1: x̄ = (f, f, 1, 1), f̄ = 2 + 3.
        var x = new[] { 2.0, 3.0, -1.0, 4.0 };
        var dx = new[] { 1.0, 1.0, 1.0, 1.0 };
        var dfactor = woven.Invoke("Algorithms", "GradientOfScaleWhilePositive", x, dx, 0.5);
        Assert.Multiple(() =>
        {
            Assert.That(x, Is.EqualTo(new[] { 1.0, 1.5, -1.0, 4.0 }));
            Assert.That(dx, Is.EqualTo(new[] { 0.5, 0.5, 1.0, 1.0 }));
            Assert.That(dfactor, Is.EqualTo(5.0));
        });
    }

    [Test]
    public void EarlyExitForward()
    {
        var x = new[] { 2.0, 3.0, -1.0, 4.0 };
        var dx = new[] { 1.0, 0.0, 2.0, 1.0 };
        woven.Invoke("Algorithms", "TangentOfScaleWhilePositive", x, dx, 0.5, 1.0);
        // ẏᵢ = ẋᵢ·f + xᵢ·ḟ on the scaled prefix, ẋᵢ after it.
        Assert.That(dx, Is.EqualTo(new[] { 0.5 + 2, 0 + 3, 2.0, 1.0 }));
    }

    [Test]
    public void ProductOfRatiosWithTheOnlyActivities()
    {
        var x = new[] { 2.0, 4.0, 0.5 };
        var dx = new double[3];
        var y = (double)woven.Invoke("Algorithms", "GradientOfRatios", (double[])x.Clone(), dx, 1.0)!;
        var expected = FiniteDifferences.Gradient(v => (double)woven.Invoke("Algorithms", "Ratios", v)!, x);
        var u = new[] { 1.0, -1.0, 0.5 };
        var tangent = (double)woven.Invoke("Algorithms", "TangentOfRatios", (double[])x.Clone(), (double[])u.Clone())!;
        Assert.Multiple(() =>
        {
            Assert.That(y, Is.EqualTo(x[0] / x[2]).Within(1e-12));
            FiniteDifferences.AssertClose(dx, expected);
            Assert.That(tangent, Is.EqualTo(dx.Zip(u, (a, b) => a * b).Sum()).Within(1e-12));
        });
    }

    [Test]
    public void VectorModeGivesBothDirections()
    {
        var dx0 = new double[2];
        var dx1 = new double[2];
        var y = woven.Invoke("Algorithms", "GradientsOfSeed", new[] { 2.0, 3.0 }, dx0, dx1, 1.0, 2.0);
        var tangents = (ITuple)woven.Invoke("Algorithms", "TangentsOfSeed", new[] { 2.0, 3.0 }, new[] { 1.0, 0.0 }, new[] { 0.0, 1.0 })!;
        Assert.Multiple(() =>
        {
            Assert.That(y, Is.EqualTo(10.0));
            Assert.That(dx0, Is.EqualTo(new[] { 7.0, 2.0 }));
            Assert.That(dx1, Is.EqualTo(new[] { 14.0, 4.0 }));
            Assert.That(new[] { tangents[0], tangents[1], tangents[2] }, Is.EqualTo(new object[] { 10.0, 7.0, 2.0 }));
        });
    }
}
