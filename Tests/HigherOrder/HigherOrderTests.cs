using System;
using System.Linq;
using System.Runtime.CompilerServices;
using Autodiff.Tests.EndToEnd;
using Autodiff.Tests.Infrastructure;
using Autodiff.Weaver.Pipeline;
using NUnit.Framework;

namespace Autodiff.Tests.HigherOrder;

/// <summary>
/// Derivatives of derivatives, woven end to end: forward over reverse, reverse over reverse, reverse over
/// forward, forward over forward, and a series differentiated four levels deep, against closed forms and
/// central differences of the first derivatives.
/// </summary>
public sealed class HigherOrderTests
{
    private const double Step = 1e-5;
    private static WovenAssembly woven = null!;

    [OneTimeSetUp]
    public void Weave() => woven = WovenAssembly.Compile(HigherOrderSource.Text);

    [OneTimeTearDown]
    public void Unload() => woven.Dispose();

    // f(x, y) = x²y + sin(x)·y².
    private static (double Xx, double Xy, double Yy) Hessian(double x, double y) =>
        (2 * y - Math.Sin(x) * y * y, 2 * x + 2 * Math.Cos(x) * y, 2 * Math.Sin(x));

    [Test]
    public void WeavesWithoutErrors() => Assert.That(woven.Result.Succeeded, Is.True, woven.ErrorText);

    [TestCase(0.7, -1.3)]
    [TestCase(-2.0, 0.25)]
    public void ForwardOverReverseGivesHessianRowsThatAreSymmetric(double x, double y)
    {
        var (xx, xy, yy) = Hessian(x, y);
        var hxx = (double)woven.Invoke("Hessians", "HvpX", x, 1.0, y, 0.0)!;
        var hxy = (double)woven.Invoke("Hessians", "HvpX", x, 0.0, y, 1.0)!;
        var hyx = (double)woven.Invoke("Hessians", "HvpY", x, 1.0, y, 0.0)!;
        var hyy = (double)woven.Invoke("Hessians", "HvpY", x, 0.0, y, 1.0)!;
        Assert.Multiple(() =>
        {
            Assert.That(hxx, Is.EqualTo(xx).Within(1e-12));
            Assert.That(hxy, Is.EqualTo(xy).Within(1e-12));
            Assert.That(hyx, Is.EqualTo(xy).Within(1e-12));
            Assert.That(hyy, Is.EqualTo(yy).Within(1e-12));
            Assert.That(hxy, Is.EqualTo(hyx).Within(1e-12), "symmetric");
        });
    }

    [TestCase(0.7, -1.3)]
    [TestCase(-2.0, 0.25)]
    public void HessianEqualsCentralDifferencesOfTheReverseGradient(double x, double y)
    {
        double Dx(double a, double b) => (double)woven.Invoke("Hessians", "DfDx", a, b, 1.0)!;
        double Dy(double a, double b) => (double)woven.Invoke("Hessians", "DfDy", a, b, 1.0)!;
        Assert.Multiple(() =>
        {
            Assert.That((double)woven.Invoke("Hessians", "HvpX", x, 1.0, y, 0.0)!, Is.EqualTo((Dx(x + Step, y) - Dx(x - Step, y)) / (2 * Step)).Within(1e-7));
            Assert.That((double)woven.Invoke("Hessians", "HvpX", x, 0.0, y, 1.0)!, Is.EqualTo((Dx(x, y + Step) - Dx(x, y - Step)) / (2 * Step)).Within(1e-7));
            Assert.That((double)woven.Invoke("Hessians", "HvpY", x, 0.0, y, 1.0)!, Is.EqualTo((Dy(x, y + Step) - Dy(x, y - Step)) / (2 * Step)).Within(1e-7));
        });
    }

    [TestCase(0.7, -1.3, 0.3, -2.0)]
    [TestCase(-2.0, 0.25, 1.0, 1.0)]
    public void HessianVectorProductIsLinearInTheDirection(double x, double y, double u, double v)
    {
        var (xx, xy, _) = Hessian(x, y);
        Assert.That((double)woven.Invoke("Hessians", "HvpX", x, u, y, v)!, Is.EqualTo(xx * u + xy * v).Within(1e-12));
    }

    [TestCase(0.7, -1.3)]
    [TestCase(-2.0, 0.25)]
    public void ReverseOverReverseGivesTheSameRow(double x, double y)
    {
        var (xx, xy, _) = Hessian(x, y);
        var row = (ITuple)woven.Invoke("Hessians", "HessianRowX", x, y, 1.0)!;
        Assert.Multiple(() =>
        {
            Assert.That((double)row[0]!, Is.EqualTo(xx).Within(1e-12));
            Assert.That((double)row[1]!, Is.EqualTo(xy).Within(1e-12));
        });
    }

