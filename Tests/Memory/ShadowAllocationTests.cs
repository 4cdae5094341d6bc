using System;
using System.Linq;
using System.Runtime.CompilerServices;
using Autodiff.Tests.EndToEnd;
using NUnit.Framework;

namespace Autodiff.Tests.Memory;

/// <summary>
/// <c>new C()</c> inside differentiated code gets a shadow object (in loops too, reverse mode included), a
/// <c>stackalloc</c>ed span a cleared shadow span, and forward mode mirrors arrays and objects stored into shadowed
/// memory into the shadow structure.
/// </summary>
public sealed class ShadowAllocationTests
{
    private const string Source = """
        using System;
        using System.CodeDom.Compiler;
        using Autodiff;

        public sealed class Accumulator
        {
            public double Total;
            public double Count;
        }

        public sealed class Cell
        {
            public float Value;
            public Cell? Next;
        }

        public static class Allocations
        {
            // f = 2(x² + y)·y.
            [Autodiff(nameof(GradientOfAccumulate), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
            [Autodiff(nameof(TangentOfAccumulate), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double Accumulate(double x, double y)
            {
                var accumulator = new Accumulator();
                accumulator.Total += x * x;
                accumulator.Total += y;
                accumulator.Count = y;
                return 2 * accumulator.Total * accumulator.Count;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double, double) GradientOfAccumulate(double x, double y, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) TangentOfAccumulate(double x, double dx, double y, double dy);

            // A new object on every iteration, float: f = Σ xᵢ³.
            [Autodiff(nameof(GradientOfCubes), Mode.Reverse, Activity.Duplicated, Activity.Active)]
            [Autodiff(nameof(TangentOfCubes), Mode.Forward, Activity.Dual, Activity.Dual)]
            public static float Cubes(float[] x)
            {
                var sum = 0f;
                for (var i = 0; i < x.Length; i++)
                {
                    var cell = new Cell();
                    cell.Value = x[i] * x[i];
                    sum += cell.Value * x[i];
                }
                return sum;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern float GradientOfCubes(float[] x, float[] dx, float seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (float, float) TangentOfCubes(float[] x, float[] dx);

            // A list built inside the derivative, then walked: f = Σᵢ (x·i)², forward.
            [Autodiff(nameof(TangentOfBuildAndSum), Mode.Forward, Activity.Dual, Activity.Const, Activity.Dual)]
            public static float BuildAndSum(float x, int n)
            {
                Cell? head = null;
                for (var i = 0; i < n; i++)
                {
                    var cell = new Cell();
                    cell.Value = x * i;
                    cell.Next = head;
                    head = cell;
                }
                var sum = 0f;
                for (var cell = head; cell != null; cell = cell.Next)
                    sum += cell.Value * cell.Value;
                return sum;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern (float, float) TangentOfBuildAndSum(float x, float dx, int n);

            // A new row stored into a Duplicated jagged array: its shadow row replaces the shadow's. The old row is read
            // before and the new one after the swap, so the reverse sweep must see each at its time.
            [Autodiff(nameof(GradientOfReplaceRow), Mode.Reverse, Activity.Duplicated, Activity.Active, Activity.Active)]
            [Autodiff(nameof(TangentOfReplaceRow), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double ReplaceRow(double[][] m, double x)
            {
                var before = m[0][1] * x;
                var row = new double[2];
                row[0] = x * x;
                row[1] = m[1][0] * x;
                m[0] = row;
                return before + m[0][1] * m[0][0];
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) GradientOfReplaceRow(double[][] m, double[][] dm, double x, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) TangentOfReplaceRow(double[][] m, double[][] dm, double x, double dx);

            // A stackalloc'd scratch span: f = Σ xᵢ²·xᵢ₊₁ (wrapping).
            [Autodiff(nameof(GradientOfScratch), Mode.Reverse, Activity.Duplicated, Activity.Active)]
            [Autodiff(nameof(TangentOfScratch), Mode.Forward, Activity.Dual, Activity.Dual)]
            public static double Scratch(double[] x)
            {
                Span<double> squares = stackalloc double[x.Length];
                for (var i = 0; i < x.Length; i++)
                    squares[i] = x[i] * x[i];
                var sum = 0.0;
                for (var i = 0; i < x.Length; i++)
                    sum += squares[i] * x[(i + 1) % x.Length];
                return sum;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern double GradientOfScratch(double[] x, double[] dx, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) TangentOfScratch(double[] x, double[] dx);

            [Autodiff(nameof(GradientOfFloatScratch), Mode.Reverse, Activity.Active, Activity.Active)]
            [Autodiff(nameof(TangentOfFloatScratch), Mode.Forward, Activity.Dual, Activity.Dual)]
            public static float FloatScratch(float x)
            {
                Span<float> powers = stackalloc float[3];
                powers[0] = x;
                for (var i = 1; i < powers.Length; i++)
                    powers[i] = powers[i - 1] * x;
                return powers[0] + powers[1] + powers[2];
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern (float, float) GradientOfFloatScratch(float x, float seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (float, float) TangentOfFloatScratch(float x, float dx);
        }
        """;

