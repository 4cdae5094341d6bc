using System;
using System.Linq;
using System.Runtime.CompilerServices;
using Autodiff.Tests.EndToEnd;
using NUnit.Framework;

namespace Autodiff.Tests.Calls;

/// <summary>
/// Calls receiving shadowed memory other than a parameter itself, in both modes: rows of jagged arrays (<c>Dot(a[i], x)</c>,
/// rows written in place), element addresses (<c>ref a[i]</c>, <c>ref m[i, j]</c>), arrays the function
/// allocates (once, and once per iteration), a span parameter passed on and span windows of an array — each passed
/// with its shadow (<c>da[i]</c>, <c>ref da[i]</c>, the allocation's shadow, <c>dx.AsSpan(1)</c>). Against closed
/// forms, central differences, and forward against reverse.
/// </summary>
public sealed class ShadowArgumentTests
{
    private const double Step = 1e-6;
    private static readonly double[] X = { 0.3, -0.7, 1.1 };
    private const double K = 0.8;
    private static WovenAssembly woven = null!;

    [OneTimeSetUp]
    public void Weave() => woven = WovenAssembly.Compile(ShadowArgumentSource.Text);

    [OneTimeTearDown]
    public void Unload() => woven.Dispose();

    [Test]
    public void WeavesWithoutErrors() => Assert.That(woven.Result.Succeeded, Is.True, woven.ErrorText);

    private static double[][] Matrix() => new[] { new[] { 0.5, -1.0, 2.0 }, new[] { 1.5, 0.25, -0.5 } };

    private static double[][] Zeros(double[][] like) => like.Select(row => new double[row.Length]).ToArray();

    // (f(+h) − f(−h)) / 2h of a function of one shifted input.
    private static double Central(Func<double, double> shifted) => (shifted(Step) - shifted(-Step)) / (2 * Step);

    [Test]
    public void RowsOfAJaggedArrayPassedWithTheirShadowRows()
    {
        // f = Σᵢ dᵢ², dᵢ = aᵢ·x: ∂f/∂aᵢⱼ = 2dᵢ·xⱼ, ∂f/∂xⱼ = Σᵢ 2dᵢ·aᵢⱼ.
        var a = Matrix();
        var d = a.Select(row => row.Zip(X, (p, q) => p * q).Sum()).ToArray();
        var da = Zeros(a);
        var dx = new double[X.Length];
        var value = (double)woven.Invoke("Shadows", "RRows", Matrix(), da, X.ToArray(), dx, 1.0)!;
        var ta = a.Select(row => row.Select(v => v * 0.5 - 0.1).ToArray()).ToArray();
        var tx = new[] { 1.0, -0.5, 0.25 };
        var forward = (ITuple)woven.Invoke("Shadows", "FRows", Matrix(), ta, X.ToArray(), tx.ToArray())!;
        double F(Action<double[][], double[]> shift)
        {
            var m = Matrix();
            var x = X.ToArray();
            shift(m, x);
            return (double)woven.Invoke("Shadows", "Rows", m, x)!;
        }
        Assert.Multiple(() =>
        {
            Assert.That(value, Is.EqualTo(d.Sum(v => v * v)).Within(1e-12));
            for (var i = 0; i < a.Length; i++)
            {
                Assert.That(da[i], Is.EqualTo(X.Select(x => 2 * d[i] * x).ToArray()).Within(1e-12));
                Assert.That(da[i][1], Is.EqualTo(Central(h => F((m, _) => m[i][1] += h))).Within(1e-6));
            }
            Assert.That(dx, Is.EqualTo(X.Select((_, j) => a.Select((row, i) => 2 * d[i] * row[j]).Sum()).ToArray()).Within(1e-12));
            Assert.That(dx[2], Is.EqualTo(Central(h => F((_, x) => x[2] += h))).Within(1e-6));
            Assert.That((double)forward[1]!, Is.EqualTo(da.Zip(ta, (g, t) => g.Zip(t, (p, q) => p * q).Sum()).Sum() + dx.Zip(tx, (p, q) => p * q).Sum()).Within(1e-12));
        });
    }

