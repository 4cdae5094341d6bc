using System;
using System.Linq;
using System.Runtime.CompilerServices;
using Autodiff.Tests.EndToEnd;
using Autodiff.Tests.Memory;
using Autodiff.Weaver.Diagnostics;
using NUnit.Framework;

namespace Autodiff.Tests.Calls;

/// <summary>
/// Structs passed to and returned from helpers (inlined before struct scalarization): static helpers, nested helpers
/// returning structs, instance methods of user structs, Vector3 helpers, float and double, in both modes, woven end to
/// end, against closed forms, central differences of the primal and each other.
/// </summary>
public sealed class StructCallTests
{
    private static WovenAssembly woven = null!;

    [OneTimeSetUp]
    public void Weave() => woven = WovenAssembly.Compile(StructCallSource.Text);

    [OneTimeTearDown]
    public void Unload() => woven.Dispose();

    [Test]
    public void WeavesWithoutErrors() => Assert.That(woven.Result.Succeeded, Is.True, woven.ErrorText);

    [TestCase(1.5, -0.5, 2.0)]
    [TestCase(-0.3, 1.2, 0.7)]
    public void StaticHelperTakingAStruct(double x, double y, double z)
    {
        // f = N·x with N = ‖(x, y, z)‖: ∂x = N + x²/N, ∂y = xy/N, ∂z = xz/N.
        var n = Math.Sqrt(x * x + y * y + z * z);
        var expected = new[] { n + x * x / n, x * y / n, x * z / n };
        var gradient = (ITuple)Invoke("GradientOfNormTimesX", x, y, z, 1.0);
        Assert.That(gradient[0], Is.EqualTo(n * x).Within(1e-12));
        FiniteDifferences.AssertClose(Rest(gradient), expected, 1e-12);
        FiniteDifferences.AssertClose(expected, FiniteDifferences.Gradient(p => (double)Invoke("NormTimesX", p[0], p[1], p[2]), new[] { x, y, z }));
        AssertTangentsMatch("TangentOfNormTimesX", expected, x, y, z);
    }

    [TestCase(0.8, -1.1, 0.4)]
    [TestCase(2.0, 0.5, -1.5)]
    public void NestedHelpersReturningStructs(double x, double y, double z)
    {
        // u = x·(x, y, z) + (y, 1, z), f = ‖u‖: ∇f = (∂u)ᵀu / f.
        var u = new[] { x * x + y, x * y + 1, x * z + z };
        var f = Math.Sqrt(u.Sum(c => c * c));
        var expected = new[] { (2 * x * u[0] + y * u[1] + z * u[2]) / f, (u[0] + x * u[1]) / f, (x + 1) * u[2] / f };
        var gradient = (ITuple)Invoke("GradientOfNested", x, y, z, 1.0);
        Assert.That(gradient[0], Is.EqualTo(f).Within(1e-12));
        FiniteDifferences.AssertClose(Rest(gradient), expected, 1e-12);
        FiniteDifferences.AssertClose(expected, FiniteDifferences.Gradient(p => (double)Invoke("Nested", p[0], p[1], p[2]), new[] { x, y, z }));
        AssertTangentsMatch("TangentOfNested", expected, x, y, z);
    }

    [TestCase(0.6, -1.3, 2.2)]
    [TestCase(-2.0, 0.4, 0.9)]
    public void StructLocalPassedByRefToAHelper(double x, double y, double z)
    {
        // u = (x + y, y, zy), f = ‖u‖: ∂x = u₀/f, ∂y = (u₀ + u₁ + z·u₂)/f, ∂z = y·u₂/f.
        var u = new[] { x + y, y, z * y };
        var f = Math.Sqrt(u.Sum(c => c * c));
        var expected = new[] { u[0] / f, (u[0] + u[1] + z * u[2]) / f, y * u[2] / f };
        var gradient = (ITuple)Invoke("GradientOfShifted", x, y, z, 1.0);
        Assert.That(gradient[0], Is.EqualTo(f).Within(1e-12));
        FiniteDifferences.AssertClose(Rest(gradient), expected, 1e-12);
        FiniteDifferences.AssertClose(expected, FiniteDifferences.Gradient(p => (double)Invoke("Shifted", p[0], p[1], p[2]), new[] { x, y, z }));
        AssertTangentsMatch("TangentOfShifted", expected, x, y, z);
    }