    [TestCase(0.7, -1.3, 0.3, -2.0)]
    [TestCase(-2.0, 0.25, 1.0, 1.0)]
    public void ReverseOverForwardGivesHessianTimesDirection(double x, double y, double u, double v)
    {
        // ∇(∇f·(u, v)) = H·(u, v).
        var (xx, xy, yy) = Hessian(x, y);
        var gradient = (ITuple)woven.Invoke("Hessians", "DirectionalGradient", x, y, u, v, 1.0)!;
        Assert.Multiple(() =>
        {
            Assert.That((double)gradient[0]!, Is.EqualTo(xx * u + xy * v).Within(1e-12));
            Assert.That((double)gradient[1]!, Is.EqualTo(xy * u + yy * v).Within(1e-12));
        });
    }

    [TestCase(0.7, -1.3, 0.3, -2.0, 1.5, 0.5)]
    [TestCase(-2.0, 0.25, 1.0, 1.0, -1.0, 2.0)]
    public void ForwardOverForwardGivesTheBilinearForm(double x, double y, double u, double v, double p, double q)
    {
        // (p, q)ᵀ·H·(u, v), equal to the forward-over-reverse product read along (p, q).
        var (xx, xy, yy) = Hessian(x, y);
        var second = (double)woven.Invoke("Hessians", "SecondDirectional", x, p, y, q, u, v)!;
        var overReverse = p * (double)woven.Invoke("Hessians", "HvpX", x, u, y, v)! + q * (double)woven.Invoke("Hessians", "HvpY", x, u, y, v)!;
        Assert.Multiple(() =>
        {
            Assert.That(second, Is.EqualTo(p * (xx * u + xy * v) + q * (xy * u + yy * v)).Within(1e-12));
            Assert.That(second, Is.EqualTo(overReverse).Within(1e-12));
        });
    }

    [TestCase(1.2, 0.8, 1.0, 0.0)]
    [TestCase(-0.5, 2.0, 0.3, -0.7)]
    public void RosenbrockHessianVectorProductThroughArrays(double x0, double x1, double v0, double v1)
    {
        var x = new[] { x0, x1 };
        var v = new[] { v0, v1 };
        var g = new double[2];
        var hv = new double[2];
        woven.Invoke("Hessians", "RosenbrockHvp", x, v, g, hv);
        var h00 = 1200 * x0 * x0 - 400 * x1 + 2;
        var h01 = -400 * x0;
        Assert.Multiple(() =>
        {
            Assert.That(g[0], Is.EqualTo(-400 * x0 * (x1 - x0 * x0) - 2 * (1 - x0)).Within(1e-9), "gradient");
            Assert.That(g[1], Is.EqualTo(200 * (x1 - x0 * x0)).Within(1e-9), "gradient");
            Assert.That(hv[0], Is.EqualTo(h00 * v0 + h01 * v1).Within(1e-9));
            Assert.That(hv[1], Is.EqualTo(h01 * v0 + 200 * v1).Within(1e-9));
            Assert.That(v, Is.EqualTo(new[] { v0, v1 }), "input tangents unchanged");
        });
    }

    [TestCase(0.7, -1.3, 0.3, -2.0)]
    [TestCase(-2.0, 0.25, 1.0, 1.0)]
    public void ForwardOverAReverseDerivativeReturningATuple(double x, double y, double dx, double dy)
    {
        var tangent = (double)woven.Invoke("Hessians", "OverPairY", x, dx, y, dy)!;
        double PairY(double a, double b) => (double)((ITuple)woven.Invoke("Hessians", "GradientOfPair", a, b, 1.0)!)[1]!;
        Assert.Multiple(() =>
        {
            Assert.That(tangent, Is.EqualTo(2 * y * dx + 2 * x * dy).Within(1e-12));
            Assert.That(tangent, Is.EqualTo((PairY(x + Step * dx, y + Step * dy) - PairY(x - Step * dx, y - Step * dy)) / (2 * Step)).Within(1e-6), "central differences of the woven gradient");
        });
    }

    [TestCase(0.4)]
    [TestCase(-1.3)]
    public void ForwardOverAReverseDerivativeWithAGrowingTape(double x)
    {
        // y ← sin(y)·x four times (scale 10 → 0.625); y′ and y″ by the recurrence of its hyper-dual numbers.
        double y = x, dy = 1, d2y = 0;
        for (var scale = 10.0; scale > 1; scale /= 2)
        {
            var (sin, cos) = (Math.Sin(y), Math.Cos(y));
            (y, dy, d2y) = (sin * x, cos * dy * x + sin, (-sin * dy * dy + cos * d2y) * x + 2 * cos * dy);
        }
        double First(double a) => (double)woven.Invoke("Loops", "DDamped", a, 1.0)!;
        var second = (double)woven.Invoke("Loops", "D2Damped", x, 1.0)!;
        Assert.Multiple(() =>
        {
            Assert.That(First(x), Is.EqualTo(dy).Within(1e-12), "first derivative");
            Assert.That(second, Is.EqualTo(d2y).Within(1e-12));
            Assert.That(second, Is.EqualTo((First(x + Step) - First(x - Step)) / (2 * Step)).Within(1e-6), "central differences of the woven first derivative");
            Assert.That(woven.DecompiledCSharp, Does.Contain(".Peek()"), "a growing tape is peeked through calls, not used as a cursor");
        });
    }

