using System;
using System.Linq;
using System.Runtime.CompilerServices;
using Autodiff.Tests.EndToEnd;
using Autodiff.Tests.Memory;
using NUnit.Framework;

namespace Autodiff.Tests.Calls;

/// <summary>
/// Structs passed by value (or by <c>in</c>, or as the receiver of an instance method that only reads it) to helpers
/// that are not inlined — recursive, mutually recursive, generic, <c>[Checkpoint]</c>, nested structs, float and double — through the helpers' scalarized clones, in both modes (forward also at width 2),
/// woven end to end, against closed forms, central differences of the primal and each other.
/// </summary>
public sealed class StructCalleeCloneTests
{
    private static WovenAssembly woven = null!;

    [OneTimeSetUp]
    public void Weave() => woven = WovenAssembly.Compile(StructCalleeCloneSource.Text);

    [OneTimeTearDown]
    public void Unload() => woven.Dispose();

    [Test]
    public void WeavesWithoutErrors() => Assert.That(woven.Result.Succeeded, Is.True, woven.ErrorText);

    [Test]
    public void HelpersBecomeClonesTakingLeaves() =>
        Assert.That(woven.DecompiledCSharp, Does.Contain("<Fold>__leaves").And.Contain("<Spread>__leaves").And.Contain("<Even>__leaves"));

    [TestCase(0.7, -1.2)]
    [TestCase(1.3, 0.4)]
    public void RecursiveHelperTakingAStruct(double x, double y)
    {
        // f = y²·x⁴: ∂x = 4x³y², ∂y = 2y·x⁴.
        var expected = new[] { 4 * x * x * x * y * y, 2 * y * Math.Pow(x, 4) };
        AssertDerivatives("Folded", expected, y * y * Math.Pow(x, 4), x, y);
        // Width 2: both axes in one forward call; seeds 1 and −3 in one reverse call (gradients ordered ∂x₀, ∂x₁, ∂y₀, ∂y₁).
        var both = (ITuple)Invoke("TangentsOfFolded", x, 1.0, 0.0, y, 0.0, 1.0);
        FiniteDifferences.AssertClose(new[] { (double)both[1]!, (double)both[2]! }, expected, 1e-12);
        var lanes = (ITuple)Invoke("GradientsOfFolded", x, y, 1.0, -3.0);
        FiniteDifferences.AssertClose(Enumerable.Range(1, 4).Select(i => (double)lanes[i]!).ToArray(), new[] { expected[0], -3 * expected[0], expected[1], -3 * expected[1] }, 1e-12);
    }

    [TestCase(0.3, 1.5, -0.8)]
    [TestCase(-1.1, 0.6, 2.0)]
    public void NestedStructThroughARecursiveHelper(double ax, double bx, double by)
    {
        // f = Σₖ (bx/2ᵏ − ax)² + (by/2ᵏ)², k = 0..2.
        var scales = new[] { 1.0, 0.5, 0.25 };
        var value = scales.Sum(s => (bx * s - ax) * (bx * s - ax) + by * s * by * s);
        var expected = new[]
        {
            scales.Sum(s => -2 * (bx * s - ax)), scales.Sum(s => 2 * (bx * s - ax) * s), scales.Sum(s => 2 * by * s * s),
        };
        AssertDerivatives("SpreadOf", expected, value, ax, bx, by);
    }

    [TestCase(0.9, -0.4)]
    [TestCase(-1.5, 1.1)]
    public void GenericRecursiveHelperTakingAStruct(double x, double y)
    {
        // f = 2y + 3xy²: ∂x = 3y², ∂y = 2 + 6xy.
        AssertDerivatives("WeightedOf", new[] { 3 * y * y, 2 + 6 * x * y }, 2 * y + 3 * x * y * y, x, y);
    }

    [TestCase(0.6, 1.7)]
    [TestCase(-2.0, 0.5)]
    public void CheckpointedHelperTakingAStruct(double x, double y)
    {
        // f = ‖(x, y)‖·‖(y, 2x)‖.
        var (l1, l2) = (Math.Sqrt(x * x + y * y), Math.Sqrt(y * y + 4 * x * x));
        var expected = new[] { x / l1 * l2 + l1 * 4 * x / l2, y / l1 * l2 + l1 * y / l2 };
        AssertDerivatives("Lengths", expected, l1 * l2, x, y);
    }

    [TestCase(0.4, -0.9)]
    [TestCase(-1.2, 0.7)]
    public void RecursiveInstanceMethodOfAStruct(double x, double y) =>
        AssertDerivatives("Evaluated", new[] { 1 + 2 * y + 4 * y * y, 2 * x + 8 * x * y }, x + 2 * x * y + 4 * x * y * y, x, y);

    [TestCase(0.4, -0.9)]
    [TestCase(-1.2, 0.7)]
    public void RecursiveHelperTakingAStructByIn(double x, double y) =>
        AssertDerivatives("Deep", new[] { 3 * x * x - 2 * x * y, -x * x }, x * x * (x - y), x, y);

