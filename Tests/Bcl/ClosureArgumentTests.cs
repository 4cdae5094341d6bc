using System;
using System.Linq;
using System.Runtime.CompilerServices;
using Autodiff.Tests.EndToEnd;
using NUnit.Framework;

namespace Autodiff.Tests.Bcl;

/// <summary>
/// Lambdas capturing active values passed to helpers that invoke them (<c>Integrate(t =&gt; Math.Sin(a * t), 0, 1, n)</c>):
/// the helpers are inlined, so the invocations become direct calls; both modes, float and double, against the
/// analytic derivative of the same midpoint sum, central differences and each other. A recursive helper is AD3022
/// (ConstDelegateTests).
/// </summary>
public sealed class ClosureArgumentTests
{
    private const double Step = 1e-6;
    private static WovenAssembly woven = null!;

    [OneTimeSetUp]
    public void Weave() => woven = WovenAssembly.Compile(ClosureArgumentSource.Text);

    [OneTimeTearDown]
    public void Unload() => woven.Dispose();

    [Test]
    public void WeavesDecompilesAndJitCompilesToDirectCalls()
    {
        Assert.That(woven.Result.Succeeded, Is.True, woven.ErrorText);
        // The derivatives of the methods creating the delegates call no dispatcher: the helpers were inlined.
        foreach (var derivative in new[] { "FEnergy(double a, double da)", "REnergy(double a, double seed)", "RMixed(", "FMean(", "REnergySingle(" })
        {
            var start = woven.DecompiledCSharp!.IndexOf(derivative, StringComparison.Ordinal);
            Assert.That(start, Is.GreaterThan(0), derivative);
            var end = woven.DecompiledCSharp.IndexOf("\n\t}", start, StringComparison.Ordinal);
            Assert.That(end, Is.GreaterThan(start), derivative);
            Assert.That(woven.DecompiledCSharp[start..end], Does.Not.Contain("AutodiffDelegates"), derivative);
        }
    }

    [Test]
    public void TheHelperKeepsItsOwnDerivativeForConstDelegates()
    {
        const double lo = 0.3, hi = 1.4;
        var square = woven.Invoke("Closures", "Square");
        var (dlo, dhi) = ConstDelegateTests.MidpointPartials(t => t * t, t => 2 * t, lo, hi, 5);
        var forwardLo = (ITuple)woven.Invoke("Closures", "FIntegrate", square, lo, 1.0, hi, 0.0, 5)!;
        var forwardHi = (ITuple)woven.Invoke("Closures", "FIntegrate", square, lo, 0.0, hi, 1.0, 5)!;
        Assert.Multiple(() =>
        {
            Assert.That((double)forwardLo[1]!, Is.EqualTo(dlo).Within(1e-12));
            Assert.That((double)forwardHi[1]!, Is.EqualTo(dhi).Within(1e-12));
        });
    }

    [TestCase(0.8)]
    [TestCase(-2.5)]
    public void EnergyOfAClosureOverTheActiveParameter(double a)
    {
        // d/da of h·Σ sin(a·xᵢ) is h·Σ xᵢ·cos(a·xᵢ).
        var expected = Midpoints(0, 1, 100).Sum(p => p.Weight * p.X * Math.Cos(a * p.X));
        double Primal(double v) => (double)woven.Invoke("Closures", "Energy", v)!;
        var forward = (ITuple)woven.Invoke("Closures", "FEnergy", a, 1.0)!;
        var reverse = (ITuple)woven.Invoke("Closures", "REnergy", a, 1.0)!;
        Assert.Multiple(() =>
        {
            Assert.That(forward[0], Is.EqualTo(Primal(a)));
            Assert.That(reverse[0], Is.EqualTo(Primal(a)));
            Assert.That((double)forward[1]!, Is.EqualTo(expected).Within(1e-12));
            Assert.That((double)reverse[1]!, Is.EqualTo(expected).Within(1e-12));
            Assert.That(expected, Is.EqualTo((Primal(a + Step) - Primal(a - Step)) / (2 * Step)).Within(1e-7));
        });
    }

