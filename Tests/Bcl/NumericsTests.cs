using System;
using System.Linq;
using System.Numerics;
using System.Runtime.CompilerServices;
using Autodiff.Tests.EndToEnd;
using Autodiff.Tests.Memory;
using NUnit.Framework;

namespace Autodiff.Tests.Bcl;

/// <summary>
/// Vector2/3 operators and methods and Complex arithmetic, differentiated component by component in both modes,
/// against closed forms, central differences (in float with a step to match for vectors) and the other mode.
/// </summary>
public sealed class NumericsTests
{
    private static WovenAssembly woven = null!;

    [OneTimeSetUp]
    public void Weave() => woven = WovenAssembly.Compile(NumericsSource.Text);

    [OneTimeTearDown]
    public void Unload() => woven.Dispose();

    [Test]
    public void WeavesDecompilesAndJitCompiles()
    {
        Assert.That(woven.Result.Succeeded, Is.True, woven.ErrorText);
        Assert.That(woven.DecompiledCSharp, Does.Contain("RTriple(Vector3 a, Vector3 b, Vector3 c, float seed)"));
    }

    [Test]
    public void LengthGradientIsTheUnitVector()
    {
        var a = new Vector3(1f, -2f, 2f);
        var reverse = (ITuple)woven.Invoke("Vectors", "RNorm", a, 1f)!;
        var forward = (ITuple)woven.Invoke("Vectors", "FNorm", a, new Vector3(0.5f, 1f, -1f))!;
        Assert.Multiple(() =>
        {
            Assert.That(reverse[0], Is.EqualTo(3f));
            AssertClose((Vector3)reverse[1]!, a / 3f);
            Assert.That((float)forward[1]!, Is.EqualTo(Vector3.Dot(a / 3f, new Vector3(0.5f, 1f, -1f))).Within(1e-6));
        });
    }

    [Test]
    public void TripleProductGradientsAreCrossProducts()
    {
        var (a, b, c) = (new Vector3(1f, 0.5f, -2f), new Vector3(-1f, 2f, 0.25f), new Vector3(0.3f, -0.7f, 1.5f));
        var reverse = (ITuple)woven.Invoke("Vectors", "RTriple", a, b, c, 1f)!;
        var (da, db, dc) = (new Vector3(0.2f, 1f, 0f), new Vector3(0f, -1f, 0.5f), new Vector3(1f, 1f, 1f));
        var forward = (ITuple)woven.Invoke("Vectors", "FTriple", a, da, b, db, c, dc)!;
        var expected = Vector3.Dot(Vector3.Cross(b, c), da) + Vector3.Dot(Vector3.Cross(c, a), db) + Vector3.Dot(Vector3.Cross(a, b), dc);
        Assert.Multiple(() =>
        {
            Assert.That((float)reverse[0]!, Is.EqualTo(Vector3.Dot(Vector3.Cross(a, b), c)).Within(1e-6));
            AssertClose((Vector3)reverse[1]!, Vector3.Cross(b, c));
            AssertClose((Vector3)reverse[2]!, Vector3.Cross(c, a));
            AssertClose((Vector3)reverse[3]!, Vector3.Cross(a, b));
            Assert.That((float)forward[1]!, Is.EqualTo(expected).Within(1e-5));
        });
    }

    [Test]
    public void NormalizeGradientIsTheProjectionOverTheLength()
    {
        // ∂(â·u)/∂a = (u − (â·u)·â)/‖a‖.
        var (a, u) = (new Vector3(2f, -1f, 0.5f), new Vector3(0.3f, 0.9f, -0.4f));
        var unit = Vector3.Normalize(a);
        var expected = (u - Vector3.Dot(unit, u) * unit) / a.Length();
        var reverse = (ITuple)woven.Invoke("Vectors", "RAlong", a, u, 1f)!;
        var forward = (ITuple)woven.Invoke("Vectors", "FAlong", a, Vector3.UnitY, u)!;
        Assert.Multiple(() =>
        {
            AssertClose((Vector3)reverse[1]!, expected);
            Assert.That((float)forward[1]!, Is.EqualTo(expected.Y).Within(1e-6));
        });
    }

