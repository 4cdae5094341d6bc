using System;
using System.Linq;
using System.Runtime.CompilerServices;
using Autodiff.Tests.EndToEnd;
using Autodiff.Tests.Memory;
using Autodiff.Weaver.Diagnostics;
using NUnit.Framework;

namespace Autodiff.Tests.Calls;

/// <summary>
/// Helpers that are not inlined (recursive) and return structs holding active values — double and float, nested,
/// called in a loop — through clones returning the struct's leaves through <c>out</c> parameters, in both modes
/// (width 1 and 2), woven end to end, against closed forms, central differences of the primal and each other.
/// </summary>
public sealed class StructReturnCloneTests
{
    private static WovenAssembly woven = null!;

    [OneTimeSetUp]
    public void Weave() => woven = WovenAssembly.Compile(StructReturnCloneSource.Text);

    [OneTimeTearDown]
    public void Unload() => woven.Dispose();

    [Test]
    public void WeavesWithoutErrors() => Assert.That(woven.Result.Succeeded, Is.True, woven.ErrorText);

    [Test]
    public void HelpersBecomeClonesWritingTheirResultLeaves() =>
        Assert.That(woven.DecompiledCSharp, Does.Contain("<Pow>__leaves").And.Contain("<Grow>__leaves").And.Contain("<Swap>__leaves").And.Contain("out double result_X"));

    [TestCase(0.7, -1.2)]
    [TestCase(1.3, 0.4)]
    public void RecursiveHelperReturningAStruct(double x, double y)
    {
        // (x + iy)³ = x³ − 3xy² + i(3x²y − y³); f = Re + 2·Im.
        var expected = new[] { 3 * x * x - 3 * y * y + 12 * x * y, -6 * x * y + 6 * x * x - 6 * y * y };
        var value = x * x * x - 3 * x * y * y + 2 * (3 * x * x * y - y * y * y);
        AssertDerivatives("Cubed", expected, value, x, y);
        // Width 2: both axes in one forward call; seeds 1 and −3 in one reverse call (gradients ordered ∂x₀, ∂x₁, ∂y₀, ∂y₁).
        var both = (ITuple)Invoke("TangentsOfCubed", x, 1.0, 0.0, y, 0.0, 1.0);
        FiniteDifferences.AssertClose(new[] { (double)both[1]!, (double)both[2]! }, expected, 1e-12);
        var lanes = (ITuple)Invoke("GradientsOfCubed", x, y, 1.0, -3.0);
        FiniteDifferences.AssertClose(Enumerable.Range(1, 4).Select(i => (double)lanes[i]!).ToArray(), new[] { expected[0], -3 * expected[0], expected[1], -3 * expected[1] }, 1e-12);
    }

    [TestCase(0.7)]
    [TestCase(-1.6)]
    public void TupleReturningDerivativeThatIsNotInlined(double x)
    {
        // DScaled(x, y, 1) = (2·2·x·y, 2·x²); at y = x: f = 4x² + 2x² = 6x², f' = 12x.
        var gradient = (ITuple)Invoke("GradientOfOverHidden", x, 1.0);
        var tangent = (ITuple)Invoke("TangentOfOverHidden", x, 1.0);
        Assert.Multiple(() =>
        {
            Assert.That((double)gradient[0]!, Is.EqualTo(6 * x * x).Within(1e-12));
            Assert.That((double)gradient[1]!, Is.EqualTo(12 * x).Within(1e-12));
            Assert.That((double)tangent[1]!, Is.EqualTo(12 * x).Within(1e-12));
        });
        FiniteDifferences.AssertClose(new[] { 12 * x }, FiniteDifferences.Gradient(p => (double)Invoke("OverHidden", p[0]), new[] { x }));
    }

    [TestCase(0.7, 3)]
    [TestCase(-1.2, 1)]
    public void TupleReturningTapedDerivativeThatIsNotInlined(double x, int n)
    {
        // DPowered(x, y, n, 1) = 2n·(xⁿ⁻¹yⁿ, xⁿyⁿ⁻¹); at y = x: f = 4n·x²ⁿ⁻¹, f' = 4n(2n − 1)·x²ⁿ⁻².
        var tangent = (ITuple)Invoke("TangentOfOverTaped", x, 1.0, n);
        Assert.That((double)tangent[0]!, Is.EqualTo(4 * n * Math.Pow(x, 2 * n - 1)).Within(1e-12));
        Assert.That((double)tangent[1]!, Is.EqualTo(4 * n * (2 * n - 1) * Math.Pow(x, 2 * n - 2)).Within(1e-12));
        FiniteDifferences.AssertClose(new[] { (double)tangent[1]! }, FiniteDifferences.Gradient(p => (double)Invoke("OverTaped", p[0], n), new[] { x }));
    }

