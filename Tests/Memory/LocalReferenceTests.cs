using System;
using System.Linq;
using System.Runtime.CompilerServices;
using Autodiff.Tests.EndToEnd;
using NUnit.Framework;

namespace Autodiff.Tests.Memory;

/// <summary>
/// <c>float</c>/<c>double</c> locals whose address is taken — passed by <c>ref</c>/<c>out</c> to differentiated helpers,
/// or aliased by a <c>ref</c> local — woven end to end in both modes: each is a one-element memory cell whose shadow
/// is a local of the derivative.
/// </summary>
public sealed class LocalReferenceTests
{
    private const string Source = """
        using System;
        using System.CodeDom.Compiler;
        using System.Runtime.CompilerServices;
        using Autodiff;

        public static class LocalReferences
        {
            [MethodImpl(MethodImplOptions.NoInlining)]
            private static void Polar(double x, double y, out double r, out double t)
            {
                r = Math.Sqrt(x * x + y * y);
                t = Math.Atan2(y, x);
            }

            // f = r·t + t², r and t from out arguments.
            [Autodiff(nameof(GradientOfPolarProduct), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
            [Autodiff(nameof(TangentOfPolarProduct), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double PolarProduct(double x, double y)
            {
                Polar(x, y, out var r, out var t);
                return r * t + t * t;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double, double) GradientOfPolarProduct(double x, double y, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) TangentOfPolarProduct(double x, double dx, double y, double dy);

            private static void Accumulate(ref float sum, float x) => sum += x * x;

            // f = Σ xᵢ²·w, accumulated through a ref local in a loop, then scaled.
            [Autodiff(nameof(GradientOfWeightedSquares), Mode.Reverse, Activity.Duplicated, Activity.Active, Activity.Active)]
            [Autodiff(nameof(TangentOfWeightedSquares), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static float WeightedSquares(float[] x, float w)
            {
                var sum = 0f;
                for (var i = 0; i < x.Length; i++)
                    Accumulate(ref sum, x[i]);
                return sum * w;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern (float, float) GradientOfWeightedSquares(float[] x, float[] dx, float w, float seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (float, float) TangentOfWeightedSquares(float[] x, float[] dx, float w, float dw);

            // A recursive helper (kept as a call): acc ← acc·xⁿ.
            private static void Power(ref double acc, double x, int n)
            {
                if (n == 0)
                    return;
                acc *= x;
                Power(ref acc, x, n - 1);
            }

            // f = (c·xⁿ)·x, c = 3, through a recursive helper writing a local.
            [Autodiff(nameof(GradientOfScaledPower), Mode.Reverse, Activity.Active, Activity.Const, Activity.Active)]
            [Autodiff(nameof(TangentOfScaledPower), Mode.Forward, Activity.Dual, Activity.Const, Activity.Dual)]
            public static double ScaledPower(double x, int n)
            {
                var acc = 3.0;
                Power(ref acc, x, n);
                return acc * x;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) GradientOfScaledPower(double x, int n, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) TangentOfScaledPower(double x, double dx, int n);

            // The out arguments inside a helper the derivative calls: f = Σ rᵢ·tᵢ over (xᵢ, y).
            private static double PolarProductOf(double x, double y)
            {
                Polar(x, y, out var r, out var t);
                return r * t;
            }

            [Autodiff(nameof(GradientOfPolarSum), Mode.Reverse, Activity.Duplicated, Activity.Active, Activity.Active)]
            [Autodiff(nameof(TangentOfPolarSum), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double PolarSum(double[] x, double y)
            {
                var sum = 0.0;
                for (var i = 0; i < x.Length; i++)
                    sum += PolarProductOf(x[i], y);
                return sum;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) GradientOfPolarSum(double[] x, double[] dx, double y, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) TangentOfPolarSum(double[] x, double[] dx, double y, double dy);

            // A ref local aliasing a local: f = (x·y)·x + y.
            [Autodiff(nameof(GradientOfAliased), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
            [Autodiff(nameof(TangentOfAliased), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double Aliased(double x, double y)
            {
                var local = y;
                ref var r = ref local;
                r *= x;
                r = r * x;
                return local + y;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double, double) GradientOfAliased(double x, double y, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) TangentOfAliased(double x, double dx, double y, double dy);
        }
        """;

