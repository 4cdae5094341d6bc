using System;
using System.Linq;
using System.Runtime.CompilerServices;
using Autodiff.Tests.EndToEnd;
using NUnit.Framework;

namespace Autodiff.Tests.HigherOrder;

/// <summary>
/// Reverse mode over reverse derivatives that keep tapes (reverse over reverse through loops), woven end to end: the
/// outer reverse sweep runs the inner tapes backwards on their adjoints. Against closed forms, central differences of
/// the woven first derivatives, and forward over reverse.
/// </summary>
public sealed class TapedReverseTests
{
    private const double Step = 1e-5;
    private static WovenAssembly woven = null!;

    [OneTimeSetUp]
    public void Weave() => woven = WovenAssembly.Compile(TapedReverseSource.Text);

    [OneTimeTearDown]
    public void Unload() => woven.Dispose();

    [TestCase(0.3)]
    [TestCase(-1.1)]
    public void ReverseOverACursorTapedReverseDerivative(double x)
    {
        // p(x) = Π sin(kx): p'' = p·((Σ k·cot kx)² − Σ k²/sin² kx).
        double product = 1, sumCot = 0, sumCsc2 = 0;
        for (var k = 1; k < 5; k++)
        {
            product *= Math.Sin(k * x);
            sumCot += k / Math.Tan(k * x);
            sumCsc2 += k * k / (Math.Sin(k * x) * Math.Sin(k * x));
        }
        double First(double a) => (double)woven.Invoke("Taped", "DProduct", a, 1.0)!;
        var second = (double)woven.Invoke("Taped", "D2ProductReverse", x, 1.0)!;
        Assert.Multiple(() =>
        {
            Assert.That(second, Is.EqualTo(product * (sumCot * sumCot - sumCsc2)).Within(1e-10));
            Assert.That(second, Is.EqualTo((First(x + Step) - First(x - Step)) / (2 * Step)).Within(1e-6), "central differences of the woven first derivative");
            Assert.That(second, Is.EqualTo((double)woven.Invoke("Taped", "D2ProductForward", x, 1.0)!).Within(1e-12), "forward over reverse");
            Assert.That((double)woven.Invoke("Taped", "D2ProductReverse", x, -2.5)!, Is.EqualTo(-2.5 * second).Within(1e-10), "seed scales");
        });
    }

    [TestCase(0.4)]
    [TestCase(-1.3)]
    public void ReverseOverAGrowingTape(double x)
    {
        // y ← sin(y)·x four times; y′ and y″ by the recurrence of its hyper-dual numbers.
        double y = x, dy = 1, d2y = 0;
        for (var scale = 10.0; scale > 1; scale /= 2)
        {
            var (sin, cos) = (Math.Sin(y), Math.Cos(y));
            (y, dy, d2y) = (sin * x, cos * dy * x + sin, (-sin * dy * dy + cos * d2y) * x + 2 * cos * dy);
        }
        double First(double a) => (double)woven.Invoke("Taped", "DDamped", a, 1.0)!;
        var second = (double)woven.Invoke("Taped", "D2DampedReverse", x, 1.0)!;
        Assert.Multiple(() =>
        {
            Assert.That(First(x), Is.EqualTo(dy).Within(1e-12), "first derivative");
            Assert.That(second, Is.EqualTo(d2y).Within(1e-12));
            Assert.That(second, Is.EqualTo((First(x + Step) - First(x - Step)) / (2 * Step)).Within(1e-6), "central differences of the woven first derivative");
        });
    }

    [TestCase(0.3, 0.7, 5)]
    [TestCase(-1.2, 1.1, 3)]
    [TestCase(0.5, -0.9, 0)]
    public void HessianRowOfATwoInputLoopEqualsTheForwardColumn(double x, double y, int n)
    {
        // f = Σ_{k=1}^{n} sin(kx)·yᵏ: fxx = −Σ k² sin(kx) yᵏ, fxy = Σ k² cos(kx) yᵏ⁻¹.
        double xx = 0, xy = 0;
        for (var k = 1; k <= n; k++)
        {
            xx -= k * k * Math.Sin(k * x) * Math.Pow(y, k);
            xy += k * k * Math.Cos(k * x) * Math.Pow(y, k - 1);
        }
        var row = (ITuple)woven.Invoke("Taped", "SeriesHessianRow", x, y, n, 1.0)!;
        double Dx(double a, double b) => (double)woven.Invoke("Taped", "DSeriesDx", a, b, n, 1.0)!;
        Assert.Multiple(() =>
        {
            Assert.That((double)row[0]!, Is.EqualTo(xx).Within(1e-10));
            Assert.That((double)row[1]!, Is.EqualTo(xy).Within(1e-10));
            Assert.That((double)row[0]!, Is.EqualTo((double)woven.Invoke("Taped", "SeriesHessianColumn", x, 1.0, y, 0.0, n)!).Within(1e-12), "forward over reverse");
            Assert.That((double)row[1]!, Is.EqualTo((double)woven.Invoke("Taped", "SeriesHessianColumn", x, 0.0, y, 1.0, n)!).Within(1e-12), "forward over reverse");
            Assert.That((double)row[1]!, Is.EqualTo((Dx(x, y + Step) - Dx(x, y - Step)) / (2 * Step)).Within(1e-6), "central differences of the woven gradient");
        });
    }

