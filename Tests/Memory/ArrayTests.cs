using System;
using System.Linq;
using System.Runtime.CompilerServices;
using Autodiff.Tests.EndToEnd;
using NUnit.Framework;

namespace Autodiff.Tests.Memory;

/// <summary>Derivatives through rank-1 arrays, woven end to end: Duplicated in reverse, Dual in forward.</summary>
public sealed class ArrayTests
{
    private static WovenAssembly woven = null!;

    [OneTimeSetUp]
    public void Weave() => woven = WovenAssembly.Compile(ArraySource.Text);

    [OneTimeTearDown]
    public void Unload() => woven.Dispose();

    [Test]
    public void WeavesWithoutErrors() => Assert.That(woven.Result.Succeeded, Is.True, woven.ErrorText);

    [Test]
    public void SeedExampleReverse()
    {
        // DESIGN §1: f(x) = x0² + x1·x0 at (2, 3) is 10 with gradient (2x0 + x1, x0) = (7, 2).
        var dx = new double[2];
        var y = woven.Invoke("Arrays", "GradientOfSeed", new[] { 2.0, 3.0 }, dx, 1.0);
        Assert.Multiple(() =>
        {
            Assert.That(y, Is.EqualTo(10.0));
            Assert.That(dx, Is.EqualTo(new[] { 7.0, 2.0 }));
        });
    }

    [Test]
    public void ReverseAccumulatesOverRepeatedCalls()
    {
        var dx = new[] { 1.0, -1.0 };
        woven.Invoke("Arrays", "GradientOfSeed", new[] { 2.0, 3.0 }, dx, 1.0);
        woven.Invoke("Arrays", "GradientOfSeed", new[] { 2.0, 3.0 }, dx, 0.5);
        Assert.That(dx, Is.EqualTo(new[] { 1 + 1.5 * 7, -1 + 1.5 * 2 }));
    }

    [Test]
    public void SeedExampleForwardLeavesTheInputTangentUnchanged()
    {
        var dx = new[] { 0.5, -1.5 };
        var result = (ITuple)woven.Invoke("Arrays", "TangentOfSeed", new[] { 2.0, 3.0 }, dx)!;
        Assert.Multiple(() =>
        {
            Assert.That(result[0], Is.EqualTo(10.0));
            Assert.That(result[1], Is.EqualTo(0.5 * 7 - 1.5 * 2));
            Assert.That(dx, Is.EqualTo(new[] { 0.5, -1.5 }));
        });
    }

    [Test]
    public void SumOfSquaresGradientIsTwiceX()
    {
        var x = new[] { 1.0, -2.0, 0.5, 3.0 };
        var dx = new double[4];
        var y = woven.Invoke("Arrays", "GradientOfSumOfSquares", x, dx, 1.0);
        Assert.Multiple(() =>
        {
            Assert.That(y, Is.EqualTo(x.Sum(v => v * v)));
            Assert.That(dx, Is.EqualTo(x.Select(v => 2 * v).ToArray()));
            FiniteDifferences.AssertClose(dx, FiniteDifferences.Gradient(v => Primal("SumOfSquares", v), x));
        });
    }

    [Test]
    public void SumOfSquaresOfAnEmptyArray()
    {
        var y = woven.Invoke("Arrays", "GradientOfSumOfSquares", Array.Empty<double>(), Array.Empty<double>(), 1.0);
        Assert.That(y, Is.EqualTo(0.0));
    }

    [Test]
    public void SumOfSquaresForwardAgreesWithReverse()
    {
        var x = new[] { 1.0, -2.0, 0.5 };
        var u = new[] { 0.3, 0.7, -1.1 };
        var dx = new double[3];
        woven.Invoke("Arrays", "GradientOfSumOfSquares", x, dx, 1.0);
        var tangent = (ITuple)woven.Invoke("Arrays", "TangentOfSumOfSquares", x, u)!;
        Assert.That((double)tangent[1]!, Is.EqualTo(Dot(dx, u)).Within(1e-12));
    }

    [Test]
    public void DotGradientsAreTheOtherVector()
    {
        var a = new[] { 1.0, 2.0, 3.0 };
        var b = new[] { -1.0, 0.5, 4.0 };
        var da = new double[3];
        var db = new double[3];
        var y = woven.Invoke("Arrays", "GradientOfDot", a, da, b, db, 2.0);
        Assert.Multiple(() =>
        {
            Assert.That(y, Is.EqualTo(Dot(a, b)));
            Assert.That(da, Is.EqualTo(b.Select(v => 2 * v).ToArray()));
            Assert.That(db, Is.EqualTo(a.Select(v => 2 * v).ToArray()));
        });
    }

    [Test]
    public void DotForwardWithAConstVector()
    {
        var a = new[] { 1.0, 2.0, 3.0 };
        var b = new[] { -1.0, 0.5, 4.0 };
        var da = new[] { 0.2, -0.4, 1.0 };
        var result = (ITuple)woven.Invoke("Arrays", "TangentOfDot", a, da, b)!;
        Assert.That(result[1], Is.EqualTo(Dot(da, b)));
    }

