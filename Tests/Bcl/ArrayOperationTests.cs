using System;
using System.Linq;
using System.Runtime.CompilerServices;
using Autodiff.Tests.EndToEnd;
using Autodiff.Tests.Memory;
using NUnit.Framework;

namespace Autodiff.Tests.Bcl;

/// <summary>
/// Array.Copy, Array.Fill, Array.Clear, Array.Resize and Clone, differentiated as the element loops they are:
/// forward mode copies tangents, reverse mode moves adjoints back to the source and clears overwritten ones.
/// Each derivative is checked against its closed form, central differences and the other mode.
/// </summary>
public sealed class ArrayOperationTests
{
    private static WovenAssembly woven = null!;

    [OneTimeSetUp]
    public void Weave() => woven = WovenAssembly.Compile(ArrayOperationSource.Text);

    [OneTimeTearDown]
    public void Unload() => woven.Dispose();

    [Test]
    public void WeavesDecompilesAndJitCompiles()
    {
        Assert.That(woven.Result.Succeeded, Is.True, woven.ErrorText);
        Assert.That(woven.DecompiledCSharp, Does.Contain("RResized(double[] x, double[] dx, double seed)"));
    }

    [Test]
    public void CopyIntoANewArray()
    {
        // Σ (i+1)·xᵢ² → ∂/∂xᵢ = 2(i+1)·xᵢ.
        var x = new[] { 0.5, -1.25, 2.0, 0.75 };
        var gradient = x.Select((v, i) => 2 * (i + 1) * v).ToArray();
        AssertBothModes("Copied", x, gradient);
    }

    [Test]
    public void CopyWithOffsetsOverwritesTheDestinationAndItsShadow()
    {
        // y[2..4] ← x[1..3]; Σ sin yᵢ → ∂/∂xⱼ = cos xⱼ for j = 1..3, ∂/∂yᵢ = cos yᵢ outside 2..4 and 0 inside.
        var x = new[] { 0.1, 0.4, -0.9, 1.3, 2.2 };
        var y = new[] { 0.3, -0.2, 5.0, 6.0, 7.0, 0.8 };
        var after = y.ToArray();
        Array.Copy(x, 1, after, 2, 3);

        var dx = new double[x.Length];
        var dy = new double[y.Length];
        var value = (double)woven.Invoke("ArrayOperations", "ROverwritten", x.ToArray(), dx, y.ToArray(), dy, 1.0)!;
        Assert.Multiple(() =>
        {
            Assert.That(value, Is.EqualTo(after.Sum(Math.Sin)).Within(1e-14));
            Assert.That(dx, Is.EqualTo(x.Select((v, j) => j is >= 1 and <= 3 ? Math.Cos(v) : 0.0).ToArray()).Within(1e-14));
            Assert.That(dy, Is.EqualTo(y.Select((v, i) => i is >= 2 and <= 4 ? 0.0 : Math.Cos(v)).ToArray()).Within(1e-14));
        });

        // Forward: the tangent of y is overwritten where y was, with x's tangent; the result's tangent matches reverse and differences.
        var u = new[] { 1.0, -0.5, 0.25, 2.0, 0.3 };
        var w = new[] { 0.7, 0.1, -1.0, 4.0, 0.2, -0.6 };
        var forwardDy = w.ToArray();
        var forward = (ITuple)woven.Invoke("ArrayOperations", "FOverwritten", x.ToArray(), u.ToArray(), y.ToArray(), forwardDy)!;
        var expectedDy = w.ToArray();
        Array.Copy(u, 1, expectedDy, 2, 3);
        var joined = x.Concat(y).ToArray();
        var central = FiniteDifferences.Directional(
            v => new[] { (double)woven.Invoke("ArrayOperations", "Overwritten", v.Take(5).ToArray(), v.Skip(5).ToArray())! }, joined, u.Concat(w).ToArray())[0];
        Assert.Multiple(() =>
        {
            Assert.That(forward[0], Is.EqualTo(value));
            Assert.That(forwardDy, Is.EqualTo(expectedDy));
            Assert.That((double)forward[1]!, Is.EqualTo(dx.Zip(u, (a, b) => a * b).Sum() + dy.Zip(w, (a, b) => a * b).Sum()).Within(1e-12));
            Assert.That((double)forward[1]!, Is.EqualTo(central).Within(1e-6));
        });
    }

