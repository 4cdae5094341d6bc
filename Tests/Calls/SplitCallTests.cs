using System;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Autodiff.Tests.EndToEnd;
using NUnit.Framework;

namespace Autodiff.Tests.Calls;

/// <summary>
/// Reverse mode through callees split into augmented forward and reverse (Enzyme's split): each callee runs once
/// per call with its effects, callees write Duplicated arrays, several returns, nesting, and <c>[Checkpoint]</c>.
/// </summary>
public sealed class SplitCallTests
{
    private const double Step = 1e-6;
    private static WovenAssembly woven = null!;

    [OneTimeSetUp]
    public void Weave() => woven = WovenAssembly.Compile(SplitCallSource.Text);

    [OneTimeTearDown]
    public void Unload() => woven.Dispose();

    private static int Runs => (int)woven.Invoke("Split", "get_Runs")!;

    [Test]
    public void WeavesWithoutErrors() => Assert.That(woven.Result.Succeeded, Is.True, woven.ErrorText);

    [TestCase(0.8)]
    [TestCase(-1.7)]
    public void CalleesWithEffectsRunOncePerCallInBothModes(double x)
    {
        // c(x) = x²·sin x, f = 3c(x) + c(2x) + c(x)·x: f' = 3c'(x) + 2c'(2x) + c'(x)·x + c(x).
        double C(double v) => v * v * Math.Sin(v);
        double Dc(double v) => 2 * v * Math.Sin(v) + v * v * Math.Cos(v);
        var expected = 3 * Dc(x) + 2 * Dc(2 * x) + Dc(x) * x + C(x);
        var before = Runs;
        var reverse = (ITuple)woven.Invoke("Split", "RCounted", x, 1.0)!;
        var afterReverse = Runs;
        var forward = (ITuple)woven.Invoke("Split", "FCounted", x, 1.0)!;
        var afterForward = Runs;
        var central = ((double)woven.Invoke("Split", "CountedCalls", x + Step)! - (double)woven.Invoke("Split", "CountedCalls", x - Step)!) / (2 * Step);
        Assert.Multiple(() =>
        {
            // Counted runs twice directly and once inside Outer, which runs once: four effects per call.
            Assert.That(afterReverse - before, Is.EqualTo(4));
            Assert.That(afterForward - afterReverse, Is.EqualTo(4));
            Assert.That(reverse[0], Is.EqualTo(3 * C(x) + C(2 * x) + C(x) * x).Within(1e-12));
            Assert.That((double)reverse[1]!, Is.EqualTo(expected).Within(1e-12));
            Assert.That((double)forward[1]!, Is.EqualTo((double)reverse[1]!).Within(1e-12));
            Assert.That((double)reverse[1]!, Is.EqualTo(central).Within(1e-6));
        });
    }

    [Test]
    public void CalleeWritingADuplicatedArrayAgainstClosedFormsCentralDifferencesAndForward()
    {
        // Scale writes xᵢ ← k·sin xᵢ, then f = k·Σ xᵢ = k²·Σ sin xᵢ: ∂f/∂xᵢ = k²·cos xᵢ, ∂f/∂k = 2k·Σ sin xᵢ.
        var x = new[] { 0.3, -1.2, 2.0 };
        const double k = 1.7;
        var xs = x.ToArray();
        var dx = new double[3];
        var reverse = (ITuple)woven.Invoke("Split", "RScaled", xs, dx, k, 1.0)!;
        double F(double[] v, double kk) => (double)woven.Invoke("Split", "Scaled", v.ToArray(), kk)!;
        var centralX = x.Select((_, i) =>
        {
            var plus = x.ToArray();
            var minus = x.ToArray();
            plus[i] += Step;
            minus[i] -= Step;
            return (F(plus, k) - F(minus, k)) / (2 * Step);
        }).ToArray();
        var u = new[] { 0.4, 1.0, -0.6 };
        var forward = (ITuple)woven.Invoke("Split", "FScaled", x.ToArray(), u.ToArray(), k, 0.5)!;
        Assert.Multiple(() =>
        {
            Assert.That(reverse[0], Is.EqualTo(k * k * x.Sum(Math.Sin)).Within(1e-12));
            Assert.That(xs, Is.EqualTo(x.Select(v => k * Math.Sin(v)).ToArray()).Within(1e-14));
            Assert.That(dx, Is.EqualTo(x.Select(v => k * k * Math.Cos(v)).ToArray()).Within(1e-12));
            Assert.That((double)reverse[1]!, Is.EqualTo(2 * k * x.Sum(Math.Sin)).Within(1e-12));
            Assert.That(dx, Is.EqualTo(centralX).Within(1e-6));
            Assert.That((double)reverse[1]!, Is.EqualTo((F(x, k + Step) - F(x, k - Step)) / (2 * Step)).Within(1e-6));
            Assert.That((double)forward[1]!, Is.EqualTo(dx.Zip(u, (g, t) => g * t).Sum() + (double)reverse[1]! * 0.5).Within(1e-12));
        });
    }