    private static WovenAssembly woven = null!;

    [OneTimeSetUp]
    public void Weave() => woven = WovenAssembly.Compile(Source);

    [OneTimeTearDown]
    public void Unload() => woven.Dispose();

    [Test]
    public void WeavesWithoutErrors() => Assert.That(woven.Result.Succeeded, Is.True, woven.ErrorText);

    [TestCase(1.5, -0.5)]
    [TestCase(-2.0, 3.0)]
    public void ObjectAllocatedOnceBothModes(double x, double y)
    {
        // f = 2(x² + y)y: ∂x = 4xy, ∂y = 2x² + 4y.
        var gradient = (ITuple)woven.Invoke("Allocations", "GradientOfAccumulate", x, y, 1.0)!;
        var tangent = (ITuple)woven.Invoke("Allocations", "TangentOfAccumulate", x, 0.5, y, -1.0)!;
        Assert.Multiple(() =>
        {
            Assert.That(gradient[0], Is.EqualTo(2 * (x * x + y) * y));
            Assert.That(gradient[1], Is.EqualTo(4 * x * y).Within(1e-12));
            Assert.That(gradient[2], Is.EqualTo(2 * x * x + 4 * y).Within(1e-12));
            Assert.That(tangent[1], Is.EqualTo(0.5 * 4 * x * y - (2 * x * x + 4 * y)).Within(1e-12));
        });
    }

