using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Autodiff.Tests.EndToEnd;
using Autodiff.Tests.Memory;
using Autodiff.Weaver.Diagnostics;
using NUnit.Framework;

namespace Autodiff.Tests.Bcl;

/// <summary>
/// List&lt;double&gt;/List&lt;float&gt; passed Duplicated/Dual, read and written through the indexer and Count, in both
/// modes against the closed form, central differences and each other; Add is AD3020.
/// </summary>
public sealed class ListTests
{
    private static WovenAssembly woven = null!;

    [OneTimeSetUp]
    public void Weave() => woven = WovenAssembly.Compile(ListSource.Text);

    [OneTimeTearDown]
    public void Unload() => woven.Dispose();

    [Test]
    public void WeavesDecompilesAndJitCompiles()
    {
        Assert.That(woven.Result.Succeeded, Is.True, woven.ErrorText);
        Assert.That(woven.DecompiledCSharp, Does.Contain("RScaled(List<double> xs, List<double> dxs, double v, double seed)"));
    }

    [Test]
    public void IndexerAndCountInBothModes()
    {
        // (x₁v)² + Σᵢ≥₁ xᵢ²: ∂x₀ = 0 (overwritten), ∂x₁ = 2x₁(v² + 1), ∂xᵢ = 2xᵢ, ∂v = 2x₁²v.
        var x = new[] { 0.9, -1.5, 0.4, 2.0 };
        const double v = 0.8;
        var gradient = x.Select((e, i) => i switch { 0 => 0.0, 1 => 2 * e * (v * v + 1), _ => 2 * e }).ToArray();
        var dxs = new List<double>(new double[x.Length]);
        var reverse = (ITuple)woven.Invoke("Lists", "RScaled", new List<double>(x), dxs, v, 1.0)!;

        var u = new[] { 1.0, 0.5, -2.0, 0.25 };
        const double dv = -0.6;
        var tangents = new List<double>(u);
        var primalList = new List<double>(x);
        var forward = (ITuple)woven.Invoke("Lists", "FScaled", primalList, tangents, v, dv)!;
        var central = FiniteDifferences.Directional(
            p => new[] { (double)woven.Invoke("Lists", "Scaled", new List<double>(p.Take(4)), p[4])! }, x.Append(v).ToArray(), u.Append(dv).ToArray())[0];
        Assert.Multiple(() =>
        {
            Assert.That((double)reverse[0]!, Is.EqualTo(x[1] * v * x[1] * v + x.Skip(1).Sum(e => e * e)).Within(1e-14));
            Assert.That(dxs, Is.EqualTo(gradient).Within(1e-14));
            Assert.That((double)reverse[1]!, Is.EqualTo(2 * x[1] * x[1] * v).Within(1e-14));
            Assert.That(primalList[0], Is.EqualTo(x[1] * v));
            Assert.That(tangents[0], Is.EqualTo(u[1] * v + x[1] * dv).Within(1e-14));
            Assert.That((double)forward[1]!, Is.EqualTo(gradient.Zip(u, (p, q) => p * q).Sum() + 2 * x[1] * x[1] * v * dv).Within(1e-12));
            Assert.That((double)forward[1]!, Is.EqualTo(central).Within(1e-6));
        });
    }

    [Test]
    public void FloatList()
    {
        var x = new List<float> { 0.3f, -1.2f, 2.5f };
        var dx = new List<float> { 0f, 0f, 0f };
        var value = (float)woven.Invoke("Lists", "RSines", x, dx, 1f)!;
        Assert.Multiple(() =>
        {
            Assert.That(value, Is.EqualTo(x.Sum(MathF.Sin)).Within(1e-6));
            Assert.That(dx, Is.EqualTo(x.Select(MathF.Cos).ToArray()).Within(1e-6));
        });
    }

    [Test]
    public void AddGrowsTheShadowListInStep()
    {
        // xs = [x…, v·x…]: Σ xᵢ²(1 + v²) → ∂xᵢ = 2xᵢ(1 + v²), ∂v = 2v·Σ xᵢ²; both lists end with 2n elements.
        var x = new[] { 0.5, -1.0, 1.5, 2.0, -0.25 };
        const double v = 0.7;
        var squares = x.Sum(e => e * e);
        var gradient = x.Select(e => 2 * e * (1 + v * v)).ToArray();
        var primalList = new List<double>(x);
        var shadow = new List<double>(new double[x.Length]);
        var reverse = (ITuple)woven.Invoke("Lists", "RAppended", primalList, shadow, v, 1.0)!;

        var u = new[] { 1.0, 0.0, -0.5, 0.25, 2.0 };
        const double dv = 0.3;
        var tangents = new List<double>(u);
        var forward = (ITuple)woven.Invoke("Lists", "FAppended", new List<double>(x), tangents, v, dv)!;
        var central = FiniteDifferences.Directional(
            p => new[] { (double)woven.Invoke("Lists", "Appended", new List<double>(p.Take(5)), p[5])! }, x.Append(v).ToArray(), u.Append(dv).ToArray())[0];
        Assert.Multiple(() =>
        {
            Assert.That((double)reverse[0]!, Is.EqualTo(squares * (1 + v * v)).Within(1e-13));
            Assert.That(primalList, Is.EqualTo(x.Concat(x.Select(e => v * e))).Within(1e-15));
            Assert.That(shadow, Has.Count.EqualTo(2 * x.Length));
            Assert.That(shadow.Take(x.Length), Is.EqualTo(gradient).Within(1e-13));
            Assert.That(shadow.Skip(x.Length), Is.All.EqualTo(0.0));
            Assert.That((double)reverse[1]!, Is.EqualTo(2 * v * squares).Within(1e-13));
            Assert.That(tangents, Is.EqualTo(u.Concat(x.Select((e, i) => dv * e + v * u[i]))).Within(1e-14));
            Assert.That((double)forward[1]!, Is.EqualTo(gradient.Zip(u, (p, q) => p * q).Sum() + 2 * v * squares * dv).Within(1e-12));
            Assert.That((double)forward[1]!, Is.EqualTo(central).Within(1e-6));
        });
    }