    [Test]
    public void VectorModeThroughCalleesInBothModes()
    {
        // Two lanes seeded 1 and −2: each lane's gradient is its seed times lane 1's; the callees still run once per call.
        const double x = 0.7, k = 1.3;
        var one = (ITuple)woven.Invoke("Split", "RCounted", x, 1.0)!;
        var before = Runs;
        var wide = (ITuple)woven.Invoke("Split", "RCountedWide", x, 1.0, -2.0)!;
        var runs = Runs - before;
        var xs = new[] { 0.3, -1.2, 2.0 };
        var dx0 = new double[3];
        var dx1 = new double[3];
        var scaled = (ITuple)woven.Invoke("Split", "RScaledWide", xs.ToArray(), dx0, dx1, k, 1.0, -2.0)!;
        var beforeForward = Runs;
        var forward = (ITuple)woven.Invoke("Split", "FCountedWide", x, 1.0, 0.5)!;
        var forwardRuns = Runs - beforeForward;
        // Forward along (u, dk) = (e₀, 0) and (0, 1) at once: the directional derivatives are reverse's dx₀[0] and ∂f/∂k.
        var u0 = new double[3];
        var u1 = new double[3];
        u0[0] = 1;
        var scaledForward = (ITuple)woven.Invoke("Split", "FScaledWide", xs.ToArray(), u0, u1, k, 0.0, 1.0)!;
        Assert.Multiple(() =>
        {
            Assert.That(runs, Is.EqualTo(4));
            Assert.That(wide[0], Is.EqualTo(one[0]));
            Assert.That((double)wide[1]!, Is.EqualTo((double)one[1]!).Within(1e-12));
            Assert.That((double)wide[2]!, Is.EqualTo(-2 * (double)one[1]!).Within(1e-12));
            Assert.That(dx0, Is.EqualTo(xs.Select(v => k * k * Math.Cos(v)).ToArray()).Within(1e-12));
            Assert.That(dx1, Is.EqualTo(xs.Select(v => -2 * k * k * Math.Cos(v)).ToArray()).Within(1e-12));
            Assert.That((double)scaled[1]!, Is.EqualTo(2 * k * xs.Sum(Math.Sin)).Within(1e-12));
            Assert.That((double)scaled[2]!, Is.EqualTo(-4 * k * xs.Sum(Math.Sin)).Within(1e-12));
            Assert.That(forwardRuns, Is.EqualTo(4));
            Assert.That((double)forward[1]!, Is.EqualTo((double)one[1]!).Within(1e-12));
            Assert.That((double)forward[2]!, Is.EqualTo(0.5 * (double)one[1]!).Within(1e-12));
            Assert.That((double)scaledForward[1]!, Is.EqualTo(dx0[0]).Within(1e-12));
            Assert.That((double)scaledForward[2]!, Is.EqualTo((double)scaled[1]!).Within(1e-12));
        });
    }

    [TestCase(0.9, 4)]
    [TestCase(-0.4, 5)]
    [TestCase(2.5, 0)]
    public void CalleeWithSeveralReturnsInALoop(double x, int n)
    {
        var reverse = (ITuple)woven.Invoke("Split", "RPieces", x, n, 1.0)!;
        var forward = (ITuple)woven.Invoke("Split", "FPieces", x, 1.0, n)!;
        var central = ((double)woven.Invoke("Split", "Pieces", x + Step, n)! - (double)woven.Invoke("Split", "Pieces", x - Step, n)!) / (2 * Step);
        Assert.Multiple(() =>
        {
            Assert.That(reverse[0], Is.EqualTo(woven.Invoke("Split", "Pieces", x, n)));
            Assert.That((double)reverse[1]!, Is.EqualTo(central).Within(1e-6));
            Assert.That((double)forward[1]!, Is.EqualTo((double)reverse[1]!).Within(1e-12));
        });
    }