    private static WovenAssembly woven = null!;

    [OneTimeSetUp]
    public void Weave() => woven = WovenAssembly.Compile(Source);

    [OneTimeTearDown]
    public void Unload() => woven.Dispose();

    [Test]
    public void WeavesWithoutErrors() => Assert.That(woven.Result.Succeeded, Is.True, woven.ErrorText);

    [TestCase(1.5, 2.0)]
    [TestCase(-0.5, 0.75)]
    public void OutArgumentsBothModes(double x, double y)
    {
        // f = r·t + t², r = |(x, y)|, t = atan2(y, x): ∂r/∂x = x/r, ∂t/∂x = −y/r², ∂r/∂y = y/r, ∂t/∂y = x/r².
        var r = Math.Sqrt(x * x + y * y);
        var t = Math.Atan2(y, x);
        var fr = t;
        var ft = r + 2 * t;
        var expected = new[] { fr * x / r + ft * -y / (r * r), fr * y / r + ft * x / (r * r) };
        var gradient = (ITuple)woven.Invoke("LocalReferences", "GradientOfPolarProduct", x, y, 2.0)!;
        var tangent = (ITuple)woven.Invoke("LocalReferences", "TangentOfPolarProduct", x, 0.5, y, -1.0)!;
        var fd = FiniteDifferences.Gradient(v => r0(v[0], v[1]), new[] { x, y });
        Assert.Multiple(() =>
        {
            Assert.That((double)gradient[0]!, Is.EqualTo(r * t + t * t).Within(1e-12));
            Assert.That((double)gradient[1]!, Is.EqualTo(2 * expected[0]).Within(1e-12));
            Assert.That((double)gradient[2]!, Is.EqualTo(2 * expected[1]).Within(1e-12));
            FiniteDifferences.AssertClose(new[] { (double)gradient[1]! / 2, (double)gradient[2]! / 2 }, fd);
            Assert.That((double)tangent[0]!, Is.EqualTo(r * t + t * t).Within(1e-12));
            Assert.That((double)tangent[1]!, Is.EqualTo(0.5 * expected[0] - expected[1]).Within(1e-12));
        });

        static double r0(double a, double b) => Math.Sqrt(a * a + b * b) * Math.Atan2(b, a) + Math.Atan2(b, a) * Math.Atan2(b, a);
    }

    [TestCase(new float[0])]
    [TestCase(new[] { 1.5f })]
    [TestCase(new[] { 1f, -2f, 0.5f, 3f })]
    public void RefArgumentInALoopBothModes(float[] x)
    {
        // f = w·Σ xᵢ²: ∂f/∂xᵢ = 2w·xᵢ, ∂f/∂w = Σ xᵢ².
        const float w = 1.5f;
        var squares = x.Sum(v => v * v);
        var dx = new float[x.Length];
        var gradient = (ITuple)woven.Invoke("LocalReferences", "GradientOfWeightedSquares", x, dx, w, 1f)!;
        var dw = (float)gradient[1]!;
        var direction = x.Select((_, i) => 0.25f * (i + 1)).ToArray();
        var tangent = (ITuple)woven.Invoke("LocalReferences", "TangentOfWeightedSquares", x, direction, w, -1f)!;
        var fd = FiniteDifferences.Gradient(v => w * v.Sum(e => e * e), x.Select(v => (double)v).ToArray());
        Assert.Multiple(() =>
        {
            Assert.That((float)gradient[0]!, Is.EqualTo(w * squares).Within(1e-5));
            Assert.That(dw, Is.EqualTo(squares).Within(1e-5));
            Assert.That(dx, Is.EqualTo(x.Select(v => 2 * w * v).ToArray()).Within(1e-5));
            FiniteDifferences.AssertClose(dx.Select(v => (double)v).ToArray(), fd, 1e-3);
            Assert.That((float)tangent[0]!, Is.EqualTo(w * squares).Within(1e-5));
            // Forward vs reverse: ⟨∇f, (u, −1)⟩.
            Assert.That((float)tangent[1]!, Is.EqualTo(dx.Zip(direction, (g, u) => g * u).Sum() - dw).Within(1e-4));
        });
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(4)]
    public void RecursiveHelperWritingALocalBothModes(int n)
    {
        // f = 3xⁿ⁺¹: f′ = 3(n + 1)xⁿ.
        const double x = 1.25;
        var expected = 3 * (n + 1) * Math.Pow(x, n);
        var result = (ITuple)woven.Invoke("LocalReferences", "GradientOfScaledPower", x, n, 1.0)!;
        var gradient = (double)result[1]!;
        var tangent = (ITuple)woven.Invoke("LocalReferences", "TangentOfScaledPower", x, 2.0, n)!;
        var fd = FiniteDifferences.Gradient(v => 3 * Math.Pow(v[0], n + 1), new[] { x });
        Assert.Multiple(() =>
        {
            Assert.That((double)result[0]!, Is.EqualTo(3 * Math.Pow(x, n + 1)).Within(1e-12));
            Assert.That(gradient, Is.EqualTo(expected).Within(1e-12));
            FiniteDifferences.AssertClose(new[] { gradient }, fd);
            Assert.That((double)tangent[0]!, Is.EqualTo(3 * Math.Pow(x, n + 1)).Within(1e-12));
            Assert.That((double)tangent[1]!, Is.EqualTo(2 * expected).Within(1e-12));
        });
    }