    [TestCase(0.8, 0, 1.5)]
    [TestCase(0.8, 1, 1.5)]
    [TestCase(1.3, 4, -0.6)]
    public void RecursiveHelperReturningANestedStructInALoop(double s, int count, double w)
    {
        // Grow(s, i) = ((s^(i+1), 1 + i·s), s^i); f = Σᵢ w·s^(i+1) + (1 + i·s)·s^i.
        var indices = Enumerable.Range(0, count).ToArray();
        var value = indices.Sum(i => w * Math.Pow(s, i + 1) + (1 + i * s) * Math.Pow(s, i));
        var ds = indices.Sum(i => w * (i + 1) * Math.Pow(s, i) + i * Math.Pow(s, i) + (i == 0 ? 0 : (1 + i * s) * i * Math.Pow(s, i - 1)));
        var dw = indices.Sum(i => Math.Pow(s, i + 1));
        var gradient = (ITuple)Invoke("GradientOfGrown", s, count, w, 1.0);
        var alongS = (double)((ITuple)Invoke("TangentOfGrown", s, 1.0, count, w, 0.0))[1]!;
        var alongW = (double)((ITuple)Invoke("TangentOfGrown", s, 0.0, count, w, 1.0))[1]!;
        Assert.That((double)gradient[0]!, Is.EqualTo(value).Within(1e-12));
        FiniteDifferences.AssertClose(new[] { (double)gradient[1]!, (double)gradient[2]! }, new[] { ds, dw }, 1e-12);
        FiniteDifferences.AssertClose(new[] { alongS, alongW }, new[] { ds, dw }, 1e-12);
        FiniteDifferences.AssertClose(new[] { ds, dw }, FiniteDifferences.Gradient(p => (double)Invoke("Grown", p[0], count, p[1]), new[] { s, w }));
    }

    [TestCase(0.5f, 1.25f)]
    [TestCase(-0.75f, 0.5f)]
    public void RecursiveHelperReturningAFloatStruct(float a, float b)
    {
        // (a, b) → (b, a²) → (a², b²) → (b², a⁴); f = b²·a⁴: ∂a = 4a³b², ∂b = 2b·a⁴.
        var (da, db) = (4.0 * a * a * a * b * b, 2.0 * b * a * a * a * a);
        var gradient = (ITuple)Invoke("GradientOfSwapped", a, b, 1f);
        var alongA = (ITuple)Invoke("TangentOfSwapped", a, 1f, b, 0f);
        var alongB = (ITuple)Invoke("TangentOfSwapped", a, 0f, b, 1f);
        Assert.Multiple(() =>
        {
            Assert.That((float)gradient[0]!, Is.EqualTo(b * b * a * a * a * a).Within(1e-5));
            Assert.That((float)gradient[1]!, Is.EqualTo(da).Within(1e-4));
            Assert.That((float)gradient[2]!, Is.EqualTo(db).Within(1e-4));
            Assert.That((float)alongA[1]!, Is.EqualTo((float)gradient[1]!).Within(1e-5));
            Assert.That((float)alongB[1]!, Is.EqualTo((float)gradient[2]!).Within(1e-5));
        });
    }

    [Test]
    public void CheckpointedHelperReturningAStructIsReportedWithTheReason()
    {
        const string source = """
            using System;
            using System.CodeDom.Compiler;
            using Autodiff;

            public struct Duo
            {
                public double A;
                public double B;
            }

            public static class Checkpointed
            {
                [Checkpoint]
                private static Duo Rotate(Duo d, double t) => new Duo { A = d.A * Math.Cos(t) - d.B * Math.Sin(t), B = d.A * Math.Sin(t) + d.B * Math.Cos(t) };

                [Autodiff(nameof(GradientOfRun), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
                public static double Run(double x, double t) => Rotate(new Duo { A = x, B = 1 }, t).A;

                [GeneratedCode("Autodiff", "1")]
                public static extern (double, double, double) GradientOfRun(double x, double t, double seed);
            }
            """;
        using var broken = WovenAssembly.Compile(source);
        var line = source.Split('\n').ToList().FindIndex(l => l.Contains("public static double Run")) + 1;
        var error = broken.Diagnostics.Single(d => d.Severity == DiagnosticSeverity.Error);
        Assert.Multiple(() =>
        {
            Assert.That(error.Code, Is.EqualTo(DiagnosticCode.StructKeptWhole));
            Assert.That(error.Location?.Line, Is.EqualTo(line));
            Assert.That(error.Message, Does.Contain("this one is not: it is [Checkpoint], and it returns a struct, whose leaves a recomputed [Checkpoint] call cannot write"));
        });
    }

    // Reverse gradient and value, one forward tangent per axis, and central differences of the primal, all agree.
    private static void AssertDerivatives(string primal, double[] expected, double value, params double[] point)
    {
        var gradient = (ITuple)Invoke("GradientOf" + primal, point.Cast<object>().Append(1.0).ToArray());
        Assert.That((double)gradient[0]!, Is.EqualTo(value).Within(1e-12));
        FiniteDifferences.AssertClose(Enumerable.Range(1, point.Length).Select(i => (double)gradient[i]!).ToArray(), expected, 1e-12);
        var forward = Enumerable.Range(0, point.Length).Select(axis =>
        {
            var arguments = point.SelectMany((p, i) => new object[] { p, i == axis ? 1.0 : 0.0 }).ToArray();
            return (double)((ITuple)Invoke("TangentOf" + primal, arguments))[1]!;
        }).ToArray();
        FiniteDifferences.AssertClose(forward, expected, 1e-12);
        FiniteDifferences.AssertClose(expected, FiniteDifferences.Gradient(p => (double)Invoke(primal, p.Cast<object>().ToArray()), point));
    }

    private static object Invoke(string method, params object?[] arguments) => woven.Invoke("Returns", method, arguments)!;
}
