using System;
using System.Runtime.CompilerServices;
using Autodiff.Tests.EndToEnd;
using NUnit.Framework;

namespace Autodiff.Tests.ControlFlow;

/// <summary>Loops over float in both modes against closed forms: tapes and rules in single precision.</summary>
public sealed class FloatLoopTests
{
    private static WovenAssembly woven = null!;

    [OneTimeSetUp]
    public void Weave() => woven = WovenAssembly.Compile("""
        using System;
        using System.CodeDom.Compiler;
        using Autodiff;

        public static class Single
        {
            [Autodiff(nameof(RSeries), Mode.Reverse, Activity.Active, Activity.Const, Activity.Active)]
            [Autodiff(nameof(TSeries), Mode.Forward, Activity.Dual, Activity.Const, Activity.Dual)]
            public static float Series(float x, int n)
            {
                float term = 1, sum = 1;
                for (var k = 0; k < n; k++)
                {
                    term *= x / (k + 1);
                    sum += term;
                }
                return sum;
            }
            [GeneratedCode("Autodiff", "1")] public static extern (float, float) RSeries(float x, int n, float seed);
            [GeneratedCode("Autodiff", "1")] public static extern (float, float) TSeries(float x, float dx, int n);

            [Autodiff(nameof(RNewton), Mode.Reverse, Activity.Active, Activity.Const, Activity.Active)]
            [Autodiff(nameof(TNewton), Mode.Forward, Activity.Dual, Activity.Const, Activity.Dual)]
            public static float Newton(float x, int n)
            {
                var g = x;
                for (var s = 0; s < n && MathF.Abs(g * g - x) > 1e-6f * x; s++)
                    g = 0.5f * (g + x / g);
                return g;
            }
            [GeneratedCode("Autodiff", "1")] public static extern (float, float) RNewton(float x, int n, float seed);
            [GeneratedCode("Autodiff", "1")] public static extern (float, float) TNewton(float x, float dx, int n);

            [Autodiff(nameof(RNested), Mode.Reverse, Activity.Active, Activity.Const, Activity.Active)]
            [Autodiff(nameof(TNested), Mode.Forward, Activity.Dual, Activity.Const, Activity.Dual)]
            public static float Nested(float x, int n)
            {
                float s = 0;
                for (var i = 0; i < n; i++)
                    for (var j = 0; j < n; j++)
                        s += MathF.Sin(x * (i - j)) * 0.01f;
                return s;
            }
            [GeneratedCode("Autodiff", "1")] public static extern (float, float) RNested(float x, int n, float seed);
            [GeneratedCode("Autodiff", "1")] public static extern (float, float) TNested(float x, float dx, int n);
        }
        """);

    [OneTimeTearDown]
    public void Unload() => woven.Dispose();

    private static (float Reverse, float Forward) Derivatives(string name, float x, int n)
    {
        var reverse = (ITuple)woven.Invoke("Single", "R" + name, x, n, 1f)!;
        var forward = (ITuple)woven.Invoke("Single", "T" + name, x, 1f, n)!;
        return ((float)reverse[1]!, (float)forward[1]!);
    }

    [TestCase(-1.2f)]
    [TestCase(0.5f)]
    [TestCase(2.0f)]
    public void SeriesDerivativeIsTheExponential(float x)
    {
        var (reverse, forward) = Derivatives("Series", x, 2000);
        Assert.That(reverse, Is.EqualTo(Math.Exp(x)).Within(1e-5 * Math.Exp(x)));
        Assert.That(forward, Is.EqualTo(reverse).Within(1e-6 * Math.Exp(x)));
    }

    [TestCase(0.5f)]
    [TestCase(7f)]
    [TestCase(300f)]
    public void NewtonDerivativeIsThatOfTheSquareRoot(float x)
    {
        var (reverse, forward) = Derivatives("Newton", x, 100);
        Assert.That(reverse, Is.EqualTo(0.5 / Math.Sqrt(x)).Within(1e-3 / Math.Sqrt(x)));
        Assert.That(forward, Is.EqualTo(reverse).Within(1e-6 / Math.Sqrt(x)));
    }

    [TestCase(0.3f, 15)]
    [TestCase(1.1f, 25)]
    public void NestedLoopDerivativeIsTheSumOfItsTerms(float x, int n)
    {
        var expected = 0.0;
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
                expected += 0.01 * (i - j) * Math.Cos(x * (i - j));
        }
        var (reverse, forward) = Derivatives("Nested", x, n);
        Assert.That(reverse, Is.EqualTo(expected).Within(1e-3 * (1 + Math.Abs(expected))));
        Assert.That(forward, Is.EqualTo(reverse).Within(1e-4 * (1 + Math.Abs(expected))));
    }
}