    [Test]
    public void InstanceMethodsOfAStructParameter()
    {
        // f = ‖v‖·(v·w): ∂v = (v·w)/‖v‖·v + ‖v‖·w, ∂w = ‖v‖·v.
        double[] v = { 1.0, -2.0, 0.5 }, w = { 0.3, 0.7, -1.2 };
        var length = Math.Sqrt(v.Sum(c => c * c));
        var dot = v.Zip(w, (a, b) => a * b).Sum();
        var dv = v.Select((c, i) => dot / length * c + length * w[i]).ToArray();
        var dw = v.Select(c => length * c).ToArray();
        var gradient = (ITuple)Invoke("GradientOfMethods", Vec3(v), Vec3(w), 1.0);
        Assert.That(gradient[0], Is.EqualTo(length * dot).Within(1e-12));
        FiniteDifferences.AssertClose(Leaves(gradient[1]!), dv, 1e-12);
        FiniteDifferences.AssertClose(Leaves(gradient[2]!), dw, 1e-12);
        var all = v.Concat(w).ToArray();
        FiniteDifferences.AssertClose(dv.Concat(dw).ToArray(),
            FiniteDifferences.Gradient(p => (double)Invoke("Methods", Vec3(p[..3]), Vec3(p[3..])), all));
        // Forward: the directional derivative along (dv, dw) = (1, 0, 2 | 0.5, -1, 0).
        double[] tv = { 1, 0, 2 }, tw = { 0.5, -1, 0 };
        var tangent = (ITuple)Invoke("TangentOfMethods", Vec3(v), Vec3(tv), Vec3(w), Vec3(tw));
        Assert.That(tangent[1], Is.EqualTo(dv.Zip(tv, (a, b) => a * b).Sum() + dw.Zip(tw, (a, b) => a * b).Sum()).Within(1e-12));
    }

    [TestCase(0.5f, 0.25f, 3)]
    [TestCase(-1.0f, 0.75f, 4)]
    public void FloatInstanceMethodInALoop(float a, float b, int steps)
    {
        // Segments from (a(i−1), b(i−1)²) to (ai, bi²): ∂a Σ = Σ a/dᵢ, ∂b Σ = Σ b(i² − (i−1)²)²/dᵢ.
        var (da, db) = (0.0, 0.0);
        for (var i = 1; i <= steps; i++)
        {
            var (ex, ey) = ((double)a, (double)b * (2 * i - 1));
            var d = Math.Sqrt(ex * ex + ey * ey);
            da += ex / d;
            db += ey * (2 * i - 1) / d;
        }
        var gradient = (ITuple)Invoke("GradientOfPath", a, b, steps, 1f);
        var tangent = (ITuple)Invoke("TangentOfPath", a, 1f, b, -0.5f, steps);
        Assert.Multiple(() =>
        {
            Assert.That((float)gradient[1]!, Is.EqualTo(da).Within(1e-4));
            Assert.That((float)gradient[2]!, Is.EqualTo(db).Within(1e-4));
            Assert.That((float)tangent[1]!, Is.EqualTo((float)gradient[1]! - 0.5f * (float)gradient[2]!).Within(1e-4));
        });
    }

    [TestCase(1.5f, -0.5f)]
    [TestCase(0.25f, 2f)]
    public void Vector3HelperFloat(float x, float y)
    {
        // f = ‖(x − y, y − x, 1 − x)‖ + (xy + yx + x): with d = a − b, ∂x = (d₀ − d₁ − d₂)/‖d‖ + 2y + 1, ∂y = (d₁ − d₀)/‖d‖ + 2x.
        var d = new[] { x - y, y - x, 1 - x };
        var n = Math.Sqrt(d.Sum(c => (double)c * c));
        var expected = new[] { (d[0] - d[1] - d[2]) / n + 2 * y + 1, (d[1] - d[0]) / n + 2 * x };
        var gradient = (ITuple)Invoke("GradientOfSprings", x, y, 1f);
        var tangent = (ITuple)Invoke("TangentOfSprings", x, 1f, y, 2f);
        Assert.Multiple(() =>
        {
            Assert.That((float)gradient[0]!, Is.EqualTo(n + 2 * x * y + x).Within(1e-4));
            Assert.That((float)gradient[1]!, Is.EqualTo(expected[0]).Within(1e-4));
            Assert.That((float)gradient[2]!, Is.EqualTo(expected[1]).Within(1e-4));
            Assert.That((float)tangent[1]!, Is.EqualTo(expected[0] + 2 * expected[1]).Within(1e-4));
        });
    }

    // Forward mode along each axis gives the gradient's components.
    private static void AssertTangentsMatch(string tangentMethod, double[] expected, double x, double y, double z)
    {
        var forward = Enumerable.Range(0, 3).Select(i =>
            (double)((ITuple)Invoke(tangentMethod, x, i == 0 ? 1.0 : 0.0, y, i == 1 ? 1.0 : 0.0, z, i == 2 ? 1.0 : 0.0))[1]!).ToArray();
        FiniteDifferences.AssertClose(forward, expected, 1e-12);
    }

    private static double[] Rest(ITuple tuple) => Enumerable.Range(1, tuple.Length - 1).Select(i => (double)tuple[i]!).ToArray();

    private static object Invoke(string method, params object?[] arguments) => woven.Invoke("StructCalls", method, arguments)!;

    private static object Vec3(double[] leaves)
    {
        var type = woven.Loaded.Type("Vec3");
        var vector = Activator.CreateInstance(type)!;
        type.GetField("X")!.SetValue(vector, leaves[0]);
        type.GetField("Y")!.SetValue(vector, leaves[1]);
        type.GetField("Z")!.SetValue(vector, leaves[2]);
        return vector;
    }

    private static double[] Leaves(object vector) =>
        new[] { "X", "Y", "Z" }.Select(name => (double)vector.GetType().GetField(name)!.GetValue(vector)!).ToArray();
}
