using System.Runtime.CompilerServices;
using NUnit.Framework;

namespace Autodiff.Tests.EndToEnd;

/// <summary>The seed examples of DESIGN §1, woven end to end.</summary>
public sealed class SeedExampleTests
{
    private const string Source = """
        using System.CodeDom.Compiler;
        using Autodiff;

        public static class Model
        {
            [Autodiff(nameof(GradientOfF), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
            public static double F(double x, double y) => x * x + 3 * y;

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double, double) GradientOfF(double x, double y, double seed);

            [Autodiff(nameof(GradientOfG), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
            [Autodiff(nameof(TangentOfG), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double G(double x0, double x1) => x0 * x0 + x1 * x0;

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double, double) GradientOfG(double x0, double x1, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) TangentOfG(double x0, double dx0, double x1, double dx1);
        }
        """;

    private static WovenAssembly woven = null!;

    [OneTimeSetUp]
    public void Weave() => woven = WovenAssembly.Compile(Source);

    [OneTimeTearDown]
    public void Unload() => woven.Dispose();

    [Test]
    public void WeavesWithoutErrors() => Assert.That(woven.Result.Succeeded, Is.True, woven.ErrorText);

    [Test]
    public void ReverseGradientOfXSquaredPlusThreeYAtFiveSeven()
    {
        // f(x, y) = x² + 3y: f(5, 7) = 46, ∇f = (2x, 3) = (10, 3).
        var result = (ITuple)woven.Invoke("Model", "GradientOfF", 5.0, 7.0, 1.0)!;
        Assert.That(new[] { result[0], result[1], result[2] }, Is.EqualTo(new object[] { 46.0, 10.0, 3.0 }));
    }

    [Test]
    public void ReverseGradientScalesWithTheSeed()
    {
        var result = (ITuple)woven.Invoke("Model", "GradientOfF", 5.0, 7.0, 2.0)!;
        Assert.That(new[] { result[0], result[1], result[2] }, Is.EqualTo(new object[] { 46.0, 20.0, 6.0 }));
    }

    [Test]
    public void ReverseGradientOfX0SquaredPlusX1X0AtTwoThree()
    {
        // g(x0, x1) = x0² + x1·x0: g(2, 3) = 10, ∇g = (2x0 + x1, x0) = (7, 2).
        var result = (ITuple)woven.Invoke("Model", "GradientOfG", 2.0, 3.0, 1.0)!;
        Assert.That(new[] { result[0], result[1], result[2] }, Is.EqualTo(new object[] { 10.0, 7.0, 2.0 }));
    }

    [TestCase(1.0, 0.0, 7.0)]
    [TestCase(0.0, 1.0, 2.0)]
    [TestCase(1.0, 1.0, 9.0)]
    public void ForwardTangentOfX0SquaredPlusX1X0AtTwoThree(double dx0, double dx1, double expected)
    {
        // The tangent along (dx0, dx1) is ∇g · (dx0, dx1) with ∇g(2, 3) = (7, 2).
        var result = (ITuple)woven.Invoke("Model", "TangentOfG", 2.0, dx0, 3.0, dx1)!;
        Assert.That(new[] { result[0], result[1] }, Is.EqualTo(new object[] { 10.0, expected }));
    }

    [Test]
    public void ForwardAgreesWithReverse()
    {
        // vᵀ(J·u) = (vᵀJ)·u with v = 1 and u = (0.5, -1.5).
        var gradient = (ITuple)woven.Invoke("Model", "GradientOfG", 2.0, 3.0, 1.0)!;
        var tangent = (ITuple)woven.Invoke("Model", "TangentOfG", 2.0, 0.5, 3.0, -1.5)!;
        Assert.That((double)tangent[1]!, Is.EqualTo(0.5 * (double)gradient[1]! - 1.5 * (double)gradient[2]!).Within(1e-12));
    }

    [Test]
    public void PrimalIsUnchanged() => Assert.That(woven.Invoke("Model", "F", 5.0, 7.0), Is.EqualTo(46.0));

    [Test]
    public void DerivativesDecompile() =>
        Assert.That(woven.DecompiledCSharp, Does.Contain("GradientOfF(double x, double y, double seed)").And.Contain("TangentOfG("));
}