    [Test]
    public void OutArgumentsInsideACalleeBothModes()
    {
        // f = Σ r(xᵢ, y)·t(xᵢ, y).
        var x = new[] { 1.5, -0.5, 2.0 };
        const double y = 0.75;
        static double F(double[] v, double w) => v.Sum(e => Math.Sqrt(e * e + w * w) * Math.Atan2(w, e));
        var dx = new double[x.Length];
        var gradient = (ITuple)woven.Invoke("LocalReferences", "GradientOfPolarSum", x, dx, y, 1.0)!;
        var direction = new[] { 0.5, -1.0, 0.25 };
        var tangent = (ITuple)woven.Invoke("LocalReferences", "TangentOfPolarSum", x, direction, y, 2.0)!;
        var dy = (double)gradient[1]!;
        Assert.Multiple(() =>
        {
            Assert.That((double)gradient[0]!, Is.EqualTo(F(x, y)).Within(1e-12));
            FiniteDifferences.AssertClose(dx, FiniteDifferences.Gradient(v => F(v, y), x));
            FiniteDifferences.AssertClose(new[] { dy }, FiniteDifferences.Gradient(v => F(x, v[0]), new[] { y }));
            Assert.That((double)tangent[1]!, Is.EqualTo(dx.Zip(direction, (g, u) => g * u).Sum() + 2 * dy).Within(1e-12));
        });
    }

    [Test]
    public void RefLocalAliasBothModes()
    {
        // f = x²y + y: ∂f/∂x = 2xy, ∂f/∂y = x² + 1.
        const double x = 1.5, y = -2.0;
        var gradient = (ITuple)woven.Invoke("LocalReferences", "GradientOfAliased", x, y, 1.0)!;
        var tangent = (ITuple)woven.Invoke("LocalReferences", "TangentOfAliased", x, 0.5, y, 2.0)!;
        var fd = FiniteDifferences.Gradient(v => v[0] * v[0] * v[1] + v[1], new[] { x, y });
        Assert.Multiple(() =>
        {
            Assert.That((double)gradient[0]!, Is.EqualTo(x * x * y + y).Within(1e-12));
            Assert.That((double)gradient[1]!, Is.EqualTo(2 * x * y).Within(1e-12));
            Assert.That((double)gradient[2]!, Is.EqualTo(x * x + 1).Within(1e-12));
            FiniteDifferences.AssertClose(new[] { (double)gradient[1]!, (double)gradient[2]! }, fd);
            Assert.That((double)tangent[1]!, Is.EqualTo(0.5 * 2 * x * y + 2.0 * (x * x + 1)).Within(1e-12));
        });
    }

    [Test]
    public void DecompiledDerivativesPassTheShadowLocal() =>
        // The local's address goes where a Duplicated ref's would, with the shadow local's next to it.
        Assert.That(woven.DecompiledCSharp, Does.Match(@"__fwd_dual_dual_dual_dual\(x, dx, y, dy, out var r, ref dr, out var t, ref dt\)")
            .And.Match(@"__rev_active_active_duplicated_duplicated\(x, y, out r, ref \w+, out t, ref \w+, tape\)"));
}