    [TestCase(0.5, 1.3)]
    [TestCase(-2.0, 0.7)]
    public void RefParameterWrittenByAHelperInBothModes(double a0, double x)
    {
        // a ← a + x², f = a·x: ∂f/∂a₀ = x, ∂f/∂x = a₀ + 3x²; forward along (da₀, dx) = (0.25, 1): a's tangent 0.25 + 2x.
        var type = woven.Loaded.Assembly.GetType("Split")!;
        double Primal(double a) => (double)type.GetMethod("ThroughRef")!.Invoke(null, new object?[] { a, x })!;
        var reverseArguments = new object?[] { a0, 0.0, x, 1.0 };
        var reverse = (ITuple)type.GetMethod("RThroughRef")!.Invoke(null, reverseArguments)!;
        var forwardArguments = new object?[] { a0, 0.25, x, 1.0 };
        var forward = (ITuple)type.GetMethod("FThroughRef")!.Invoke(null, forwardArguments)!;
        Assert.Multiple(() =>
        {
            Assert.That((double)reverse[0]!, Is.EqualTo((a0 + x * x) * x).Within(1e-12));
            Assert.That((double)reverse[1]!, Is.EqualTo(a0 + 3 * x * x).Within(1e-12));
            Assert.That((double)reverseArguments[0]!, Is.EqualTo(a0 + x * x).Within(1e-12));
            Assert.That((double)reverseArguments[1]!, Is.EqualTo(x).Within(1e-12));
            Assert.That((double)reverseArguments[1]!, Is.EqualTo((Primal(a0 + Step) - Primal(a0 - Step)) / (2 * Step)).Within(1e-6));
            Assert.That((double)forwardArguments[1]!, Is.EqualTo(0.25 + 2 * x).Within(1e-12));
            Assert.That((double)forward[1]!, Is.EqualTo((double)reverseArguments[1]! * 0.25 + (double)reverse[1]!).Within(1e-12));
        });
    }

    [Test]
    public void HelperWritingTheFieldsOfADuplicatedObject()
    {
        // X₂ = X + 2V·dt, f = X₂²: ∂f/∂X = 2X₂, ∂f/∂V = 4X₂·dt, ∂f/∂dt = 4X₂·V.
        const double x = 0.5, v = -1.5, dt = 0.1;
        var type = woven.Loaded.Assembly.GetType("Body")!;
        object NewBody(double px, double pv)
        {
            var body = Activator.CreateInstance(type)!;
            type.GetField("X")!.SetValue(body, px);
            type.GetField("V")!.SetValue(body, pv);
            return body;
        }
        double Field(object body, string name) => (double)type.GetField(name)!.GetValue(body)!;
        double F(double px, double pv, double pdt) => (double)woven.Invoke("Split", "Simulate", NewBody(px, pv), pdt)!;
        var x2 = x + 2 * v * dt;
        var shadow = NewBody(0, 0);
        var reverse = (ITuple)woven.Invoke("Split", "RSimulate", NewBody(x, v), shadow, dt, 1.0)!;
        var tangent = NewBody(1, 0.5);
        var forward = (ITuple)woven.Invoke("Split", "FSimulate", NewBody(x, v), tangent, dt, 2.0)!;
        Assert.Multiple(() =>
        {
            Assert.That((double)reverse[0]!, Is.EqualTo(x2 * x2).Within(1e-14));
            Assert.That(Field(shadow, "X"), Is.EqualTo(2 * x2).Within(1e-12));
            Assert.That(Field(shadow, "V"), Is.EqualTo(4 * x2 * dt).Within(1e-12));
            Assert.That((double)reverse[1]!, Is.EqualTo(4 * x2 * v).Within(1e-12));
            Assert.That(Field(shadow, "X"), Is.EqualTo((F(x + Step, v, dt) - F(x - Step, v, dt)) / (2 * Step)).Within(1e-6));
            Assert.That((double)reverse[1]!, Is.EqualTo((F(x, v, dt + Step) - F(x, v, dt - Step)) / (2 * Step)).Within(1e-6));
            Assert.That((double)forward[1]!, Is.EqualTo(Field(shadow, "X") * 1 + Field(shadow, "V") * 0.5 + (double)reverse[1]! * 2).Within(1e-12));
        });
    }

