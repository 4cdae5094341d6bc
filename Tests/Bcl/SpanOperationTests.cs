using System;
using System.Linq;
using System.Runtime.CompilerServices;
using Autodiff.Tests.EndToEnd;
using Autodiff.Tests.Memory;
using NUnit.Framework;

namespace Autodiff.Tests.Bcl;

/// <summary>
/// Spans over arrays and span parameters — AsSpan, Slice, Fill, Clear, CopyTo, ToArray, ReadOnlySpan — differentiated
/// as the element accesses and loops they denote, in both modes, against closed forms, central differences and each other.
/// </summary>
public sealed class SpanOperationTests
{
    private static WovenAssembly woven = null!;

    [OneTimeSetUp]
    public void Weave() => woven = WovenAssembly.Compile(SpanOperationSource.Text);

    [OneTimeTearDown]
    public void Unload() => woven.Dispose();

    [Test]
    public void WeavesDecompilesAndJitCompiles()
    {
        Assert.That(woven.Result.Succeeded, Is.True, woven.ErrorText);
        Assert.That(woven.DecompiledCSharp, Does.Contain("RWindows(double[] a, double[] da, double[] b, double[] db, double v, double seed)"));
    }

    [Test]
    public void FillSliceAndCopyBetweenArrayWindows()
    {
        // a₁a₃ + v²(b₀ + b₁ + b₅) + v⁴: b₂..b₄ are overwritten, a₁..a₃ too (after being read).
        var a = new[] { 0.5, 1.5, -0.7, 2.0, 0.9 };
        var b = new[] { 0.3, -1.2, 4.0, 5.0, 6.0, 0.8 };
        const double v = 0.6;
        var da = new double[a.Length];
        var db = new double[b.Length];
        var reverse = (ITuple)woven.Invoke("Spans", "RWindows", a.ToArray(), da, b.ToArray(), db, v, 1.0)!;
        var tail = b[0] + b[1] + b[5];
        var expectedDa = new[] { 0.0, a[3], 0.0, a[1], 0.0 };
        var expectedDb = new[] { v * v, v * v, 0.0, 0.0, 0.0, v * v };
        var expectedDv = 2 * v * tail + 4 * v * v * v;

        var (u, w, dv) = (new[] { 1.0, 0.5, -1.0, 0.25, 2.0 }, new[] { -0.5, 1.0, 3.0, 1.0, 1.0, 0.5 }, 0.7);
        var forwardB = b.ToArray();
        var forwardDb = w.ToArray();
        var forward = (ITuple)woven.Invoke("Spans", "FWindows", a.ToArray(), u.ToArray(), forwardB, forwardDb, v, dv)!;
        var joined = a.Concat(b).Append(v).ToArray();
        var central = FiniteDifferences.Directional(
            p => new[] { (double)woven.Invoke("Spans", "Windows", p.Take(5).ToArray(), p.Skip(5).Take(6).ToArray(), p[11])! }, joined, u.Concat(w).Append(dv).ToArray())[0];
        Assert.Multiple(() =>
        {
            Assert.That((double)reverse[0]!, Is.EqualTo(a[1] * a[3] + v * v * tail + v * v * v * v).Within(1e-14));
            Assert.That(da, Is.EqualTo(expectedDa).Within(1e-14));
            Assert.That(db, Is.EqualTo(expectedDb).Within(1e-14));
            Assert.That((double)reverse[1]!, Is.EqualTo(expectedDv).Within(1e-13));
            Assert.That(forwardB.Skip(2).Take(3), Is.EqualTo(Enumerable.Repeat(v * v, 3)));
            Assert.That(forwardDb.Skip(2).Take(3), Is.EqualTo(Enumerable.Repeat(2 * v * dv, 3)).Within(1e-14));
            Assert.That((double)forward[1]!, Is.EqualTo(expectedDa.Zip(u, (p, q) => p * q).Sum() + expectedDb.Zip(w, (p, q) => p * q).Sum() + expectedDv * dv).Within(1e-12));
            Assert.That((double)forward[1]!, Is.EqualTo(central).Within(1e-6));
        });
    }