    [Test]
    public void RowsWrittenInPlaceByACallee()
    {
        // Rows scaled by k, then f = k²·Σ aᵢⱼ²: ∂f/∂aᵢⱼ = 2k²·aᵢⱼ, ∂f/∂k = 2k·Σ aᵢⱼ².
        var a = Matrix();
        var squares = a.Sum(row => row.Sum(v => v * v));
        var da = Zeros(a);
        var primal = Matrix();
        var reverse = (ITuple)woven.Invoke("Shadows", "RScaledRows", primal, da, K, 1.0)!;
        var ta = a.Select(row => row.Select(v => 0.3 - v).ToArray()).ToArray();
        var forward = (ITuple)woven.Invoke("Shadows", "FScaledRows", Matrix(), ta.Select(row => row.ToArray()).ToArray(), K, 0.5)!;
        double F(double[][] m, double k) => (double)woven.Invoke("Shadows", "ScaledRows", m, k)!;
        var gradientA = a.Select(row => row.Select(v => 2 * K * K * v).ToArray()).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That((double)reverse[0]!, Is.EqualTo(K * K * squares).Within(1e-12));
            Assert.That(primal, Is.EqualTo(a.Select(row => row.Select(v => K * v).ToArray()).ToArray()).Within(1e-14));
            Assert.That(da, Is.EqualTo(gradientA).Within(1e-12));
            Assert.That((double)reverse[1]!, Is.EqualTo(2 * K * squares).Within(1e-12));
            Assert.That((double)reverse[1]!, Is.EqualTo(Central(h => F(Matrix(), K + h))).Within(1e-6));
            Assert.That(da[0][2], Is.EqualTo(Central(h => { var m = Matrix(); m[0][2] += h; return F(m, K); })).Within(1e-6));
            Assert.That((double)forward[1]!, Is.EqualTo(gradientA.Zip(ta, (g, t) => g.Zip(t, (p, q) => p * q).Sum()).Sum() + (double)reverse[1]! * 0.5).Within(1e-12));
        });
    }

    [Test]
    public void ElementsPassedByReferenceWithTheirShadowElements()
    {
        // aᵢ ← k·sin aᵢ, f = k²·Σ sin² aᵢ: ∂f/∂aᵢ = k²·sin 2aᵢ, ∂f/∂k = 2k·Σ sin² aᵢ.
        var da = new double[X.Length];
        var primal = X.ToArray();
        var reverse = (ITuple)woven.Invoke("Shadows", "RElements", primal, da, K, 1.0)!;
        var u = new[] { 0.2, 1.0, -0.6 };
        var forward = (ITuple)woven.Invoke("Shadows", "FElements", X.ToArray(), u.ToArray(), K, 0.5)!;
        double F(double[] a, double k) => (double)woven.Invoke("Shadows", "Elements", a, k)!;
        var sines = X.Sum(v => Math.Sin(v) * Math.Sin(v));
        Assert.Multiple(() =>
        {
            Assert.That((double)reverse[0]!, Is.EqualTo(K * K * sines).Within(1e-12));
            Assert.That(primal, Is.EqualTo(X.Select(v => K * Math.Sin(v)).ToArray()).Within(1e-14));
            Assert.That(da, Is.EqualTo(X.Select(v => K * K * Math.Sin(2 * v)).ToArray()).Within(1e-12));
            Assert.That((double)reverse[1]!, Is.EqualTo(2 * K * sines).Within(1e-12));
            Assert.That(da[1], Is.EqualTo(Central(h => { var a = X.ToArray(); a[1] += h; return F(a, K); })).Within(1e-6));
            Assert.That((double)reverse[1]!, Is.EqualTo(Central(h => F(X.ToArray(), K + h))).Within(1e-6));
            Assert.That((double)forward[1]!, Is.EqualTo(da.Zip(u, (g, t) => g * t).Sum() + (double)reverse[1]! * 0.5).Within(1e-12));
        });
    }

    [Test]
    public void ElementsOfARankTwoArrayPassedByReference()
    {
        // m[i,1] ← k·sin m[i,1], f = Σ m[i,0]·k·sin m[i,1].
        double[,] M() => new[,] { { 0.4, 0.9 }, { -1.1, 0.3 }, { 0.7, -0.6 } };
        var m = M();
        var dm = new double[3, 2];
        var reverse = (ITuple)woven.Invoke("Shadows", "RMatrixElements", M(), dm, K, 1.0)!;
        var tm = new[,] { { 1.0, -0.5 }, { 0.25, 2.0 }, { -1.0, 0.5 } };
        var forward = (ITuple)woven.Invoke("Shadows", "FMatrixElements", M(), tm.Clone(), K, 0.5)!;
        double F(double[,] p, double k) => (double)woven.Invoke("Shadows", "MatrixElements", p, k)!;
        var expected = new double[3, 2];
        var dk = 0.0;
        var tangent = 0.0;
        for (var i = 0; i < 3; i++)
        {
            expected[i, 0] = K * Math.Sin(m[i, 1]);
            expected[i, 1] = m[i, 0] * K * Math.Cos(m[i, 1]);
            dk += m[i, 0] * Math.Sin(m[i, 1]);
            tangent += expected[i, 0] * tm[i, 0] + expected[i, 1] * tm[i, 1];
        }
        Assert.Multiple(() =>
        {
            Assert.That(dm, Is.EqualTo(expected).Within(1e-12));
            Assert.That((double)reverse[1]!, Is.EqualTo(dk).Within(1e-12));
            Assert.That(dm[2, 1], Is.EqualTo(Central(h => { var p = M(); p[2, 1] += h; return F(p, K); })).Within(1e-6));
            Assert.That((double)forward[1]!, Is.EqualTo(tangent + dk * 0.5).Within(1e-12));
        });
    }

    [TestCase("Allocated", new[] { 0.0 })]
    [TestCase("AllocatedInLoop", new[] { 0.0, 1.0, 2.0 })]
    public void ArraysTheFunctionAllocatesPassedWithTheirShadows(string name, double[] offsets)
    {
        // Σᵣ (k + r)²·Σ sin² xᵢ: ∂f/∂xᵢ = Σᵣ (k + r)²·sin 2xᵢ, ∂f/∂k = Σᵣ 2(k + r)·Σ sin² xᵢ.
        var sines = X.Sum(v => Math.Sin(v) * Math.Sin(v));
        var dx = new double[X.Length];
        var reverse = (ITuple)woven.Invoke("Shadows", "R" + name, X.ToArray(), dx, K, 1.0)!;
        var u = new[] { 0.2, 1.0, -0.6 };
        var forward = (ITuple)woven.Invoke("Shadows", "F" + name, X.ToArray(), u.ToArray(), K, 0.5)!;
        double F(double[] x, double k) => (double)woven.Invoke("Shadows", name, x, k)!;
        Assert.Multiple(() =>
        {
            Assert.That((double)reverse[0]!, Is.EqualTo(offsets.Sum(r => (K + r) * (K + r)) * sines).Within(1e-12));
            Assert.That(dx, Is.EqualTo(X.Select(v => offsets.Sum(r => (K + r) * (K + r)) * Math.Sin(2 * v)).ToArray()).Within(1e-12));
            Assert.That((double)reverse[1]!, Is.EqualTo(offsets.Sum(r => 2 * (K + r)) * sines).Within(1e-12));
            Assert.That(dx[0], Is.EqualTo(Central(h => { var x = X.ToArray(); x[0] += h; return F(x, K); })).Within(1e-6));
            Assert.That((double)reverse[1]!, Is.EqualTo(Central(h => F(X.ToArray(), K + h))).Within(1e-6));
            Assert.That((double)forward[1]!, Is.EqualTo(dx.Zip(u, (g, t) => g * t).Sum() + (double)reverse[1]! * 0.5).Within(1e-12));
        });
    }

    [Test]
    public void SpanParameterPassedOnWithItsShadowSpan()
    {
        // vᵢ ← sin vᵢ, f = k·Σ sin² vᵢ: ∂f/∂vᵢ = k·sin 2vᵢ, ∂f/∂k = Σ sin² vᵢ.
        var dv = new double[X.Length];
        var primal = X.ToArray();
        var reverse = (ITuple)woven.Invoke("Shadows", "CallRSpans", primal, dv, K)!;
        var u = new[] { 0.2, 1.0, -0.6 };
        var forward = (ITuple)woven.Invoke("Shadows", "CallFSpans", X.ToArray(), u.ToArray(), K, 0.5)!;
        double F(double[] v, double k) => (double)woven.Invoke("Shadows", "CallSpans", v, k)!;
        var sines = X.Sum(v => Math.Sin(v) * Math.Sin(v));
        Assert.Multiple(() =>
        {
            Assert.That((double)reverse[0]!, Is.EqualTo(K * sines).Within(1e-12));
            Assert.That(primal, Is.EqualTo(X.Select(Math.Sin).ToArray()).Within(1e-14));
            Assert.That(dv, Is.EqualTo(X.Select(v => K * Math.Sin(2 * v)).ToArray()).Within(1e-12));
            Assert.That((double)reverse[1]!, Is.EqualTo(sines).Within(1e-12));
            Assert.That(dv[2], Is.EqualTo(Central(h => { var v = X.ToArray(); v[2] += h; return F(v, K); })).Within(1e-6));
            Assert.That((double)forward[1]!, Is.EqualTo(dv.Zip(u, (g, t) => g * t).Sum() + (double)reverse[1]! * 0.5).Within(1e-12));
        });
    }

    [Test]
    public void SpanWindowsOfADuplicatedArrayGetTheSameWindowsOfItsShadow()
    {
        // f = 3k·x₀² + 3k·sin² x₁ + 2k·sin² x₂.
        var dx = new double[X.Length];
        var reverse = (ITuple)woven.Invoke("Shadows", "RWindows", X.ToArray(), dx, K, 1.0)!;
        var u = new[] { 0.2, 1.0, -0.6 };
        var forward = (ITuple)woven.Invoke("Shadows", "FWindows", X.ToArray(), u.ToArray(), K, 0.5)!;
        double F(double[] x, double k) => (double)woven.Invoke("Shadows", "Windows", x, k)!;
        double S(double v) => Math.Sin(v) * Math.Sin(v);
        Assert.Multiple(() =>
        {
            Assert.That((double)reverse[0]!, Is.EqualTo(3 * K * X[0] * X[0] + 3 * K * S(X[1]) + 2 * K * S(X[2])).Within(1e-12));
            Assert.That(dx, Is.EqualTo(new[] { 6 * K * X[0], 3 * K * Math.Sin(2 * X[1]), 2 * K * Math.Sin(2 * X[2]) }).Within(1e-12));
            Assert.That((double)reverse[1]!, Is.EqualTo(3 * X[0] * X[0] + 3 * S(X[1]) + 2 * S(X[2])).Within(1e-12));
            Assert.That(dx[1], Is.EqualTo(Central(h => { var x = X.ToArray(); x[1] += h; return F(x, K); })).Within(1e-6));
            Assert.That((double)reverse[1]!, Is.EqualTo(Central(h => F(X.ToArray(), K + h))).Within(1e-6));
            Assert.That((double)forward[1]!, Is.EqualTo(dx.Zip(u, (g, t) => g * t).Sum() + (double)reverse[1]! * 0.5).Within(1e-12));
        });
    }
}