    [TestCase(0.5f, 1.25f)]
    [TestCase(-0.75f, 0.5f)]
    public void MutuallyRecursiveHelpersTakingAFloatStruct(float u, float v)
    {
        // f = u·v³·(u + 1)²: ∂u = v³(u + 1)(3u + 1), ∂v = 3u·v²(u + 1)².
        var (du, dv) = ((double)v * v * v * (u + 1) * (3 * u + 1), 3.0 * u * v * v * (u + 1) * (u + 1));
        var gradient = (ITuple)Invoke("GradientOfAlternating", u, v, 1f);
        var alongU = (ITuple)Invoke("TangentOfAlternating", u, 1f, v, 0f);
        var alongV = (ITuple)Invoke("TangentOfAlternating", u, 0f, v, 1f);
        Assert.Multiple(() =>
        {
            Assert.That((float)gradient[0]!, Is.EqualTo(u * v * v * v * (u + 1) * (u + 1)).Within(1e-5));
            Assert.That((float)gradient[1]!, Is.EqualTo(du).Within(1e-4));
            Assert.That((float)gradient[2]!, Is.EqualTo(dv).Within(1e-4));
            Assert.That((float)alongU[1]!, Is.EqualTo((float)gradient[1]!).Within(1e-5));
            Assert.That((float)alongV[1]!, Is.EqualTo((float)gradient[2]!).Within(1e-5));
        });
    }

    [TestCase(0.4, -0.9, 1.3)]
    [TestCase(-1.2, 0.7, 0.6)]
    public void StructLocalPassedByRefToARecursiveHelperThatWritesIt(double x, double y, double s)
    {
        // (X, Y) after two steps: (x·s² + 2y·s, y·s²); f = x·y·s⁴ + 2y²·s³.
        var expected = new[] { y * Math.Pow(s, 4), x * Math.Pow(s, 4) + 4 * y * s * s * s, 4 * x * y * s * s * s + 6 * y * y * s * s };
        AssertDerivatives("Advanced", expected, x * y * Math.Pow(s, 4) + 2 * y * y * s * s * s, x, y, s);
        // Width 2: seeds 1 and 2 in one reverse call (gradients ordered ∂x₀, ∂x₁, ∂y₀, ∂y₁, ∂s₀, ∂s₁).
        var lanes = (ITuple)Invoke("GradientsOfAdvanced", x, y, s, 1.0, 2.0);
        FiniteDifferences.AssertClose(Enumerable.Range(1, 6).Select(i => (double)lanes[i]!).ToArray(), expected.SelectMany(e => new[] { e, 2 * e }).ToArray(), 1e-12);
    }

    [TestCase(0.5f, 1.25f)]
    [TestCase(-0.75f, 0.8f)]
    public void RecursiveInstanceMethodWritingItsFloatReceiver(float a, float b)
    {
        // A ← A·b three times, then A·b: f = a·b⁴, ∂a = b⁴, ∂b = 4a·b³.
        var (da, db) = ((double)b * b * b * b, 4.0 * a * b * b * b);
        var gradient = (ITuple)Invoke("GradientOfGrown", a, b, 1f);
        var alongA = (ITuple)Invoke("TangentOfGrown", a, 1f, b, 0f);
        var alongB = (ITuple)Invoke("TangentOfGrown", a, 0f, b, 1f);
        Assert.Multiple(() =>
        {
            Assert.That((float)gradient[0]!, Is.EqualTo(a * b * b * b * b).Within(1e-5));
            Assert.That((float)gradient[1]!, Is.EqualTo(da).Within(1e-4));
            Assert.That((float)gradient[2]!, Is.EqualTo(db).Within(1e-4));
            Assert.That((float)alongA[1]!, Is.EqualTo((float)gradient[1]!).Within(1e-5));
            Assert.That((float)alongB[1]!, Is.EqualTo((float)gradient[2]!).Within(1e-5));
        });
    }

    // Reverse gradient and value, one forward tangent per axis, and central differences of the primal, all agree.
    private static void AssertDerivatives(string primal, double[] expected, double value, params double[] point)
    {
        var gradient = (ITuple)Invoke("GradientOf" + Stem(primal), point.Cast<object>().Append(1.0).ToArray());
        Assert.That((double)gradient[0]!, Is.EqualTo(value).Within(1e-12));
        FiniteDifferences.AssertClose(Enumerable.Range(1, point.Length).Select(i => (double)gradient[i]!).ToArray(), expected, 1e-12);
        var forward = Enumerable.Range(0, point.Length).Select(axis =>
        {
            var arguments = point.SelectMany((p, i) => new object[] { p, i == axis ? 1.0 : 0.0 }).ToArray();
            return (double)((ITuple)Invoke("TangentOf" + Stem(primal), arguments))[1]!;
        }).ToArray();
        FiniteDifferences.AssertClose(forward, expected, 1e-12);
        FiniteDifferences.AssertClose(expected, FiniteDifferences.Gradient(p => (double)Invoke(primal, p.Cast<object>().ToArray()), point));
    }

    private static string Stem(string primal) => primal.EndsWith("Of", StringComparison.Ordinal) ? primal[..^2] : primal;

    private static object Invoke(string method, params object?[] arguments) => woven.Invoke("Clones", method, arguments)!;
}