    [Test]
    public void ClosureCapturingTwoActiveValuesAndAnArray()
    {
        const double a = 1.3, b = -0.6;
        var c = new[] { 0.4, 2.1 };
        var points = Midpoints(0, 1, 10).ToList();
        // Integrand a·exp(b·t) + c₀·t + c₁·t²: partials in a, b, c₀, c₁.
        var expected = new[]
        {
            points.Sum(p => p.Weight * Math.Exp(b * p.X)),
            points.Sum(p => p.Weight * a * p.X * Math.Exp(b * p.X)),
            points.Sum(p => p.Weight * p.X),
            points.Sum(p => p.Weight * p.X * p.X),
        };
        double Primal(double va, double vb, double[] vc) => (double)woven.Invoke("Closures", "Mixed", va, vb, vc)!;
        var dc = new double[2];
        var reverse = (ITuple)woven.Invoke("Closures", "RMixed", a, b, c, dc, 1.0)!;
        var tangents = new[] { (1.0, 0.0, new[] { 0.0, 0.0 }), (0.0, 1.0, new[] { 0.0, 0.0 }), (0.0, 0.0, new[] { 1.0, 0.0 }), (0.0, 0.0, new[] { 0.0, 1.0 }) };
        var forward = tangents.Select(t => (double)((ITuple)woven.Invoke("Closures", "FMixed", a, t.Item1, b, t.Item2, c, t.Item3)!)[1]!).ToArray();
        var central = new[]
        {
            (Primal(a + Step, b, c) - Primal(a - Step, b, c)) / (2 * Step),
            (Primal(a, b + Step, c) - Primal(a, b - Step, c)) / (2 * Step),
            (Primal(a, b, new[] { c[0] + Step, c[1] }) - Primal(a, b, new[] { c[0] - Step, c[1] })) / (2 * Step),
            (Primal(a, b, new[] { c[0], c[1] + Step }) - Primal(a, b, new[] { c[0], c[1] - Step })) / (2 * Step),
        };
        Assert.Multiple(() =>
        {
            Assert.That(reverse[0], Is.EqualTo(Primal(a, b, c)));
            Assert.That(new[] { (double)reverse[1]!, (double)reverse[2]!, dc[0], dc[1] }, Is.EqualTo(expected).Within(1e-12));
            Assert.That(forward, Is.EqualTo(expected).Within(1e-12));
            Assert.That(expected, Is.EqualTo(central).Within(1e-6));
        });
    }

    [Test]
    public void HelperPassingTheDelegateOnToAnotherHelper()
    {
        const double a = 0.7, b = 1.9;
        var points = Midpoints(0, 2, 8).ToList();
        // (1/2)·h·Σ b·exp(a·xᵢ): partials in a and b.
        var da = points.Sum(p => p.Weight * b * p.X * Math.Exp(a * p.X)) / 2;
        var db = points.Sum(p => p.Weight * Math.Exp(a * p.X)) / 2;
        double Primal(double va, double vb) => (double)woven.Invoke("Closures", "Mean", va, vb)!;
        var forwardA = (ITuple)woven.Invoke("Closures", "FMean", a, 1.0, b, 0.0)!;
        var forwardB = (ITuple)woven.Invoke("Closures", "FMean", a, 0.0, b, 1.0)!;
        var reverse = (ITuple)woven.Invoke("Closures", "RMean", a, b, 1.0)!;
        Assert.Multiple(() =>
        {
            Assert.That(reverse[0], Is.EqualTo(Primal(a, b)));
            Assert.That((double)forwardA[1]!, Is.EqualTo(da).Within(1e-12));
            Assert.That((double)forwardB[1]!, Is.EqualTo(db).Within(1e-12));
            Assert.That((double)reverse[1]!, Is.EqualTo(da).Within(1e-12));
            Assert.That((double)reverse[2]!, Is.EqualTo(db).Within(1e-12));
            Assert.That(da, Is.EqualTo((Primal(a + Step, b) - Primal(a - Step, b)) / (2 * Step)).Within(1e-6));
            Assert.That(db, Is.EqualTo((Primal(a, b + Step) - Primal(a, b - Step)) / (2 * Step)).Within(1e-6));
        });
    }

    [Test]
    public void FloatClosure()
    {
        const float a = 1.1f, step = 1e-2f;
        var expected = Midpoints(0, 1, 50).Sum(p => p.Weight * p.X * Math.Cos(a * p.X));
        float Primal(float v) => (float)woven.Invoke("Closures", "EnergySingle", v)!;
        var forward = (ITuple)woven.Invoke("Closures", "FEnergySingle", a, 1f)!;
        var reverse = (ITuple)woven.Invoke("Closures", "REnergySingle", a, 1f)!;
        Assert.Multiple(() =>
        {
            Assert.That(reverse[0], Is.EqualTo(Primal(a)));
            Assert.That((float)forward[1]!, Is.EqualTo(expected).Within(1e-5));
            Assert.That((float)reverse[1]!, Is.EqualTo(expected).Within(1e-5));
            Assert.That(expected, Is.EqualTo((Primal(a + step) - Primal(a - step)) / (2 * step)).Within(1e-3));
        });
    }

    /// <summary>The midpoints xᵢ = lo + (i + ½)h of the rule and their weight h = (hi − lo)/n.</summary>
    private static System.Collections.Generic.IEnumerable<(double X, double Weight)> Midpoints(double lo, double hi, int n)
    {
        var h = (hi - lo) / n;
        return Enumerable.Range(0, n).Select(i => (lo + (i + 0.5) * h, h));
    }
}
