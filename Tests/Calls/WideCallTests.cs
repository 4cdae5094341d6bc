using System.Linq;
using System.Runtime.CompilerServices;
using Autodiff.Tests.EndToEnd;
using Autodiff.Tests.Memory;
using NUnit.Framework;

namespace Autodiff.Tests.Calls;

/// <summary>
/// Reverse mode through calls with more than seven active arguments — split, <c>[Checkpoint]</c> (also at width 2),
/// and <c>[Checkpoint]</c> with a Duplicated array — whose callee gradients come back in a ValueTuple nested through
/// <c>Rest</c>; woven end to end, against the closed form, central differences and forward mode.
/// </summary>
public sealed class WideCallTests
{
    // Σ k³, k = 1..9.
    private const double CubeSum = 2025;

    private static WovenAssembly woven = null!;

    [OneTimeSetUp]
    public void Weave() => woven = WovenAssembly.Compile(WideCallSource.Text);

    [OneTimeTearDown]
    public void Unload() => woven.Dispose();

    [Test]
    public void WeavesWithoutErrors() => Assert.That(woven.Result.Succeeded, Is.True, woven.ErrorText);

    [TestCase(0.6)]
    [TestCase(-1.3)]
    public void SplitCallWithNineActiveArguments(double x)
    {
        var gradient = (ITuple)Invoke("GradientOfSplit", x, 1.0);
        var tangent = (ITuple)Invoke("TangentOfSplit", x, 1.0);
        Assert.Multiple(() =>
        {
            Assert.That((double)gradient[0]!, Is.EqualTo(CubeSum * x * x).Within(1e-9));
            Assert.That((double)gradient[1]!, Is.EqualTo(2 * CubeSum * x).Within(1e-9));
            Assert.That((double)tangent[1]!, Is.EqualTo((double)gradient[1]!).Within(1e-9));
        });
        FiniteDifferences.AssertClose(new[] { (double)gradient[1]! }, FiniteDifferences.Gradient(p => (double)Invoke("Split", p[0]), new[] { x }), 1e-5);
    }

    [TestCase(0.6)]
    [TestCase(-1.3)]
    public void CheckpointedCallWithNineActiveArguments(double x)
    {
        var gradient = (ITuple)Invoke("GradientOfRecomputed", x, 1.0);
        var lanes = (ITuple)Invoke("GradientsOfRecomputed", x, 1.0, -2.0);
        Assert.Multiple(() =>
        {
            Assert.That((double)gradient[1]!, Is.EqualTo(2 * CubeSum * x).Within(1e-9));
            Assert.That((double)lanes[1]!, Is.EqualTo(2 * CubeSum * x).Within(1e-9));
            Assert.That((double)lanes[2]!, Is.EqualTo(-4 * CubeSum * x).Within(1e-9));
        });
        FiniteDifferences.AssertClose(new[] { (double)gradient[1]! }, FiniteDifferences.Gradient(p => (double)Invoke("Recomputed", p[0]), new[] { x }), 1e-5);
    }

    [Test]
    public void CheckpointedCallWithADuplicatedArrayAndEightActiveArguments()
    {
        // f = x²·Σ wₖ·k²: ∂x = 2x·Σ wₖ·k², ∂wₖ = k²·x².
        const double x = 0.7;
        var w = new[] { 0.5, -1.0, 2.0, 0.25, 1.5, -0.5, 1.0, 3.0 };
        var squares = Enumerable.Range(1, 8).Select(k => (double)k * k).ToArray();
        var dw = new double[8];
        var gradient = (ITuple)Invoke("GradientOfWeighed", w, dw, x, 1.0);
        Assert.That((double)gradient[1]!, Is.EqualTo(2 * x * w.Zip(squares, (a, b) => a * b).Sum()).Within(1e-12));
        FiniteDifferences.AssertClose(dw, squares.Select(s => s * x * x).ToArray(), 1e-12);
        FiniteDifferences.AssertClose(dw, FiniteDifferences.Gradient(p => (double)Invoke("Weighed", p, x), w));
    }

    private static object Invoke(string method, params object?[] arguments) => woven.Invoke("Wide", method, arguments)!;
}