    [Test]
    public void ArrayProductHessianByReverseOverReverseIsSymmetricAndEqualsForwardOverReverse()
    {
        // p = Π sin(xᵢ): Hᵢⱼ = p·cot xᵢ·cot xⱼ (i ≠ j), Hᵢᵢ = −p.
        var x = new[] { 0.9, -0.4, 1.3, 2.0 };
        var p = x.Aggregate(1.0, (acc, xi) => acc * Math.Sin(xi));
        var rows = Enumerable.Range(0, x.Length).Select(j => HessianVectorProduct("Product", x, Unit(x.Length, j)).Reverse).ToArray();
        Assert.Multiple(() =>
        {
            for (var i = 0; i < x.Length; i++)
            {
                for (var j = 0; j < x.Length; j++)
                {
                    var expected = i == j ? -p : p / (Math.Tan(x[i]) * Math.Tan(x[j]));
                    Assert.That(rows[j][i], Is.EqualTo(expected).Within(1e-12), $"H[{i},{j}]");
                    Assert.That(rows[j][i], Is.EqualTo(rows[i][j]).Within(1e-12), "symmetric");
                }
            }
        });
        AssertHessianVectorProduct("Product", x, new[] { 0.5, -1.0, 2.0, 0.25 });
    }

    [Test]
    public void RosenbrockHessianVectorProductByReverseOverReverse()
    {
        var x = new[] { 0.9, -0.4, 1.3 };
        var v = new[] { 0.5, -1.0, 2.0 };
        var expected = new double[3, 3];
        for (var i = 0; i < 2; i++)
        {
            expected[i, i] += 1200 * x[i] * x[i] - 400 * x[i + 1] + 2;
            expected[i, i + 1] += -400 * x[i];
            expected[i + 1, i] += -400 * x[i];
            expected[i + 1, i + 1] += 200;
        }
        var (reverse, _) = HessianVectorProduct("Rosenbrock", x, v);
        Assert.That(reverse, Is.EqualTo(Enumerable.Range(0, 3).Select(i => Enumerable.Range(0, 3).Sum(j => expected[i, j] * v[j]))).Within(1e-9));
        AssertHessianVectorProduct("Rosenbrock", x, v);
    }

    [Test]
    public void DecompiledOuterDerivativesRunTheInnerTapesBackwards() =>
        Assert.Multiple(() =>
        {
            Assert.That(woven.DecompiledCSharp, Does.Contain("TapeAdjoints<double>.Rent()"));
            Assert.That(woven.DecompiledCSharp, Does.Contain(".AddToTop("), "a growing tape's Peek, backwards");
            Assert.That(woven.DecompiledCSharp, Does.Contain(".Elements("), "a cursor tape's storage, backwards");
        });

    // H·v by reverse over reverse (v seeds the gradient array) and by forward over reverse.
    private static (double[] Reverse, double[] Forward) HessianVectorProduct(string name, double[] x, double[] v)
    {
        double[] reverse = new double[x.Length], forward = new double[x.Length];
        woven.Invoke("Taped", name + "HvpReverse", x, reverse, new double[x.Length], (double[])v.Clone());
        woven.Invoke("Taped", name + "HvpForward", x, v, new double[x.Length], forward);
        return (reverse, forward);
    }

    // Reverse over reverse = forward over reverse = central differences of the woven gradient along v.
    private static void AssertHessianVectorProduct(string name, double[] x, double[] v)
    {
        var (reverse, forward) = HessianVectorProduct(name, x, v);
        double[] GradientAt(double step)
        {
            var gradient = new double[x.Length];
            woven.Invoke("Taped", "GradientOf" + name, x.Select((xi, i) => xi + step * v[i]).ToArray(), gradient, 1.0);
            return gradient;
        }
        var (plus, minus) = (GradientAt(Step), GradientAt(-Step));
        Assert.Multiple(() =>
        {
            Assert.That(reverse, Is.EqualTo(forward).Within(1e-12), "forward over reverse");
            Assert.That(reverse, Is.EqualTo(plus.Select((g, i) => (g - minus[i]) / (2 * Step))).Within(1e-5 * (1 + reverse.Max(Math.Abs))), "central differences of the woven gradient");
        });
    }

    private static double[] Unit(int length, int k) => Enumerable.Range(0, length).Select(i => i == k ? 1.0 : 0.0).ToArray();
}