    [Test]
    public void SlicesFillAndClearOnASpanParameter()
    {
        // x = [x₀, x₁, k, …, k, 0]: x₀x₁ + x₀² + x₁² + (n−3)k².
        var x = new[] { 0.4, -1.1, 7.0, 8.0, 9.0 };
        const double k = 1.3;
        var dx = new double[x.Length];
        var reverse = (ITuple)woven.Invoke("Spans", "CallRParameter", x.ToArray(), dx, k)!;
        var expectedDx = new[] { x[1] + 2 * x[0], x[0] + 2 * x[1], 0.0, 0.0, 0.0 };
        var expectedDk = 2 * (x.Length - 3) * k;
        var u = new[] { 1.0, 2.0, -1.0, 0.5, 0.5 };
        const double dk = -0.4;
        var forwardDx = u.ToArray();
        var forward = (ITuple)woven.Invoke("Spans", "CallFParameter", x.ToArray(), forwardDx, k, dk)!;
        var central = FiniteDifferences.Directional(
            p => new[] { (double)woven.Invoke("Spans", "CallParameter", p.Take(5).ToArray(), p[5])! }, x.Append(k).ToArray(), u.Append(dk).ToArray())[0];
        Assert.Multiple(() =>
        {
            Assert.That((double)reverse[0]!, Is.EqualTo(x[0] * x[1] + x[0] * x[0] + x[1] * x[1] + 2 * k * k).Within(1e-14));
            Assert.That(dx, Is.EqualTo(expectedDx).Within(1e-14));
            Assert.That((double)reverse[1]!, Is.EqualTo(expectedDk).Within(1e-14));
            Assert.That(forwardDx, Is.EqualTo(new[] { u[0], u[1], dk, dk, 0.0 }));
            Assert.That((double)forward[1]!, Is.EqualTo(expectedDx.Zip(u, (p, q) => p * q).Sum() + expectedDk * dk).Within(1e-12));
            Assert.That((double)forward[1]!, Is.EqualTo(central).Within(1e-6));
        });
    }

    [Test]
    public void ToArrayAndReadOnlySpan()
    {
        var a = new[] { 0.5, -2.0, 1.5, 0.25 };
        var gradient = new[] { a[1] * a[2] + 1, a[0] * a[2], a[0] * a[1], 2.0 };
        var da = new double[a.Length];
        var value = (double)woven.Invoke("Spans", "RCopies", a.ToArray(), da, 1.0)!;
        var u = new[] { 1.0, -1.0, 0.5, 2.0 };
        var forward = (ITuple)woven.Invoke("Spans", "FCopies", a.ToArray(), u.ToArray())!;
        Assert.Multiple(() =>
        {
            Assert.That(value, Is.EqualTo((double)woven.Invoke("Spans", "Copies", a.ToArray())!));
            Assert.That(da, Is.EqualTo(gradient).Within(1e-14));
            FiniteDifferences.AssertClose(da, FiniteDifferences.Gradient(p => (double)woven.Invoke("Spans", "Copies", p)!, a));
            Assert.That((double)forward[1]!, Is.EqualTo(gradient.Zip(u, (p, q) => p * q).Sum()).Within(1e-12));
        });
    }

    [Test]
    public void IndexOutsideAWindowStillThrows()
    {
        // The window a[1..3] read at 3 must throw although a[4] exists.
        using var outside = WovenAssembly.Compile(SpanOperationSource.Outside);
        Assert.That(outside.Result.Succeeded, Is.True, outside.ErrorText);
        Assert.That(() => outside.Invoke("Spans", "FOutside", new[] { 1.0, 2.0, 3.0, 4.0, 5.0 }, new double[5], 3),
            Throws.TypeOf<IndexOutOfRangeException>());
        Assert.That(outside.Invoke("Spans", "FOutside", new[] { 1.0, 2.0, 3.0, 4.0, 5.0 }, new[] { 0.0, 0.0, 0.0, 1.0, 0.0 }, 2), Is.EqualTo((4.0, 1.0)));
    }
}
