using System;
using System.Linq;
using System.Numerics;
using System.Runtime.CompilerServices;
using Autodiff.Tests.EndToEnd;
using Autodiff.Tests.Memory;
using NUnit.Framework;

namespace Autodiff.Tests.Bcl;

/// <summary>
/// Complex (double) and Vector3 (float) values as Active/Dual parameters and return values, Complex arrays and spans
/// as Duplicated/Dual, in both modes against closed forms, central differences and the other mode. For a
/// holomorphic f the reverse gradient of a seed s is conj(f′(z))·s and the tangent f′(z)·dz.
/// </summary>
public sealed class NumericValueTests
{
    private static WovenAssembly woven = null!;

    [OneTimeSetUp]
    public void Weave() => woven = WovenAssembly.Compile(NumericValueSource.Text);

    [OneTimeTearDown]
    public void Unload() => woven.Dispose();

    [Test]
    public void WeavesDecompilesAndJitCompiles()
    {
        Assert.That(woven.Result.Succeeded, Is.True, woven.ErrorText);
        Assert.That(woven.DecompiledCSharp, Does.Contain("RMix(Complex z, double seed)"));
    }

    [Test]
    public void ComplexParameterGradientIsAComplex()
    {
        // f = x² − y² + y·r: ∂f/∂x = 2x + xy/r, ∂f/∂y = −2y + r + y²/r.
        var z = new Complex(1.5, -0.8);
        var (x, y, r) = (z.Real, z.Imaginary, z.Magnitude);
        var expected = new[] { 2 * x + x * y / r, -2 * y + r + y * y / r };
        var reverse = (ITuple)woven.Invoke("ComplexValues", "RMix", z, 2.0)!;
        var forward = (ITuple)woven.Invoke("ComplexValues", "FMix", z, new Complex(0.3, 0.7))!;
        var gradient = (Complex)reverse[1]!;
        double Primal(double[] p) => (double)woven.Invoke("ComplexValues", "Mix", new Complex(p[0], p[1]))!;
        Assert.Multiple(() =>
        {
            Assert.That((double)reverse[0]!, Is.EqualTo(x * x - y * y + y * r).Within(1e-12));
            FiniteDifferences.AssertClose(new[] { gradient.Real, gradient.Imaginary }, expected.Select(e => 2 * e).ToArray(), 1e-12);
            FiniteDifferences.AssertClose(new[] { gradient.Real / 2, gradient.Imaginary / 2 }, FiniteDifferences.Gradient(Primal, new[] { x, y }));
            Assert.That((double)forward[1]!, Is.EqualTo(0.3 * expected[0] + 0.7 * expected[1]).Within(1e-12));
        });
    }

    [Test]
    public void ComplexReturnOfAHolomorphicPolynomial()
    {
        var (z, w, seed) = (new Complex(0.4, 1.2), 0.7, new Complex(1.0, -0.5));
        var (dz, dw) = (new Complex(-0.2, 0.9), 1.3);
        var reverse = (ITuple)woven.Invoke("ComplexValues", "RPolynomial", z, w, seed)!;
        var forward = (ITuple)woven.Invoke("ComplexValues", "FPolynomial", z, dz, w, dw)!;
        var tangent = (Complex)forward[1]!;
        Assert.Multiple(() =>
        {
            AssertClose((Complex)reverse[0]!, z * z + w * z);
            AssertClose((Complex)reverse[1]!, Complex.Conjugate(2 * z + w) * seed);
            Assert.That((double)reverse[2]!, Is.EqualTo(z.Real * seed.Real + z.Imaginary * seed.Imaginary).Within(1e-12));
            AssertClose((Complex)forward[0]!, z * z + w * z);
            AssertClose(tangent, (2 * z + w) * dz + z * dw);
            // ⟨seed, tangent⟩ = ⟨gradient, direction⟩: reverse against forward.
            var gz = (Complex)reverse[1]!;
            Assert.That(seed.Real * tangent.Real + seed.Imaginary * tangent.Imaginary,
                Is.EqualTo(gz.Real * dz.Real + gz.Imaginary * dz.Imaginary + (double)reverse[2]! * dw).Within(1e-12));
        });
    }

    [Test]
    public void ComplexBuiltFromRealsIsReturned()
    {
        var (a, b, seed) = (1.5, -2.0, new Complex(0.25, 3.0));
        var reverse = (ITuple)woven.Invoke("ComplexValues", "RMake", a, b, seed)!;
        var forward = (ITuple)woven.Invoke("ComplexValues", "FMake", a, 0.5, b, -1.0)!;
        Assert.Multiple(() =>
        {
            AssertClose((Complex)reverse[0]!, new Complex(a * b, a - b));
            Assert.That((double)reverse[1]!, Is.EqualTo(b * seed.Real + seed.Imaginary).Within(1e-12));
            Assert.That((double)reverse[2]!, Is.EqualTo(a * seed.Real - seed.Imaginary).Within(1e-12));
            AssertClose((Complex)forward[1]!, new Complex(0.5 * b - a, 0.5 + 1.0));
        });
    }