    [Test]
    public void EveryVectorMemberAgainstCentralDifferencesAndTheOtherMode()
    {
        var (a, b, k) = (new Vector3(0.8f, -0.3f, 1.1f), new Vector3(0.4f, 0.9f, -0.6f), 1.3f);
        var reverse = (ITuple)woven.Invoke("Vectors", "RMixed", a, b, k, 1f)!;
        var gradient = Flatten((Vector3)reverse[1]!).Concat(Flatten((Vector3)reverse[2]!)).Append((float)reverse[3]!).Select(v => (double)v).ToArray();
        var point = Flatten(a).Concat(Flatten(b)).Append(k).Select(v => (double)v).ToArray();
        double Primal(double[] p) => (float)woven.Invoke("Vectors", "Mixed", Vector(p, 0), Vector(p, 3), (float)p[6])!;
        var central = CentralInFloat(Primal, point);
        var direction = new[] { 0.5, -1.0, 0.25, 1.0, 0.0, -0.5, 2.0 };
        var forward = (ITuple)woven.Invoke("Vectors", "FMixed", a, Vector(direction, 0), b, Vector(direction, 3), k, (float)direction[6])!;
        Assert.Multiple(() =>
        {
            Assert.That((float)reverse[0]!, Is.EqualTo((float)Primal(point)).Within(1e-5));
            Assert.That(gradient, Is.EqualTo(central).Within(2e-2));
            Assert.That((float)forward[1]!, Is.EqualTo(gradient.Zip(direction, (g, d) => g * d).Sum()).Within(1e-4));
        });
    }

    [Test]
    public void Vector2CarriedAroundALoop()
    {
        const float x = 0.7f, y = -1.2f;
        const int n = 4;
        var reverse = (ITuple)woven.Invoke("Vectors", "RIterated", x, y, n, 1f)!;
        var alongX = (ITuple)woven.Invoke("Vectors", "FIterated", x, 1f, y, 0f, n)!;
        var alongY = (ITuple)woven.Invoke("Vectors", "FIterated", x, 0f, y, 1f, n)!;
        var central = CentralInFloat(p => (float)woven.Invoke("Vectors", "Iterated", (float)p[0], (float)p[1], n)!, new double[] { x, y });
        Assert.Multiple(() =>
        {
            Assert.That(reverse[0], Is.EqualTo(woven.Invoke("Vectors", "Iterated", x, y, n)));
            Assert.That((float)reverse[1]!, Is.EqualTo((float)alongX[1]!).Within(1e-5));
            Assert.That((float)reverse[2]!, Is.EqualTo((float)alongY[1]!).Within(1e-5));
            Assert.That(new double[] { (float)reverse[1]!, (float)reverse[2]! }, Is.EqualTo(central).Within(2e-2));
        });
    }

    [Test]
    public void VectorsInADuplicatedArray()
    {
        // After p₀ ← k·p₀: ∂p₀ = −2k(p₁ − kp₀), ∂p₁ = 2(p₁ − kp₀) − 2(p₂ − p₁), ∂p₂ = 2(p₂ − p₁), ∂k = −2p₀·(p₁ − kp₀).
        var points = new[] { new Vector3(1f, 0.5f, -1f), new Vector3(0.2f, 2f, 0f), new Vector3(-1f, 1f, 0.5f) };
        const float k = 1.25f;
        var (p0, p1, p2) = (points[0], points[1], points[2]);
        var expected = new[] { -2 * k * (p1 - k * p0), 2 * (p1 - k * p0) - 2 * (p2 - p1), 2 * (p2 - p1) };
        var expectedK = -2 * Vector3.Dot(p0, p1 - k * p0);
        var shadow = new Vector3[3];
        var reverse = (ITuple)woven.Invoke("Vectors", "RPolyline", points.ToArray(), shadow, k, 1f)!;
        var tangents = new[] { Vector3.UnitX, Vector3.Zero, Vector3.UnitZ };
        var forwardPoints = points.ToArray();
        var forward = (ITuple)woven.Invoke("Vectors", "FPolyline", forwardPoints, tangents, k, 0.5f)!;
        var directional = Vector3.Dot(expected[0], Vector3.UnitX) + Vector3.Dot(expected[2], Vector3.UnitZ) + expectedK * 0.5f;
        Assert.Multiple(() =>
        {
            Assert.That((float)reverse[0]!, Is.EqualTo(Vector3.DistanceSquared(p1, k * p0) + Vector3.DistanceSquared(p2, p1)).Within(1e-5));
            for (var i = 0; i < 3; i++)
                AssertClose(shadow[i], expected[i]);
            Assert.That((float)reverse[1]!, Is.EqualTo(expectedK).Within(1e-5));
            AssertClose(forwardPoints[0], k * p0);
            AssertClose(tangents[0], 0.5f * p0 + k * Vector3.UnitX);
            Assert.That((float)forward[1]!, Is.EqualTo(directional).Within(1e-5));
        });
    }