    [Test]
    public void SplitCallsAllocateNothingOnceTheTapePoolIsWarm()
    {
        // Every tape a split call rents (the return index of a callee with two returns included) goes back to the
        // pool: after a warm-up, 2 and 40 calls of the callee allocate the same (the reflective call's boxing).
        long Allocated(int n)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            woven.Invoke("Split", "RPieces", 0.3, n, 1.0);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Allocated(40);
        Allocated(40);
        Assert.That(Allocated(40), Is.EqualTo(Allocated(2)));
    }

    [Test]
    public void CheckpointGivesTheSameGradientWithLessTapeMemory()
    {
        // E(a, w) = Σ sin(w·aᵢ)·aᵢ, T = Σⱼ E(a, w + j): ∂T/∂aᵢ = Σⱼ cos(vⱼaᵢ)·vⱼaᵢ + sin(vⱼaᵢ), ∂T/∂w = Σⱼ Σᵢ cos(vⱼaᵢ)·aᵢ².
        var a = Enumerable.Range(0, 200).Select(i => Math.Sin(i * 0.37)).ToArray();
        const double w = 0.8;
        const int m = 50;
        var split = Measure("RTotal", a, w, m);
        var checkpointed = Measure("RTotalCheckpointed", a, w, m);
        var v = Enumerable.Range(0, m).Select(j => w + j).ToArray();
        var expectedDa = a.Select(ai => v.Sum(vj => Math.Cos(vj * ai) * vj * ai + Math.Sin(vj * ai))).ToArray();
        var expectedDw = v.Sum(vj => a.Sum(ai => Math.Cos(vj * ai) * ai * ai));
        TestContext.Out.WriteLine($"tape memory of the first call ({m} calls of a {a.Length}-element loop): split {split.Bytes} bytes, [Checkpoint] {checkpointed.Bytes} bytes");
        Assert.Multiple(() =>
        {
            Assert.That(split.Da, Is.EqualTo(expectedDa).Within(1e-9));
            Assert.That(split.Dw, Is.EqualTo(expectedDw).Within(1e-9));
            Assert.That(checkpointed.Da, Is.EqualTo(split.Da).Within(1e-12));
            Assert.That(checkpointed.Dw, Is.EqualTo(split.Dw).Within(1e-12));
            Assert.That(checkpointed.Bytes, Is.LessThan(split.Bytes / 10));
        });
    }

    /// <summary>
    /// The gradient and the bytes the first call allocates on a new thread, whose tape pool is empty: every tape
    /// the call holds at once is allocated then.
    /// </summary>
    private static (double[] Da, double Dw, long Bytes) Measure(string derivative, double[] a, double w, int m)
    {
        var da = new double[a.Length];
        var dw = 0.0;
        var bytes = 0L;
        var thread = new Thread(() =>
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            dw = (double)((ITuple)woven.Invoke("Split", derivative, a, da, w, m, 1.0)!)[1]!;
            bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        });
        thread.Start();
        thread.Join();
        return (da, dw, bytes);
    }

    [Test]
    public void SplitHalvesAreNamedForTheirPatternAndDecompile()
    {
        var names = woven.Loaded.Assembly.GetType("Split")!
            .GetMethods(System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)
            .Select(m => m.Name)
            .Where(n => n.StartsWith("<Energy", StringComparison.Ordinal))
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToList();
        Assert.Multiple(() =>
        {
            Assert.That(names, Is.EqualTo(new[] { "<Energy>__aug_duplicated_active", "<Energy>__rev_duplicated_active", "<EnergyCheckpointed>__rev_duplicated_active" }));
            Assert.That(woven.DecompiledCSharp, Does.Contain("<Energy>__aug_duplicated_active(a, ").And.Contain("<Energy>__rev_duplicated_active(a, da, "));
        });
    }
}