    [TestCase(1.2, 0.8, 0.3, -2.0)]
    [TestCase(-0.5, 2.0, 1.0, 1.0)]
    public void ReverseOverReverseThroughAGradientArray(double x0, double x1, double v0, double v1)
    {
        var x = new[] { x0, x1 };
        var dx = new double[2];
        var g = new double[2];
        woven.Invoke("Hessians", "CubicHessianTimes", x, dx, g, new[] { v0, v1 });
        double[] GradientAt(double step)
        {
            var gradient = new double[2];
            woven.Invoke("Hessians", "GradientOfCubic", new[] { x0 + step * v0, x1 + step * v1 }, gradient, 1.0);
            return gradient;
        }
        var (plus, minus) = (GradientAt(Step), GradientAt(-Step));
        Assert.Multiple(() =>
        {
            Assert.That(g, Is.EqualTo(new[] { 2 * x0 * x1, x0 * x0 + Math.Cos(x1) }).Within(1e-12), "gradient");
            Assert.That(dx[0], Is.EqualTo(2 * x1 * v0 + 2 * x0 * v1).Within(1e-12));
            Assert.That(dx[1], Is.EqualTo(2 * x0 * v0 - Math.Sin(x1) * v1).Within(1e-12));
            Assert.That(dx[0], Is.EqualTo((plus[0] - minus[0]) / (2 * Step)).Within(1e-6), "central differences of the woven gradient");
            Assert.That(dx[1], Is.EqualTo((plus[1] - minus[1]) / (2 * Step)).Within(1e-6), "central differences of the woven gradient");
        });
    }

    [TestCase(1.2, 0.8)]
    [TestCase(-0.5, 2.0)]
    public void WholeRosenbrockHessianFromOneVectorModeCall(double x0, double x1)
    {
        var x = new[] { x0, x1 };
        double[] column0 = new double[2], column1 = new double[2];
        woven.Invoke("Hessians", "RosenbrockHessian", x, new[] { 1.0, 0.0 }, new[] { 0.0, 1.0 }, new double[2], column0, column1);
        Assert.Multiple(() =>
        {
            Assert.That(column0, Is.EqualTo(new[] { 1200 * x0 * x0 - 400 * x1 + 2, -400 * x0 }).Within(1e-9));
            Assert.That(column1, Is.EqualTo(new[] { -400 * x0, 200.0 }).Within(1e-9));
            Assert.That(column0[1], Is.EqualTo(column1[0]), "symmetric");
        });
    }

    [TestCase(0.7, -1.3)]
    public void InnerDerivativeReachedThroughAHelperIsWovenFirst(double x, double y)
    {
        // d/dx ∂f/∂y = fxy (0.5 · seed 2 = 1).
        var (_, xy, yy) = Hessian(x, y);
        Assert.Multiple(() =>
        {
            Assert.That((double)woven.Invoke("Hessians", "ThroughHelper", x, 1.0, y, 0.0)!, Is.EqualTo(xy).Within(1e-12));
            Assert.That((double)woven.Invoke("Hessians", "ThroughHelper", x, 0.0, y, 1.0)!, Is.EqualTo(yy).Within(1e-12));
        });
    }

    [TestCase(0.3)]
    [TestCase(-1.1)]
    public void ForwardOverAReverseDerivativeWithTapes(double x)
    {
        // p(x) = Π sin(kx); p'' by central differences of the woven p' and by a closed form.
        static double Product(double a)
        {
            double p = 1;
            for (var k = 1; k < 5; k++)
                p *= Math.Sin(a * k);
            return p;
        }
        double sumCot = 0, sumCsc2 = 0;
        for (var k = 1; k < 5; k++)
        {
            sumCot += k / Math.Tan(k * x);
            sumCsc2 += k * k / (Math.Sin(k * x) * Math.Sin(k * x));
        }
        var second = Product(x) * (sumCot * sumCot - sumCsc2);
        double First(double a) => (double)woven.Invoke("Loops", "DProduct", a, 1.0)!;
        var woven2 = (double)woven.Invoke("Loops", "D2Product", x, 1.0)!;
        var lanes = (ITuple)woven.Invoke("Loops", "D2ProductX3", x, 1.0, 2.0, -0.5)!;
        Assert.Multiple(() =>
        {
            Assert.That(woven2, Is.EqualTo(second).Within(1e-10));
            Assert.That(woven2, Is.EqualTo((First(x + Step) - First(x - Step)) / (2 * Step)).Within(1e-6));
            Assert.That(new[] { lanes[0], lanes[1], lanes[2] }, Is.EqualTo(new[] { woven2, (double)woven.Invoke("Loops", "D2Product", x, 2.0)!, (double)woven.Invoke("Loops", "D2Product", x, -0.5)! }));
        });
    }

