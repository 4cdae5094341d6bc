using System;
using System.Linq;
using System.Runtime.CompilerServices;
using Autodiff.Tests.EndToEnd;
using Autodiff.Tests.Memory;
using Autodiff.Weaver.Diagnostics;
using NUnit.Framework;

namespace Autodiff.Tests.Calls;

/// <summary>Forward mode through helpers that take Dual arrays: one call of the helper's forward derivative replaces the call.</summary>
public sealed class ArrayCallTests
{
    private static WovenAssembly woven = null!;

    [OneTimeSetUp]
    public void Weave() => woven = WovenAssembly.Compile(ArrayCallSource.Text);

    [OneTimeTearDown]
    public void Unload() => woven.Dispose();

    [Test]
    public void WeavesWithoutErrors() => Assert.That(woven.Result.Succeeded, Is.True, woven.ErrorText);

    [Test]
    public void ReadOnlyHelperAgainstClosedFormAndCentralDifferences()
    {
        // ‖x‖ → (x·u)/‖x‖.
        var x = new[] { 1.0, -2.0, 0.5 };
        var u = new[] { 0.3, 0.1, -0.7 };
        var forward = (ITuple)woven.Invoke("ArrayCalls", "FNorm", x.ToArray(), u.ToArray())!;
        var norm = Math.Sqrt(x.Sum(v => v * v));
        var expected = x.Zip(u, (a, b) => a * b).Sum() / norm;
        Assert.Multiple(() =>
        {
            Assert.That(forward[0], Is.EqualTo(norm).Within(1e-14));
            Assert.That((double)forward[1]!, Is.EqualTo(expected).Within(1e-12));
            Assert.That((double)forward[1]!, Is.EqualTo(FiniteDifferences.Directional(v => new[] { (double)woven.Invoke("ArrayCalls", "Norm", v)! }, x, u)[0]).Within(1e-6));
        });
    }

    [Test]
    public void HelperThatWritesTheArrayRunsOnceAndOverwritesItsTangent()
    {
        // Scale: xᵢ ← k·sin xᵢ; result k·Σ xᵢ. Tangents: ẋᵢ ← k̇·sin xᵢ + k·cos xᵢ·ẋᵢ; result k̇·Σ xᵢ + k·Σ ẋᵢ (new values).
        var x = new[] { 0.4, 1.1, -0.6 };
        var dx = new[] { 1.0, -0.5, 0.25 };
        const double k = 1.7, dk = 0.3;
        var xAfter = x.Select(v => k * Math.Sin(v)).ToArray();
        var dxAfter = x.Select((v, i) => dk * Math.Sin(v) + k * Math.Cos(v) * dx[i]).ToArray();
        var primalX = x.ToArray();
        var primal = (double)woven.Invoke("ArrayCalls", "Scaled", primalX, k)!;
        var forwardX = x.ToArray();
        var forwardDx = dx.ToArray();
        var forward = (ITuple)woven.Invoke("ArrayCalls", "FScaled", forwardX, forwardDx, k, dk)!;
        Assert.Multiple(() =>
        {
            Assert.That(forward[0], Is.EqualTo(primal));
            Assert.That(forwardX, Is.EqualTo(primalX));
            Assert.That(forwardX, Is.EqualTo(xAfter).Within(1e-14));
            Assert.That(forwardDx, Is.EqualTo(dxAfter).Within(1e-12));
            Assert.That((double)forward[1]!, Is.EqualTo(dk * xAfter.Sum() + k * dxAfter.Sum()).Within(1e-12));
        });
    }

    [Test]
    public void ReverseThroughReadOnlyHelpersAgainstClosedFormsAndForward()
    {
        using var reverse = WovenAssembly.Compile(ArrayCallSource.Reverse);
        Assert.That(reverse.Result.Succeeded, Is.True, reverse.ErrorText);
        var x = new[] { 1.0, -2.0, 0.5 };
        var dx = new[] { 0.5, 0.0, 0.0 };
        var norm = (double)reverse.Invoke("ArrayCalls", "RNorm", x, dx, 1.0)!;
        var expectedNorm = Math.Sqrt(x.Sum(v => v * v));

        // Mix = w²·Σ xᵢ²: ∂/∂xᵢ = 2w²xᵢ, ∂/∂w = 2w·Σ xᵢ².
        const double w = 1.5;
        var mixDx = new double[3];
        var mix = (ITuple)reverse.Invoke("ArrayCalls", "RMix", x, mixDx, w, 2.0)!;
        var u = new[] { 0.2, -0.4, 1.0 };
        var forward = (ITuple)reverse.Invoke("ArrayCalls", "FMix", x.ToArray(), u.ToArray(), w, 0.3)!;
        var squares = x.Sum(v => v * v);
        Assert.Multiple(() =>
        {
            Assert.That(norm, Is.EqualTo(expectedNorm).Within(1e-14));
            Assert.That(dx, Is.EqualTo(x.Select((v, i) => (i == 0 ? 0.5 : 0) + v / expectedNorm).ToArray()).Within(1e-12));
            Assert.That(mix[0], Is.EqualTo(w * w * squares).Within(1e-12));
            Assert.That(mixDx, Is.EqualTo(x.Select(v => 2 * 2 * w * w * v).ToArray()).Within(1e-12));
            Assert.That((double)mix[1]!, Is.EqualTo(2 * 2 * w * squares).Within(1e-12));
            // vᵀ(J·u) = (vᵀJ)·u with v = 1 (the reverse seed was 2).
            Assert.That((double)forward[1]!, Is.EqualTo((mixDx.Zip(u, (g, t) => g * t).Sum() + (double)mix[1]! * 0.3) / 2).Within(1e-12));
        });
    }

    [Test]
    public void ReverseModeThroughAHelperWritingAnArrayThePrimalAllocates()
    {
        // t = copy of x, scaled by k in the helper (through t's shadow): f = k·x₀, ∂f/∂x = (k, 0, 0), ∂f/∂k = x₀.
        using var reverse = WovenAssembly.Compile(ArrayCallSource.ReverseWriting);
        var x = new[] { 0.6, -1.3, 2.2 };
        const double k = 1.5;
        var dx = new double[3];
        var result = (ITuple)reverse.Invoke("ArrayCalls", "RScaledCopy", x, dx, k, 1.0)!;
        double F(double[] v, double kk) => (double)reverse.Invoke("ArrayCalls", "ScaledCopy", v, kk)!;
        const double h = 1e-6;
        Assert.Multiple(() =>
        {
            Assert.That((double)result[0]!, Is.EqualTo(k * x[0]).Within(1e-14));
            Assert.That(dx, Is.EqualTo(new[] { k, 0, 0 }).Within(1e-14));
            Assert.That((double)result[1]!, Is.EqualTo(x[0]).Within(1e-14));
            Assert.That((double)result[1]!, Is.EqualTo((F(x, k + h) - F(x, k - h)) / (2 * h)).Within(1e-8));
        });
    }
}