    [Test]
    public void AddWithWidthTwoGrowsEveryShadow()
    {
        // Two directions at once: forward tangents along e₀ and e₂; reverse gradients for seeds 1 and −2.
        var x = new[] { 0.5, -1.0, 1.5 };
        const double v = 0.7;
        var gradient = x.Select(e => 2 * e * (1 + v * v)).ToArray();
        var first = new List<double> { 1, 0, 0 };
        var second = new List<double> { 0, 0, 1 };
        var forward = (ITuple)woven.Invoke("Lists", "F2Appended", new List<double>(x), first, second, v)!;
        var seeded = new List<double>(new double[3]);
        var twice = new List<double>(new double[3]);
        woven.Invoke("Lists", "R2Appended", new List<double>(x), seeded, twice, v, 1.0, -2.0);
        Assert.Multiple(() =>
        {
            Assert.That((double)forward[1]!, Is.EqualTo(gradient[0]).Within(1e-13));
            Assert.That((double)forward[2]!, Is.EqualTo(gradient[2]).Within(1e-13));
            Assert.That(first, Has.Count.EqualTo(6));
            Assert.That(second[5], Is.EqualTo(v).Within(1e-15));
            Assert.That(seeded.Take(3), Is.EqualTo(gradient).Within(1e-13));
            Assert.That(twice.Take(3), Is.EqualTo(gradient.Select(g => -2 * g)).Within(1e-13));
            Assert.That(twice, Has.Count.EqualTo(6));
        });
    }

    [Test]
    public void ListsCreatedInTheMethodGetShadowLists([Values(0, 1, 6)] int n)
    {
        using var created = WovenAssembly.Compile(ListSource.Created);
        const double v = 0.8;
        var value = Enumerable.Range(1, n).Sum(k => k * Math.Pow(v, k));
        var derivative = Enumerable.Range(1, n).Sum(k => k * k * Math.Pow(v, k - 1));
        var reverse = (ITuple)created.Invoke("Lists", "RPowers", v, n, 2.0)!;
        var forward = (ITuple)created.Invoke("Lists", "FPowers", v, 0.5, n)!;
        var central = ((double)created.Invoke("Lists", "Powers", v + 1e-6, n)! - (double)created.Invoke("Lists", "Powers", v - 1e-6, n)!) / 2e-6;
        Assert.Multiple(() =>
        {
            Assert.That((double)reverse[0]!, Is.EqualTo(value).Within(1e-12));
            Assert.That((double)reverse[1]!, Is.EqualTo(2 * derivative).Within(1e-12));
            Assert.That((double)forward[1]!, Is.EqualTo(0.5 * derivative).Within(1e-12));
            Assert.That(derivative, Is.EqualTo(central).Within(1e-6));
        });
    }

    [Test]
    public void FloatListCreatedInTheMethodIsWrittenAfterGrowth()
    {
        using var created = WovenAssembly.Compile(ListSource.Created);
        const float a = 1.5f, b = -0.5f;
        // f = ab + a²b²: ∂f/∂a = b + 2ab², ∂f/∂b = a + 2a²b.
        var reverse = (ITuple)created.Invoke("Lists", "RPair", a, b, 1f)!;
        var forward = (ITuple)created.Invoke("Lists", "FPair", a, 0.25f, b, 2f)!;
        Assert.Multiple(() =>
        {
            Assert.That((float)reverse[0]!, Is.EqualTo(a * b + a * a * b * b).Within(1e-6));
            Assert.That((float)reverse[1]!, Is.EqualTo(b + 2 * a * b * b).Within(1e-6));
            Assert.That((float)reverse[2]!, Is.EqualTo(a + 2 * a * a * b).Within(1e-6));
            Assert.That((float)forward[1]!, Is.EqualTo(0.25f * (b + 2 * a * b * b) + 2f * (a + 2 * a * a * b)).Within(1e-5));
        });
    }

    [Test]
    public void ListCreatedFromACollectionIsAD3020()
    {
        using var created = WovenAssembly.Compile(ListSource.CreatedFromCollection);
        var error = created.Diagnostics.First(d => d.Severity == DiagnosticSeverity.Error);
        Assert.Multiple(() =>
        {
            Assert.That(error.Code, Is.EqualTo(DiagnosticCode.UnsupportedBclMember));
            Assert.That(error.Message, Does.Contain("List`1<System.Double>.Add"));
            Assert.That(error.Location, Is.Not.Null);
        });
    }
}