    [Test]
    public void FillWithAnActiveValue()
    {
        // x[1], x[2] ← v; Σ xᵢ² → ∂/∂v = 4v, ∂/∂xᵢ = 2xᵢ except the filled ones (0).
        var x = new[] { 1.5, -2.0, 3.0, 0.5 };
        const double v = 0.7;
        var dx = new double[x.Length];
        var reverse = (ITuple)woven.Invoke("ArrayOperations", "RFilled", x.ToArray(), dx, v, 1.0)!;
        var expectedDx = x.Select((e, i) => i is 1 or 2 ? 0.0 : 2 * e).ToArray();
        var u = new[] { 0.2, 1.0, -1.0, 0.4 };
        const double dv = -0.3;
        var forward = (ITuple)woven.Invoke("ArrayOperations", "FFilled", x.ToArray(), u.ToArray(), v, dv)!;
        var central = FiniteDifferences.Directional(
            p => new[] { (double)woven.Invoke("ArrayOperations", "Filled", p.Take(4).ToArray(), p[4])! }, x.Append(v).ToArray(), u.Append(dv).ToArray())[0];
        Assert.Multiple(() =>
        {
            Assert.That(reverse[0], Is.EqualTo(x[0] * x[0] + 2 * v * v + x[3] * x[3]).Within(1e-14));
            Assert.That((double)reverse[1]!, Is.EqualTo(4 * v).Within(1e-14));
            Assert.That(dx, Is.EqualTo(expectedDx).Within(1e-14));
            Assert.That((double)forward[1]!, Is.EqualTo(expectedDx.Zip(u, (a, b) => a * b).Sum() + 4 * v * dv).Within(1e-12));
            Assert.That((double)forward[1]!, Is.EqualTo(central).Within(1e-6));
        });
    }

    [Test]
    public void CloneAndResize()
    {
        // a = [x…, 0, x₀x₁]; Σ aᵢ² = Σ xᵢ² + x₀²x₁².
        var x = new[] { 1.2, -0.8, 0.4 };
        var gradient = x.Select((v, i) => 2 * v + i switch { 0 => 2 * v * x[1] * x[1], 1 => 2 * x[0] * x[0] * v, _ => 0.0 }).ToArray();
        AssertBothModes("Resized", x, gradient);
    }

    [Test]
    public void OverlappingCopyAndClearOnFloats()
    {
        // a = [x₀, x₀, x₁, …, x₍ₙ₋₂₎]; s = Σ (i+1)·aᵢ·xᵢ; then a₀ = a₁ = 0; result s + a₀ + a₍ₙ₋₁₎.
        var x = new[] { 0.5f, -1.5f, 2.0f, 1.25f };
        var n = x.Length;
        var gradient = Enumerable.Range(0, n).Select(j =>
            (j == 0 ? 2.0 * x[0] : 0.0)
            + (j + 1 < n ? (j + 2) * (double)x[j + 1] : 0.0)
            + (j >= 1 ? (j + 1) * (double)x[j - 1] : 0.0)
            + (j == n - 2 ? 1.0 : 0.0)).ToArray();
        var dx = new float[n];
        var value = (double)woven.Invoke("ArrayOperations", "RShifted", x.ToArray(), dx, 1.0)!;
        var u = new[] { 0.3f, -1.0f, 0.5f, 2.0f };
        var forward = (ITuple)woven.Invoke("ArrayOperations", "FShifted", x.ToArray(), u.ToArray())!;
        Assert.Multiple(() =>
        {
            Assert.That(value, Is.EqualTo((double)woven.Invoke("ArrayOperations", "Shifted", x.ToArray())!));
            Assert.That(dx.Select(d => (double)d).ToArray(), Is.EqualTo(gradient).Within(1e-5));
            Assert.That((double)forward[1]!, Is.EqualTo(gradient.Zip(u, (a, b) => a * b).Sum()).Within(1e-4));
        });
    }

    /// <summary>Reverse gradient and forward directional derivative of <c>name(double[])</c> against the closed form and central differences.</summary>
    private static void AssertBothModes(string name, double[] x, double[] gradient)
    {
        var dx = new double[x.Length];
        var value = (double)woven.Invoke("ArrayOperations", "R" + name, x.ToArray(), dx, 1.0)!;
        var u = x.Select((_, i) => 0.5 - 0.3 * i).ToArray();
        var forward = (ITuple)woven.Invoke("ArrayOperations", "F" + name, x.ToArray(), u.ToArray())!;
        Assert.Multiple(() =>
        {
            Assert.That(value, Is.EqualTo((double)woven.Invoke("ArrayOperations", name, x.ToArray())!));
            Assert.That(forward[0], Is.EqualTo(value));
            Assert.That(dx, Is.EqualTo(gradient).Within(1e-12));
            FiniteDifferences.AssertClose(dx, FiniteDifferences.Gradient(v => (double)woven.Invoke("ArrayOperations", name, v)!, x));
            Assert.That((double)forward[1]!, Is.EqualTo(gradient.Zip(u, (a, b) => a * b).Sum()).Within(1e-12));
        });
    }
}
