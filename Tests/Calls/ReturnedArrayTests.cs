using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Autodiff.Tests.EndToEnd;
using NUnit.Framework;

namespace Autodiff.Tests.Calls;

/// <summary>
/// Callees that allocate arrays carrying derivatives, in both modes: arrays they return (each gets a shadow
/// allocated alongside, handed back to the caller: forward as the call's tangent, reverse on the call record) and
/// scratch arrays of their own. Each against its closed form, central differences, and forward against reverse.
/// </summary>
public sealed class ReturnedArrayTests
{
    private const double Step = 1e-6;
    private static readonly double[] X = { 0.3, -1.2, 0.8 };
    private const double A = 0.7;
    private static WovenAssembly woven = null!;

    /// <summary>A function f(x, a) of the source, with its closed-form gradient.</summary>
    public sealed record Case(string Name, Func<double[], double, double> Value, Func<double[], double, double[]> GradientX, Func<double[], double, double> GradientA)
    {
        public override string ToString() => Name;
    }

    private static double SumOf(double[] x, Func<double, double> term) => x.Sum(term);

    public static IEnumerable<Case> Cases { get; } = new[]
    {
        new Case("Scaled", (x, a) => a * a * SumOf(x, v => v * v), (x, a) => x.Select(v => 2 * a * a * v).ToArray(), (x, a) => 2 * a * SumOf(x, v => v * v)),
        new Case("InLoop",
            (x, a) => Enumerable.Range(0, 3).Sum(k => SumOf(x, v => Math.Sin((a + k) * v))),
            (x, a) => x.Select(v => Enumerable.Range(0, 3).Sum(k => (a + k) * Math.Cos((a + k) * v))).ToArray(),
            (x, a) => Enumerable.Range(0, 3).Sum(k => SumOf(x, v => v * Math.Cos((a + k) * v)))),
        new Case("Nested", (x, a) => a * a * SumOf(x, v => v * v), (x, a) => x.Select(v => 2 * a * a * v).ToArray(), (x, a) => 2 * a * SumOf(x, v => v * v)),
        new Case("Recursive", (x, a) => a * SumOf(x, v => v * v * v), (x, a) => x.Select(v => 3 * a * v * v).ToArray(), (x, a) => SumOf(x, v => v * v * v)),
        new Case("Matrix", (x, a) => a * SumOf(x, v => v * v * v), (x, a) => x.Select(v => 3 * a * v * v).ToArray(), (x, a) => SumOf(x, v => v * v * v)),
        new Case("Jagged", (x, a) => SumOf(x, v => Math.Exp(a * v) * v), (x, a) => x.Select(v => Math.Exp(a * v) * (1 + a * v)).ToArray(), (x, a) => SumOf(x, v => v * v * Math.Exp(a * v))),
        new Case("Scratch",
            (x, a) => a * (1 + a) * Math.Sqrt(SumOf(x, v => v * v)),
            (x, a) => x.Select(v => a * (1 + a) * v / Math.Sqrt(SumOf(x, w => w * w))).ToArray(),
            (x, a) => (1 + 2 * a) * Math.Sqrt(SumOf(x, v => v * v))),
        new Case("ScratchInLoop", (x, a) => 70 * a * a * SumOf(x, v => v * v), (x, a) => x.Select(v => 140 * a * a * v).ToArray(), (x, a) => 140 * a * SumOf(x, v => v * v)),
    };

    [OneTimeSetUp]
    public void Weave() => woven = WovenAssembly.Compile(ReturnedArraySource.Text);

    [OneTimeTearDown]
    public void Unload() => woven.Dispose();

    [Test]
    public void WeavesWithoutErrors() => Assert.That(woven.Result.Succeeded, Is.True, woven.ErrorText);

    private static double Primal(Case c, double[] x, double a) => (double)woven.Invoke("Returned", c.Name, x.ToArray(), a)!;

    [TestCaseSource(nameof(Cases))]
    public void ReverseAgainstClosedFormsAndCentralDifferences(Case c)
    {
        var dx = new double[X.Length];
        var reverse = (ITuple)woven.Invoke("Returned", "R" + c.Name, X.ToArray(), dx, A, 1.0)!;
        var centralX = X.Select((_, i) =>
        {
            var plus = X.ToArray();
            var minus = X.ToArray();
            plus[i] += Step;
            minus[i] -= Step;
            return (Primal(c, plus, A) - Primal(c, minus, A)) / (2 * Step);
        }).ToArray();
        var centralA = (Primal(c, X, A + Step) - Primal(c, X, A - Step)) / (2 * Step);
        // A second call accumulates into dx: the shadows handed back are fresh each call.
        var again = new double[X.Length];
        woven.Invoke("Returned", "R" + c.Name, X.ToArray(), again, A, 2.0);
        Assert.Multiple(() =>
        {
            Assert.That((double)reverse[0]!, Is.EqualTo(c.Value(X, A)).Within(1e-12));
            Assert.That(dx, Is.EqualTo(c.GradientX(X, A)).Within(1e-12));
            Assert.That((double)reverse[1]!, Is.EqualTo(c.GradientA(X, A)).Within(1e-12));
            Assert.That(dx, Is.EqualTo(centralX).Within(1e-6));
            Assert.That((double)reverse[1]!, Is.EqualTo(centralA).Within(1e-6));
            Assert.That(again, Is.EqualTo(dx.Select(g => 2 * g).ToArray()).Within(1e-12));
        });
    }