    [Test]
    public void DuplicatedComplexArrayAccumulatesPerComponent()
    {
        var z = new[] { new Complex(3, -4), new Complex(0.5, 2), new Complex(-1, 0.25) };
        var dz = new[] { new Complex(1, 1), Complex.Zero, Complex.Zero };
        var result = (double)woven.Invoke("ComplexValues", "RSum", z, dz, 1.0)!;
        var expected = z.Select((c, i) => new Complex(c.Imaginary, c.Real) + (i == 0 ? c / c.Magnitude : Complex.Zero)).ToArray();
        var direction = new[] { new Complex(0.1, -0.2), new Complex(1, 0.5), new Complex(-0.3, 0.4) };
        var forward = (ITuple)woven.Invoke("ComplexValues", "FSum", z, direction.ToArray())!;
        Assert.Multiple(() =>
        {
            Assert.That(result, Is.EqualTo(5 + z.Sum(c => c.Real * c.Imaginary)).Within(1e-12));
            // The seed's 1 + 1i was accumulated into.
            for (var i = 0; i < z.Length; i++)
                AssertClose(dz[i], expected[i] + (i == 0 ? new Complex(1, 1) : Complex.Zero));
            Assert.That((double)forward[1]!, Is.EqualTo(expected.Zip(direction, (g, d) => g.Real * d.Real + g.Imaginary * d.Imaginary).Sum()).Within(1e-12));
        });
    }

    [Test]
    public void ComplexPowerThroughALoop([Values(0, 1, 4)] int n)
    {
        var (z, seed, dz) = (new Complex(0.9, 0.4), new Complex(1, 2), new Complex(0.5, -0.25));
        var derivative = n * Complex.Pow(z, n - 1);
        var reverse = (ITuple)woven.Invoke("ComplexLoops", "RPower", z, n, seed)!;
        var forward = (ITuple)woven.Invoke("ComplexLoops", "FPower", z, dz, n)!;
        Assert.Multiple(() =>
        {
            AssertClose((Complex)reverse[0]!, Complex.Pow(z, n));
            AssertClose((Complex)reverse[1]!, Complex.Conjugate(derivative) * seed);
            AssertClose((Complex)forward[1]!, derivative * dz);
        });
    }

    [Test]
    public void ComplexSpanScaledInPlace()
    {
        // e = Σ|zᵢ|² and zᵢ ← k·zᵢ: with output seeds dzᵢ, ∂/∂zᵢ = 2·zᵢ·s + k·dzᵢ, ∂/∂k = Σ⟨zᵢ, dzᵢ⟩.
        var z = new[] { new Complex(1, 2), new Complex(-0.5, 0.75) };
        var k = 1.5;
        var seeds = new[] { new Complex(0.2, -1), new Complex(1, 0.5) };
        var original = z.ToArray();
        var dz = seeds.ToArray();
        var reverse = (ITuple)woven.Invoke("ComplexLoops", "CallREnergy", z, dz, k)!;
        var expectedK = original.Zip(seeds, (c, s) => c.Real * s.Real + c.Imaginary * s.Imaginary).Sum();
        var zf = original.ToArray();
        var direction = new[] { new Complex(0.3, 0.1), new Complex(-1, 2) };
        var tangents = direction.ToArray();
        var forward = (ITuple)woven.Invoke("ComplexLoops", "CallFEnergy", zf, tangents, k, 0.5)!;
        Assert.Multiple(() =>
        {
            Assert.That((double)reverse[0]!, Is.EqualTo(original.Sum(c => c.Real * c.Real + c.Imaginary * c.Imaginary)).Within(1e-12));
            Assert.That((double)reverse[1]!, Is.EqualTo(expectedK).Within(1e-12));
            for (var i = 0; i < z.Length; i++)
            {
                AssertClose(z[i], k * original[i]);
                AssertClose(dz[i], 2 * original[i] + k * seeds[i]);
                AssertClose(zf[i], k * original[i]);
                AssertClose(tangents[i], k * direction[i] + 0.5 * original[i]);
            }
            Assert.That((double)forward[1]!, Is.EqualTo(original.Zip(direction, (c, d) => 2 * (c.Real * d.Real + c.Imaginary * d.Imaginary)).Sum()).Within(1e-12));
        });
    }

    [Test]
    public void VectorReturnedFromOperators()
    {
        // f = k·a + a × e_x = k·a + (0, a_z, −a_y).
        var (a, k, seed) = (new Vector3(1f, -2f, 0.5f), 1.5f, new Vector3(0.3f, 1f, -2f));
        var (da, dk) = (new Vector3(0.5f, 0.25f, -1f), 2f);
        var reverse = (ITuple)woven.Invoke("VectorValues", "RTurn", a, k, seed)!;
        var forward = (ITuple)woven.Invoke("VectorValues", "FTurn", a, da, k, dk)!;
        var tangent = (Vector3)forward[1]!;
        Assert.Multiple(() =>
        {
            AssertClose((Vector3)reverse[0]!, k * a + new Vector3(0f, a.Z, -a.Y));
            AssertClose((Vector3)reverse[1]!, k * seed + new Vector3(0f, -seed.Z, seed.Y));
            Assert.That((float)reverse[2]!, Is.EqualTo(Vector3.Dot(a, seed)).Within(1e-5));
            AssertClose(tangent, k * da + dk * a + new Vector3(0f, da.Z, -da.Y));
            Assert.That(Vector3.Dot(seed, tangent), Is.EqualTo(Vector3.Dot((Vector3)reverse[1]!, da) + (float)reverse[2]! * dk).Within(1e-5));
        });
    }

    private static void AssertClose(Complex actual, Complex expected) =>
        Assert.That(new[] { actual.Real, actual.Imaginary }, Is.EqualTo(new[] { expected.Real, expected.Imaginary }).Within(1e-12));

    private static void AssertClose(Vector3 actual, Vector3 expected) =>
        Assert.That(new[] { actual.X, actual.Y, actual.Z }, Is.EqualTo(new[] { expected.X, expected.Y, expected.Z }).Within(1e-5));
}