    [Test]
    public void ObjectAllocatedInALoopReverseFloat()
    {
        var x = new[] { 1.5f, -2f, 0.5f };
        var dx = new float[3];
        var value = woven.Invoke("Allocations", "GradientOfCubes", x, dx, 1f);
        var forward = Enumerable.Range(0, 3).Select(i => (float)((ITuple)woven.Invoke("Allocations", "TangentOfCubes", x, Enumerable.Range(0, 3).Select(j => j == i ? 1f : 0f).ToArray())!)[1]!).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(value, Is.EqualTo(x.Sum(v => v * v * v)));
            Assert.That(dx, Is.EqualTo(x.Select(v => 3 * v * v).ToArray()).Within(1e-5f));
            Assert.That(forward, Is.EqualTo(dx).Within(1e-5f));
        });
    }

    [Test]
    public void ListBuiltInsideForward()
    {
        // f = x²·Σ i² for i < 4 = 14x²: ḟ = 28x·ẋ; against a central difference too.
        const float x = 1.5f;
        var tangent = (ITuple)woven.Invoke("Allocations", "TangentOfBuildAndSum", x, 2f, 4)!;
        // float: a central difference with a step float resolves (exact for a quadratic up to rounding).
        float F(float v) => (float)woven.Invoke("Allocations", "BuildAndSum", v, 4)!;
        const float step = 1e-2f;
        Assert.Multiple(() =>
        {
            Assert.That(tangent[0], Is.EqualTo(14 * x * x));
            Assert.That(tangent[1], Is.EqualTo(28 * x * 2f).Within(1e-4f));
            Assert.That((float)tangent[1]! / 2, Is.EqualTo((F(x + step) - F(x - step)) / (2 * step)).Within(1e-2f));
        });
    }

    [Test]
    public void StackallocScratchBothModes()
    {
        // ∂f/∂xⱼ = 2xⱼxⱼ₊₁ + xⱼ₋₁² (indices wrap).
        var x = new[] { 1.5, -2, 0.5, 3 };
        var n = x.Length;
        var expected = Enumerable.Range(0, n).Select(j => 2 * x[j] * x[(j + 1) % n] + x[(j + n - 1) % n] * x[(j + n - 1) % n]).ToArray();
        var dx = new double[n];
        var value = woven.Invoke("Allocations", "GradientOfScratch", x, dx, 1.0);
        var forward = Enumerable.Range(0, n).Select(i => (double)((ITuple)woven.Invoke("Allocations", "TangentOfScratch", x, Enumerable.Range(0, n).Select(j => j == i ? 1.0 : 0).ToArray())!)[1]!).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(value, Is.EqualTo(Enumerable.Range(0, n).Sum(i => x[i] * x[i] * x[(i + 1) % n])).Within(1e-12));
            FiniteDifferences.AssertClose(dx, expected, 1e-12);
            FiniteDifferences.AssertClose(forward, expected, 1e-12);
        });
    }

    [TestCase(1.5f)]
    [TestCase(-0.5f)]
    public void StackallocFloatBothModes(float x)
    {
        // f = x + x² + x³: f' = 1 + 2x + 3x².
        var gradient = (ITuple)woven.Invoke("Allocations", "GradientOfFloatScratch", x, 1f)!;
        var tangent = (ITuple)woven.Invoke("Allocations", "TangentOfFloatScratch", x, 2f)!;
        Assert.Multiple(() =>
        {
            Assert.That(gradient[0], Is.EqualTo(x + x * x + x * x * x).Within(1e-6f));
            Assert.That(gradient[1], Is.EqualTo(1 + 2 * x + 3 * x * x).Within(1e-5f));
            Assert.That(tangent[1], Is.EqualTo(2 * (1 + 2 * x + 3 * x * x)).Within(1e-5f));
        });
    }

    [Test]
    public void RowStoredIntoAJaggedArrayForward()
    {
        // m[0] ← (x², m₁₀·x), f = m₀₁x + m₁₀x³: the tangent row dm[0] is a new array (2xẋ, ṁ₁₀x + m₁₀ẋ); dm[1] is kept.
        var m = new[] { new[] { 9.0, 5 }, new[] { 3.0, 4 } };
        var dm = new[] { new[] { 7.0, 7 }, new[] { 0.5, 1 } };
        var oldShadowRow = dm[0];
        var arguments = new object[] { m, dm, 2.0, 0.25 };
        var tangent = (ITuple)woven.Loaded.Method("Allocations", "TangentOfReplaceRow").Invoke(null, arguments)!;
        Assert.Multiple(() =>
        {
            Assert.That(tangent[0], Is.EqualTo(5 * 2.0 + 3 * 8.0));
            // ḟ = ṁ₀₁x + m₀₁ẋ + ṁ₁₀x³ + 3m₁₀x²ẋ with the old ṁ₀₁ = 7.
            Assert.That(tangent[1], Is.EqualTo(7 * 2.0 + 5 * 0.25 + 0.5 * 8 + 3 * 3 * 4 * 0.25));
            Assert.That(m[0], Is.EqualTo(new[] { 4.0, 6 }));
            Assert.That(dm[0], Is.EqualTo(new[] { 0.25 * 4, 0.5 * 2 + 3 * 0.25 }));
            Assert.That(dm[0], Is.Not.SameAs(oldShadowRow));
            Assert.That(dm[1], Is.EqualTo(new[] { 0.5, 1 }));
        });
    }

    [Test]
    public void RowStoredIntoAJaggedArrayReverse()
    {
        // f = m₀₁x + m₁₀x³ (the old m₀₁, read before the swap): ∂m₀₁ = x into the old shadow row, ∂m₁₀ = x³, ∂x = m₀₁ + 3m₁₀x².
        var m = new[] { new[] { 9.0, 5 }, new[] { 3.0, 4 } };
        var dm = new[] { new[] { 0.0, 0 }, new[] { 0.0, 0 } };
        var oldShadowRow = dm[0];
        var gradient = (ITuple)woven.Invoke("Allocations", "GradientOfReplaceRow", m, dm, 2.0, 1.0)!;
        Assert.Multiple(() =>
        {
            Assert.That(gradient[0], Is.EqualTo(5 * 2.0 + 3 * 8.0));
            Assert.That(gradient[1], Is.EqualTo(5 + 3 * 3 * 4.0));
            Assert.That(oldShadowRow, Is.EqualTo(new[] { 0.0, 2 }));
            Assert.That(dm[1], Is.EqualTo(new[] { 8.0, 0 }));
            Assert.That(dm[0], Is.Not.SameAs(oldShadowRow));
        });
    }
}