    [TestCaseSource(nameof(Cases))]
    public void ForwardAgreesWithReverse(Case c)
    {
        var u = new[] { 0.5, -0.25, 1.5 };
        const double da = 0.4;
        var forward = (ITuple)woven.Invoke("Returned", "F" + c.Name, X.ToArray(), u.ToArray(), A, da)!;
        var dx = new double[X.Length];
        var reverse = (ITuple)woven.Invoke("Returned", "R" + c.Name, X.ToArray(), dx, A, 1.0)!;
        Assert.Multiple(() =>
        {
            Assert.That((double)forward[0]!, Is.EqualTo(c.Value(X, A)).Within(1e-12));
            Assert.That((double)forward[1]!, Is.EqualTo(dx.Zip(u, (g, t) => g * t).Sum() + (double)reverse[1]! * da).Within(1e-12));
        });
    }

    [TestCase("InLoop")]
    [TestCase("Jagged")]
    public void WidthTwoLanesEqualSingleLaneCalls(string name)
    {
        // Reverse: seeds (1, 2) give the width-1 gradient and twice it; forward: tangents u and w give the width-1 tangents.
        var dx0 = new double[X.Length];
        var dx1 = new double[X.Length];
        var reverse = (ITuple)woven.Invoke("Returned", "R" + name + "Wide", X.ToArray(), dx0, dx1, A, 1.0, 2.0)!;
        var dx = new double[X.Length];
        var single = (ITuple)woven.Invoke("Returned", "R" + name, X.ToArray(), dx, A, 1.0)!;
        double[] u = { 0.5, -0.25, 1.5 }, w = { -1.0, 0.75, 0.1 };
        var forward = (ITuple)woven.Invoke("Returned", "F" + name + "Wide", X.ToArray(), u.ToArray(), w.ToArray(), A, 0.4, -0.3)!;
        var forwardU = (ITuple)woven.Invoke("Returned", "F" + name, X.ToArray(), u.ToArray(), A, 0.4)!;
        var forwardW = (ITuple)woven.Invoke("Returned", "F" + name, X.ToArray(), w.ToArray(), A, -0.3)!;
        Assert.Multiple(() =>
        {
            Assert.That(dx0, Is.EqualTo(dx));
            Assert.That(dx1, Is.EqualTo(dx.Select(g => 2 * g).ToArray()));
            Assert.That((double)reverse[1]!, Is.EqualTo((double)single[1]!));
            Assert.That((double)reverse[2]!, Is.EqualTo(2 * (double)single[1]!));
            Assert.That((double)forward[1]!, Is.EqualTo((double)forwardU[1]!));
            Assert.That((double)forward[2]!, Is.EqualTo((double)forwardW[1]!));
        });
    }

    [Test]
    public void ReturnedFloatArraysInBothModes()
    {
        // f = a·Σ xᵢ²: ∂f/∂xᵢ = 2a·xᵢ, ∂f/∂a = Σ xᵢ².
        var x = new[] { 0.5f, -1.5f, 2f };
        const float a = 1.25f;
        var dx = new float[3];
        var reverse = (ITuple)woven.Invoke("Returned", "RFloats", x.ToArray(), dx, a, 1f)!;
        var u = new[] { 1f, 0.5f, -2f };
        var forward = (ITuple)woven.Invoke("Returned", "FFloats", x.ToArray(), u, a, 0.25f)!;
        float F(float[] v, float aa) => (float)woven.Invoke("Returned", "Floats", v.ToArray(), aa)!;
        const float h = 1e-2f;
        var centralA = (F(x, a + h) - F(x, a - h)) / (2 * h);
        Assert.Multiple(() =>
        {
            Assert.That((float)reverse[0]!, Is.EqualTo(a * x.Sum(v => v * v)).Within(1e-5f));
            Assert.That(dx, Is.EqualTo(x.Select(v => 2 * a * v).ToArray()).Within(1e-5f));
            Assert.That((float)reverse[1]!, Is.EqualTo(x.Sum(v => v * v)).Within(1e-5f));
            Assert.That((float)reverse[1]!, Is.EqualTo(centralA).Within(1e-2f));
            Assert.That((float)forward[1]!, Is.EqualTo(dx.Zip(u, (g, t) => g * t).Sum() + (float)reverse[1]! * 0.25f).Within(1e-4f));
        });
    }

    [TestCase("Scaled")]
    [TestCase("Nested")]
    [TestCase("Recursive")]
    [TestCase("Matrix")]
    [TestCase("Scratch")]
    public void WarmReverseCallsAllocateOneShadowPerPrimalArray(string name)
    {
        // What grows with the length is the arrays: the primal's, and the reverse's primal arrays plus one shadow
        // each. What does not (reflection's boxing, a pooled record) cancels between the two lengths.
        long Allocated(string method, int n, bool reverse)
        {
            var x = Enumerable.Range(0, n).Select(i => Math.Sin(i)).ToArray();
            object?[] arguments = reverse ? new object?[] { x, new double[n], A, 1.0 } : new object?[] { x, A };
            var info = woven.Loaded.Method("Returned", method);
            info.Invoke(null, arguments);
            var before = GC.GetAllocatedBytesForCurrentThread();
            info.Invoke(null, arguments);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
        var primalGrowth = Allocated(name, 128, false) - Allocated(name, 64, false);
        var reverseGrowth = Allocated("R" + name, 128, true) - Allocated("R" + name, 64, true);
        Assert.Multiple(() =>
        {
            Assert.That(primalGrowth, Is.GreaterThan(0));
            Assert.That(reverseGrowth, Is.EqualTo(2 * primalGrowth));
        });
    }
}
