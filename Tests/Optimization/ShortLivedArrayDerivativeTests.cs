using System;
using Autodiff.Tests.EndToEnd;
using NUnit.Framework;

namespace Autodiff.Tests.Optimization;

/// <summary>
/// What <c>ScalarizeShortLivedArrays</c> gives derivatives: a temporary <c>new double[3]</c> becomes three scalars before
/// differentiation, so the woven gradient and tangent are exact (closed form, central differences, forward against
/// reverse) and allocate neither the array nor its shadow.
/// </summary>
public sealed class ShortLivedArrayDerivativeTests
{
    private const string Source = """
        using System;
        using System.CodeDom.Compiler;
        using Autodiff;

        public static class Model
        {
            // f = (xy + sin x)·xy, through a scratch array.
            [Autodiff(nameof(Gradient), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
            [Autodiff(nameof(Tangent), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double F(double x, double y)
            {
                var t = new double[3];
                t[0] = x * y;
                t[1] = Math.Sin(x);
                t[2] += t[0] + t[1];
                return t[2] * t[0];
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double, double) Gradient(double x, double y, double seed);

            // A callee with scratch: differentiated through its split halves, the array scalarized first.
            private static double Buffered(double x)
            {
                var t = new double[2];
                t[0] = x;
                t[1] = x * x;
                return t[0] * t[1];
            }

            [Autodiff(nameof(CallerGradient), Mode.Reverse, Activity.Active, Activity.Active)]
            public static double Caller(double x) => Buffered(x) * 2 + Math.Sin(x);

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) CallerGradient(double x, double seed);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) Tangent(double x, double dx, double y, double dy);
        }
        """;

    private static WovenAssembly woven = null!;

    [OneTimeSetUp]
    public void Weave() => woven = WovenAssembly.Compile(Source);

    [OneTimeTearDown]
    public void Unload() => woven.Dispose();

    private static double F(double x, double y) => (x * y + Math.Sin(x)) * x * y;

    [TestCase(0.7, -1.3)]
    [TestCase(2.0, 0.5)]
    public void GradientAndTangentMatchClosedFormsAndFiniteDifferences(double x, double y)
    {
        var gradient = (ValueTuple<double, double, double>)woven.Invoke("Model", "Gradient", x, y, 1.0)!;
        var dfdx = (y + Math.Cos(x)) * x * y + (x * y + Math.Sin(x)) * y;
        var dfdy = x * x * y + (x * y + Math.Sin(x)) * x;
        const double h = 1e-6;

        Assert.That(gradient.Item1, Is.EqualTo(F(x, y)).Within(1e-12));
        Assert.That(gradient.Item2, Is.EqualTo(dfdx).Within(1e-12));
        Assert.That(gradient.Item3, Is.EqualTo(dfdy).Within(1e-12));
        Assert.That(gradient.Item2, Is.EqualTo((F(x + h, y) - F(x - h, y)) / (2 * h)).Within(1e-6));
        Assert.That(gradient.Item3, Is.EqualTo((F(x, y + h) - F(x, y - h)) / (2 * h)).Within(1e-6));
        var (value, tangent) = (ValueTuple<double, double>)woven.Invoke("Model", "Tangent", x, 0.25, y, -2.0)!;
        Assert.That(value, Is.EqualTo(gradient.Item1));
        Assert.That(tangent, Is.EqualTo(0.25 * gradient.Item2 - 2.0 * gradient.Item3).Within(1e-12), "vᵀ(J·u) = (vᵀJ)·u");
    }

    [Test]
    public void WarmDerivativeCallsAllocateNothing()
    {
        var gradient = woven.Loaded.Method("Model", "Gradient").CreateDelegate<Func<double, double, double, (double, double, double)>>();
        var tangent = woven.Loaded.Method("Model", "Tangent").CreateDelegate<Func<double, double, double, double, (double, double)>>();

        Assert.That(BytesOf(() => gradient(0.7, -1.3, 1.0)), Is.EqualTo(0));
        Assert.That(BytesOf(() => tangent(0.7, 1.0, -1.3, 0.0)), Is.EqualTo(0));
    }

    [Test]
    public void ACalleeWithScratchIsDifferentiatedWithoutAllocating()
    {
        var gradient = woven.Loaded.Method("Model", "CallerGradient").CreateDelegate<Func<double, double, (double, double)>>();
        const double x = 1.3;

        var (value, dx) = gradient(x, 1.0);

        Assert.That(value, Is.EqualTo(2 * x * x * x + Math.Sin(x)).Within(1e-12));
        Assert.That(dx, Is.EqualTo(6 * x * x + Math.Cos(x)).Within(1e-12));
        Assert.That(BytesOf(() => gradient(x, 1.0)), Is.EqualTo(0));
    }

    /// <summary>The JIT may put a small array on the stack itself; the woven IL shows the array is gone before it runs.</summary>
    [Test]
    public void OnlyThePrimalsKeepTheirArrays()
    {
        var allocations = woven.DecompiledCSharp!.Split("new double[").Length - 1;

        Assert.That(allocations, Is.EqualTo(2), "F's and Buffered's own\n" + woven.DecompiledCSharp);
    }

    private static long BytesOf(Action call)
    {
        call();
        var before = GC.GetAllocatedBytesForCurrentThread();
        call();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
