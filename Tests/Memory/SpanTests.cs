using System;
using System.Linq;
using System.Runtime.CompilerServices;
using Autodiff.Tests.EndToEnd;
using NUnit.Framework;

namespace Autodiff.Tests.Memory;

/// <summary>Derivatives through <c>Span&lt;T&gt;</c> and <c>ReadOnlySpan&lt;T&gt;</c> (whose shadow is a <c>Span&lt;T&gt;</c>), woven end to end.</summary>
public sealed class SpanTests
{
    private const string Source = """
        using System;
        using System.CodeDom.Compiler;
        using Autodiff;

        public static class Spans
        {
            // y[i] = w[i]·x[i]² into a Span output; returns Σ y.
            [Autodiff(nameof(GradientOfWeightedSquares), Mode.Reverse, Activity.Duplicated, Activity.Duplicated, Activity.Active)]
            [Autodiff(nameof(TangentOfWeightedSquares), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double WeightedSquares(ReadOnlySpan<double> x, Span<double> y)
            {
                var sum = 0.0;
                for (var i = 0; i < x.Length; i++)
                {
                    y[i] = (i + 1) * x[i] * x[i];
                    sum += y[i];
                }
                return sum;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern double GradientOfWeightedSquares(ReadOnlySpan<double> x, Span<double> dx, Span<double> y, Span<double> dy, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) TangentOfWeightedSquares(ReadOnlySpan<double> x, Span<double> dx, Span<double> y, Span<double> dy);

            // Prefix sums in place over a float span.
            [Autodiff(nameof(GradientOfPrefixSums), Mode.Reverse, Activity.Duplicated)]
            [Autodiff(nameof(TangentOfPrefixSums), Mode.Forward, Activity.Dual)]
            public static void PrefixSums(Span<float> s)
            {
                for (var i = 1; i < s.Length; i++)
                    s[i] += s[i - 1];
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern void GradientOfPrefixSums(Span<float> s, Span<float> ds);

            [GeneratedCode("Autodiff", "1")]
            public static extern void TangentOfPrefixSums(Span<float> s, Span<float> ds);

            // Spans sliced from arrays by the caller.
            public static double CallWeightedSquares(double[] x, double[] dx, double[] y, double[] dy) =>
                GradientOfWeightedSquares(x.AsSpan(1, 2), dx.AsSpan(1, 2), y, dy, 1.0);

            public static double CallWithShortShadow(double[] x) =>
                GradientOfWeightedSquares(x, new double[x.Length - 1], new double[x.Length], new double[x.Length], 1.0);

            public static void CallPrefixSums(float[] s, float[] ds) => GradientOfPrefixSums(s, ds);

            public static void CallTangentOfPrefixSums(float[] s, float[] ds) => TangentOfPrefixSums(s, ds);

            public static (double, double) CallTangentOfWeightedSquares(double[] x, double[] dx, double[] y, double[] dy) =>
                TangentOfWeightedSquares(x, dx, y, dy);
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
    public void SlicedReadOnlySpanReverse()
    {
        // x = (2, -1) sliced from the array; f = Σ y = 1·x0² + 2·x1² and y's seed dy is consumed.
        var x = new[] { 99.0, 2.0, -1.0, 99.0 };
        var dx = new double[4];
        var y = new double[2];
        var dy = new[] { 0.5, 1.0 };
        var f = woven.Invoke("Spans", "CallWeightedSquares", x, dx, y, dy);
        Assert.Multiple(() =>
        {
            Assert.That(f, Is.EqualTo(4.0 + 2.0));
            Assert.That(y, Is.EqualTo(new[] { 4.0, 2.0 }));
            // x̄ᵢ = 2(i+1)xᵢ·(1 + dyᵢ).
            Assert.That(dx, Is.EqualTo(new[] { 0.0, 2 * 2.0 * 1.5, 2 * 2 * -1.0 * 2, 0.0 }));
            Assert.That(dy, Is.EqualTo(new double[2]));
        });
    }

    [Test]
    public void ReadOnlySpanForward()
    {
        var x = new[] { 2.0, -1.0 };
        var dx = new[] { 1.0, 0.5 };
        var dy = new double[2];
        var result = (ITuple)woven.Invoke("Spans", "CallTangentOfWeightedSquares", x, dx, new double[2], dy)!;
        Assert.Multiple(() =>
        {
            Assert.That(dy, Is.EqualTo(new[] { 2 * 2.0 * 1.0, 2 * 2 * -1.0 * 0.5 }));
            Assert.That(result[1], Is.EqualTo(dy.Sum()));
            Assert.That(dx, Is.EqualTo(new[] { 1.0, 0.5 }));
        });
    }

    [Test]
    public void PrefixSumsInPlaceReverse()
    {
        // sₖ ← Σ_{i≤k} sᵢ: the adjoint of input i is the sum of the output seeds from i on.
        var s = new[] { 1f, 2f, 3f, 4f };
        var ds = new[] { 1f, 0f, 2f, 1f };
        woven.Invoke("Spans", "CallPrefixSums", s, ds);
        Assert.Multiple(() =>
        {
            Assert.That(s, Is.EqualTo(new[] { 1f, 3f, 6f, 10f }));
            Assert.That(ds, Is.EqualTo(new[] { 4f, 3f, 3f, 1f }));
        });
    }

    [Test]
    public void PrefixSumsForwardAgreesWithReverse()
    {
        var v = new[] { 1f, -1f, 0.5f, 2f };
        var u = new[] { 0.5f, 1f, -2f, 0.25f };
        var gradient = (float[])v.Clone();
        woven.Invoke("Spans", "CallPrefixSums", new[] { 1f, 2f, 3f, 4f }, gradient);
        var tangent = (float[])u.Clone();
        woven.Invoke("Spans", "CallTangentOfPrefixSums", new[] { 1f, 2f, 3f, 4f }, tangent);
        Assert.That(v.Zip(tangent, (a, b) => a * b).Sum(), Is.EqualTo(gradient.Zip(u, (a, b) => a * b).Sum()).Within(1e-5));
    }

    [Test]
    public void AShortShadowSpanIsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => woven.Invoke("Spans", "CallWithShortShadow", new[] { 1.0, 2.0 }))!;
        Assert.That(error.ParamName, Is.EqualTo("dx"));
    }
}