    [Test]
    public void InPlaceDoublingIsDifferentiatedAndKept()
    {
        // f(x) = Σ (2xᵢ)² = 4Σxᵢ², ∇f = 8x; the derivative doubles x as the primal does.
        var x = new[] { 1.0, -2.0, 0.5 };
        var original = (double[])x.Clone();
        var dx = new double[3];
        var y = woven.Invoke("Arrays", "GradientOfDoubleThenSumSquares", x, dx, 1.0);
        Assert.Multiple(() =>
        {
            Assert.That(y, Is.EqualTo(4 * original.Sum(v => v * v)));
            Assert.That(dx, Is.EqualTo(original.Select(v => 8 * v).ToArray()));
            Assert.That(x, Is.EqualTo(original.Select(v => 2 * v).ToArray()));
        });
    }

    [Test]
    public void InPlaceDoublingForwardAgreesWithReverse()
    {
        var x = new[] { 1.0, -2.0, 0.5 };
        var u = new[] { 0.3, 0.7, -1.1 };
        var dx = new double[3];
        woven.Invoke("Arrays", "GradientOfDoubleThenSumSquares", (double[])x.Clone(), dx, 1.0);
        var du = (double[])u.Clone();
        var tangent = (ITuple)woven.Invoke("Arrays", "TangentOfDoubleThenSumSquares", x, du)!;
        Assert.Multiple(() =>
        {
            Assert.That((double)tangent[1]!, Is.EqualTo(Dot(dx, u)).Within(1e-12));
            // x was updated in place, so its tangent is updated too: d(2x) = 2dx.
            Assert.That(du, Is.EqualTo(u.Select(v => 2 * v).ToArray()));
        });
    }

    [Test]
    public void OutputArraySeedIsConsumedAndZeroed()
    {
        // y = sin(x)·x elementwise; dx += (cos(x)·x + sin(x))·dy, then dy reads 0.
        var x = new[] { 0.3, -1.2, 2.0 };
        var y = new double[3];
        var dx = new[] { 1.0, 0.0, 0.0 };
        var dy = new[] { 1.0, 2.0, -0.5 };
        var seed = (double[])dy.Clone();
        woven.Invoke("Arrays", "GradientOfSineTimes", x, dx, y, dy);
        Assert.Multiple(() =>
        {
            Assert.That(y, Is.EqualTo(x.Select(v => Math.Sin(v) * v).ToArray()));
            FiniteDifferences.AssertClose(dx, x.Select((v, i) => (i == 0 ? 1 : 0) + (Math.Cos(v) * v + Math.Sin(v)) * seed[i]).ToArray(), 1e-12);
            Assert.That(dy, Is.EqualTo(new double[3]));
        });
    }

    [Test]
    public void OutputArrayTangentIsOverwrittenAndMatchesFiniteDifferences()
    {
        var x = new[] { 0.3, -1.2, 2.0 };
        var dx = new[] { 1.0, 0.5, -2.0 };
        var y = new double[3];
        var dy = new[] { 99.0, 99.0, 99.0 };
        woven.Invoke("Arrays", "TangentOfSineTimes", x, dx, y, dy);
        var expected = FiniteDifferences.Directional(v =>
        {
            var output = new double[3];
            woven.Invoke("Arrays", "SineTimes", v, output);
            return output;
        }, x, dx);
        FiniteDifferences.AssertClose(dy, expected);
    }

    [Test]
    public void SquareInPlaceReadsTheOriginalValuesInReverse()
    {
        // x ← x² elementwise; with dx as the seed on the output, the gradient is 2·x_original·dx.
        var x = new[] { 1.5, -2.0, 3.0 };
        var original = (double[])x.Clone();
        var dx = new[] { 1.0, 1.0, 0.5 };
        woven.Invoke("Arrays", "GradientOfSquareInPlace", x, dx);
        Assert.Multiple(() =>
        {
            Assert.That(x, Is.EqualTo(original.Select(v => v * v).ToArray()));
            Assert.That(dx, Is.EqualTo(new[] { 3.0, -4.0, 3.0 }));
        });
    }

    [Test]
    public void SquareInPlaceForwardAgreesWithReverse()
    {
        // vᵀ(J·u) = (vᵀJ)·u with J = diag(2x).
        var x = new[] { 1.5, -2.0, 3.0 };
        var v = new[] { 1.0, -0.5, 0.25 };
        var u = new[] { 0.3, 0.7, -1.1 };
        var gradient = (double[])v.Clone();
        woven.Invoke("Arrays", "GradientOfSquareInPlace", (double[])x.Clone(), gradient);
        var tangent = (double[])u.Clone();
        woven.Invoke("Arrays", "TangentOfSquareInPlace", x, tangent);
        Assert.That(Dot(v, tangent), Is.EqualTo(Dot(gradient, u)).Within(1e-12));
    }