    [Test]
    public void WholeHessianOfALoopFromForwardOverReverseThroughTapes()
    {
        var x = new[] { 0.9, -0.4, 1.3 };
        var columns = new[] { new double[3], new double[3], new double[3] };
        woven.Invoke("Loops", "RosenbrockHessian3", x, new[] { 1.0, 0, 0 }, new[] { 0, 1.0, 0 }, new[] { 0, 0, 1.0 }, new double[3], columns[0], columns[1], columns[2]);
        var expected = new double[3, 3];
        for (var i = 0; i < 2; i++)
        {
            expected[i, i] += 1200 * x[i] * x[i] - 400 * x[i + 1] + 2;
            expected[i, i + 1] += -400 * x[i];
            expected[i + 1, i] += -400 * x[i];
            expected[i + 1, i + 1] += 200;
        }
        var v = new[] { 0.5, -1.0, 2.0 };
        var hv = new double[3];
        woven.Invoke("Loops", "RosenbrockHvp", x, v, new double[3], hv);
        Assert.Multiple(() =>
        {
            for (var j = 0; j < 3; j++)
            {
                for (var i = 0; i < 3; i++)
                    Assert.That(columns[j][i], Is.EqualTo(expected[i, j]).Within(1e-9), $"H[{i},{j}]");
            }
            Assert.That(hv, Is.EqualTo(Enumerable.Range(0, 3).Select(i => Enumerable.Range(0, 3).Sum(j => expected[i, j] * v[j]))).Within(1e-9));
        });
    }

    [TestCase(0.0)]
    [TestCase(0.8)]
    [TestCase(-1.7)]
    public void SeriesDerivativesThroughThreeAndFourLevelsOfNesting(double x)
    {
        // dᵐ/dxᵐ Σ_{k=0}^{9} xᵏ/k! = Σ_{k=0}^{9−m} xᵏ/k!.
        static double Truncated(double x, int terms)
        {
            double sum = 0, term = 1;
            for (var k = 0; k < terms; k++)
            {
                sum += term;
                term = term * x / (k + 1);
            }
            return sum;
        }
        Assert.Multiple(() =>
        {
            Assert.That((double)woven.Invoke("Series", "D1", x, 1.0)!, Is.EqualTo(Truncated(x, 9)).Within(1e-12));
            Assert.That((double)woven.Invoke("Series", "D2", x, 1.0)!, Is.EqualTo(Truncated(x, 8)).Within(1e-12));
            Assert.That((double)woven.Invoke("Series", "D3", x, 1.0)!, Is.EqualTo(Truncated(x, 7)).Within(1e-12));
            Assert.That((double)woven.Invoke("Series", "D3Reverse", x, 1.0)!, Is.EqualTo(Truncated(x, 7)).Within(1e-12));
            Assert.That((double)woven.Invoke("Series", "D4", x, 1.0)!, Is.EqualTo(Truncated(x, 6)).Within(1e-12));
        });
    }

    [Test]
    public void ThirdDerivativeEqualsCentralDifferencesOfTheSecond()
    {
        const double x = 0.6;
        double Second(double a) => (double)woven.Invoke("Series", "D2", a, 1.0)!;
        Assert.That((double)woven.Invoke("Series", "D3", x, 1.0)!, Is.EqualTo((Second(x + Step) - Second(x - Step)) / (2 * Step)).Within(1e-8));
    }

    [Test]
    public void WeavingTwiceGivesIdenticalBytes()
    {
        // The request order (inner derivatives first) and the callee derivatives it creates are deterministic.
        var compiled = TestCompiler.Compile(HigherOrderSource.Text);
        Assert.That(WeaveToBytes(compiled), Is.EqualTo(WeaveToBytes(compiled)));
    }

    private static byte[] WeaveToBytes(TestCompiler.Output compiled)
    {
        using var module = WovenAssembly.Read(compiled);
        Assert.That(AssemblyWeaver.Weave(module, new WeaverOptions()).Succeeded, Is.True);
        return WovenAssembly.Write(module).Assembly;
    }

    [Test]
    public void DecompiledDerivativesCallTheInnerDerivativesDerivative()
    {
        // The outer derivative differentiates through the woven body: it calls the inner derivative's own derivative.
        Assert.That(woven.DecompiledCSharp, Does.Contain("<DfDx>__fwd_dual_dual"));
    }
}