    [Test]
    public void Vector4ConstantsScalingAndLengthSquared()
    {
        // ∂aᵢ = 2k(k·aᵢ − 1) + [i = w], ∂k = Σ 2aᵢ(k·aᵢ − 1).
        var a = new Vector4(0.5f, -1f, 2f, 0.25f);
        const float k = 1.5f;
        var inner = a * k - Vector4.One;
        var expectedA = 2 * k * inner + Vector4.UnitW;
        var expectedK = 2 * Vector4.Dot(a, inner);
        var reverse = (ITuple)woven.Invoke("Vectors", "RSpread", a, k, 1f)!;
        var forward = (ITuple)woven.Invoke("Vectors", "FSpread", a, Vector4.UnitZ, k, 1f)!;
        var gradient = (Vector4)reverse[1]!;
        Assert.Multiple(() =>
        {
            Assert.That((float)reverse[0]!, Is.EqualTo(inner.LengthSquared() + a.W).Within(1e-5));
            Assert.That(new[] { gradient.X, gradient.Y, gradient.Z, gradient.W }, Is.EqualTo(new[] { expectedA.X, expectedA.Y, expectedA.Z, expectedA.W }).Within(1e-5));
            Assert.That((float)reverse[2]!, Is.EqualTo(expectedK).Within(1e-5));
            Assert.That((float)forward[1]!, Is.EqualTo(expectedA.Z + expectedK).Within(1e-5));
        });
    }

    [Test]
    public void ComplexClosedForms()
    {
        const double re = 0.6, im = -1.4;
        var exp = (ITuple)woven.Invoke("Complexes", "RExpMagnitude", re, im, 1.0)!;
        var expForward = (ITuple)woven.Invoke("Complexes", "FExpMagnitude", re, 1.0, im, 1.0)!;
        var r2 = re * re + im * im;
        var reciprocal = (ITuple)woven.Invoke("Complexes", "RReciprocalReal", re, im, 1.0)!;
        var reciprocalForward = (ITuple)woven.Invoke("Complexes", "FReciprocalReal", re, 0.0, im, 1.0)!;
        Assert.Multiple(() =>
        {
            Assert.That((double)exp[0]!, Is.EqualTo(Math.Exp(re)).Within(1e-14));
            Assert.That((double)exp[1]!, Is.EqualTo(Math.Exp(re)).Within(1e-14));
            Assert.That((double)exp[2]!, Is.EqualTo(0.0).Within(1e-14));
            Assert.That((double)expForward[1]!, Is.EqualTo(Math.Exp(re)).Within(1e-14));
            Assert.That((double)reciprocal[0]!, Is.EqualTo(re / r2).Within(1e-15));
            Assert.That((double)reciprocal[1]!, Is.EqualTo((im * im - re * re) / (r2 * r2)).Within(1e-14));
            Assert.That((double)reciprocal[2]!, Is.EqualTo(-2 * re * im / (r2 * r2)).Within(1e-14));
            Assert.That((double)reciprocalForward[1]!, Is.EqualTo(-2 * re * im / (r2 * r2)).Within(1e-14));
        });
    }

    [Test]
    public void EveryComplexMemberAgainstCentralDifferencesAndTheOtherMode()
    {
        var point = new[] { 0.6, -1.4, 0.8 };
        var reverse = (ITuple)woven.Invoke("Complexes", "RMixed", point[0], point[1], point[2], 1.0)!;
        var gradient = new[] { (double)reverse[1]!, (double)reverse[2]!, (double)reverse[3]! };
        double Primal(double[] p) => (double)woven.Invoke("Complexes", "Mixed", p[0], p[1], p[2])!;
        var direction = new[] { 1.0, -0.5, 2.0 };
        var forward = (ITuple)woven.Invoke("Complexes", "FMixed", point[0], direction[0], point[1], direction[1], point[2], direction[2])!;
        Assert.Multiple(() =>
        {
            Assert.That((double)reverse[0]!, Is.EqualTo(Primal(point)).Within(1e-12));
            FiniteDifferences.AssertClose(gradient, FiniteDifferences.Gradient(Primal, point));
            Assert.That((double)forward[1]!, Is.EqualTo(gradient.Zip(direction, (g, d) => g * d).Sum()).Within(1e-12));
        });
    }

    private static void AssertClose(Vector3 actual, Vector3 expected) =>
        Assert.That(Flatten(actual), Is.EqualTo(Flatten(expected)).Within(1e-5));

    private static float[] Flatten(Vector3 v) => new[] { v.X, v.Y, v.Z };

    private static Vector3 Vector(double[] p, int at) => new((float)p[at], (float)p[at + 1], (float)p[at + 2]);

    // Float primals: a step of 1e-3 balances rounding (~1e-7/h) against truncation (~h²).
    private static double[] CentralInFloat(Func<double[], double> f, double[] x) =>
        x.Select((_, i) =>
        {
            var plus = (double[])x.Clone();
            var minus = (double[])x.Clone();
            plus[i] += 1e-3;
            minus[i] -= 1e-3;
            return (f(plus) - f(minus)) / 2e-3;
        }).ToArray();
}