    [Test]
    public void StoringAConstantClearsTheShadow()
    {
        // f = x0·x1 + 1·x1 after x0 = 1: ∇f = (x1, x0 + 1); the old x0 no longer counts after the store.
        var dx = new double[2];
        var y = woven.Invoke("Arrays", "GradientOfOverwrite", new[] { 2.0, 3.0 }, dx, 1.0);
        Assert.Multiple(() =>
        {
            Assert.That(y, Is.EqualTo(9.0));
            Assert.That(dx, Is.EqualTo(new[] { 3.0, 3.0 }));
            FiniteDifferences.AssertClose(dx, FiniteDifferences.Gradient(v => Primal("Overwrite", v), new[] { 2.0, 3.0 }));
        });
    }

    [Test]
    public void StoringAConstantZeroesTheForwardTangent()
    {
        var dx = new[] { 1.0, 1.0 };
        var result = (ITuple)woven.Invoke("Arrays", "TangentOfOverwrite", new[] { 2.0, 3.0 }, dx)!;
        Assert.Multiple(() =>
        {
            Assert.That(result[1], Is.EqualTo(6.0));
            Assert.That(dx, Is.EqualTo(new[] { 0.0, 1.0 }));
        });
    }

    [Test]
    public void FloatArraysWithAConstScale()
    {
        var x = new[] { 1f, -2f, 0.5f };
        var dx = new float[3];
        var y = woven.Invoke("Arrays", "GradientOfScaledSum", x, dx, 3f, 1f);
        var tangent = (ITuple)woven.Invoke("Arrays", "TangentOfScaledSum", x, new[] { 1f, 0f, 2f }, 3f)!;
        Assert.Multiple(() =>
        {
            Assert.That(y, Is.EqualTo(3f * 5.25f));
            Assert.That(dx, Is.EqualTo(new[] { 6f, -12f, 3f }));
            Assert.That(tangent[1], Is.EqualTo(6f + 2 * 3f));
        });
    }

    [Test]
    public void StaticFieldsReadAreConstant()
    {
        var dx = new double[2];
        woven.Invoke("Arrays", "GradientOfAmplified", new[] { 2.0, 5.0 }, dx, 1.0);
        Assert.That(dx, Is.EqualTo(new[] { 15.0, 6.0 }));
    }

    [Test]
    public void TemporaryArrayReverse()
    {
        // ∂f/∂xᵢ = 2(xᵢ − xᵢ₋₁) − 2(xᵢ₊₁ − xᵢ), with the missing neighbours' terms left out.
        var x = new[] { 1.0, 3.0, 2.0, -1.0 };
        var dx = new double[4];
        var y = woven.Invoke("Arrays", "GradientOfSquaredDifferences", x, dx, 1.0);
        Assert.Multiple(() =>
        {
            Assert.That(y, Is.EqualTo(4.0 + 1 + 9));
            Assert.That(dx, Is.EqualTo(new[] { -4.0, 4 + 2, -2 + 6, -6.0 }));
            FiniteDifferences.AssertClose(dx, FiniteDifferences.Gradient(v => Primal("SquaredDifferences", v), x));
        });
    }

    [Test]
    public void TemporaryArrayForwardAgreesWithReverse()
    {
        var x = new[] { 1.0, 3.0, 2.0, -1.0 };
        var u = new[] { 0.5, -1.0, 2.0, 0.25 };
        var dx = new double[4];
        woven.Invoke("Arrays", "GradientOfSquaredDifferences", x, dx, 1.0);
        var tangent = (ITuple)woven.Invoke("Arrays", "TangentOfSquaredDifferences", x, u)!;
        Assert.That((double)tangent[1]!, Is.EqualTo(Dot(dx, u)).Within(1e-12));
    }

    [Test]
    public void ArraysAllocatedInALoopForward()
    {
        // f = Σ xᵢ²·xᵢ₊₁.
        var x = new[] { 1.0, -2.0, 0.5 };
        var u = new[] { 0.3, 0.7, -1.1 };
        var tangent = (ITuple)woven.Invoke("Arrays", "TangentOfPairProducts", x, u)!;
        var expected = FiniteDifferences.Directional(v => new[] { Primal("PairProducts", v) }, x, u)[0];
        Assert.That((double)tangent[1]!, Is.EqualTo(expected).Within(1e-6));
    }

    [Test]
    public void DerivativesDecompile() =>
        Assert.That(woven.DecompiledCSharp, Does.Contain("GradientOfSeed(double[] x, double[] dx, double seed)"));

    private static double Primal(string name, double[] x) => (double)woven.Invoke("Arrays", name, x)!;

    private static double Dot(double[] a, double[] b) => a.Zip(b, (p, q) => p * q).Sum();
}
