using System;
using System.IO;
using System.Linq;
using Autodiff.Tests.EndToEnd;
using Autodiff.Tests.Memory;
using Autodiff.Weaver.Pipeline;
using NUnit.Framework;

namespace Autodiff.Tests.Optimization;

/// <summary>
/// Lean reverse sweeps over loops: values of read-only arrays and loop counters are recomputed instead of taped,
/// counted loops run backwards on a down-counter (strides, offsets, empty and one-trip loops, inner loops whose
/// start depends on the outer counter), and a read-only array that is also a written one is refused at entry.
/// Every derivative is checked against closed forms or central differences.
/// </summary>
public sealed class LeanReverseSweepTests
{
    private const string Source = """
        using System;
        using System.CodeDom.Compiler;
        using Autodiff;

        public static class Lean
        {
            // Stride 2 and a test on i + 1: the reverse needs no tape at all.
            [Autodiff(nameof(DRosenbrock), Mode.Reverse, Activity.Duplicated, Activity.Active)]
            public static double Rosenbrock(double[] x)
            {
                double sum = 0;
                for (int i = 0; i + 1 < x.Length; i += 2)
                {
                    double valley = x[i + 1] - x[i] * x[i];
                    double offset = 1 - x[i];
                    sum += 100 * valley * valley + offset * offset;
                }
                return sum;
            }
            [GeneratedCode("Autodiff", "1")] public static extern double DRosenbrock(double[] x, double[] dx, double seed);

            // Stride 3 from a start that is a parameter: the trip count has a remainder, or is zero.
            [Autodiff(nameof(DStrided), Mode.Reverse, Activity.Duplicated, Activity.Const, Activity.Const, Activity.Active)]
            public static double Strided(double[] x, int start, int end)
            {
                double sum = 0;
                for (int i = start; i < end; i += 3)
                    sum = sum * x[i + 1] + Math.Sin(x[i]);
                return sum;
            }
            [GeneratedCode("Autodiff", "1")] public static extern double DStrided(double[] x, double[] dx, int start, int end, double seed);

            // GMM's triangular L·x shape: the inner loop starts at i + 1; y is written, a only read.
            [Autodiff(nameof(DTriangle), Mode.Reverse, Activity.Duplicated, Activity.Duplicated, Activity.Active)]
            public static double Triangle(double[] a, double[] y)
            {
                int n = a.Length;
                for (int i = 0; i < n; i++)
                {
                    y[i] = a[i];
                    for (int j = i + 1; j < n; j++)
                        y[j] += a[i] * a[j];
                }
                double sum = 0;
                for (int k = 0; k < n; k++)
                    sum += Math.Exp(y[k]);
                return sum;
            }
            [GeneratedCode("Autodiff", "1")] public static extern double DTriangle(double[] a, double[] da, double[] y, double[] dy, double seed);

            // A packed triangle walked by a second induction variable k, like GMM's lIndex: k steps with j and
            // starts each row where the previous one ended.
            [Autodiff(nameof(DPacked), Mode.Reverse, Activity.Duplicated, Activity.Duplicated, Activity.Active)]
            public static double Packed(double[] l, double[] v)
            {
                double sum = 0;
                int k = 0;
                for (int i = 0; i < v.Length; i++)
                {
                    for (int j = i + 1; j < v.Length; j++)
                    {
                        sum += l[k] * v[i] * v[j];
                        k++;
                    }
                }
                return sum;
            }
            [GeneratedCode("Autodiff", "1")] public static extern double DPacked(double[] l, double[] dl, double[] v, double[] dv, double seed);

            // A counted outer loop around an inner loop with `<=` (not counted): the inner pushes are not part of the
            // outer loop's reservation, so their tape must grow as it fills instead of being a cursor.
            [Autodiff(nameof(DInclusive), Mode.Reverse, Activity.Active, Activity.Const, Activity.Active)]
            public static double Inclusive(double x, int n)
            {
                double s = 0;
                for (int i = 0; i < n; i++)
                    for (int j = 0; j <= i; j++)
                        s += Math.Sin(x * j) / (1 + s * s);
                return s;
            }
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) DInclusive(double x, int n, double seed);
        }
        """;

    private static WovenAssembly woven = null!;

    [OneTimeSetUp]
    public void Weave() => woven = WovenAssembly.Compile(Source);

    [OneTimeTearDown]
    public void Unload() => woven.Dispose();

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(7)]
    [TestCase(10)]
    public void RosenbrockMatchesItsClosedForm(int n)
    {
        var x = Enumerable.Range(0, n).Select(i => 0.3 + 0.1 * i * (i % 2 == 0 ? -1 : 1)).ToArray();
        var dx = new double[n];
        var value = (double)woven.Invoke("Lean", "DRosenbrock", x, dx, 2.0)!;
        var expected = new double[n];
        var sum = 0.0;
        for (var i = 0; i + 1 < n; i += 2)
        {
            var valley = x[i + 1] - x[i] * x[i];
            sum += 100 * valley * valley + (1 - x[i]) * (1 - x[i]);
            expected[i] = 2 * (-400 * x[i] * valley - 2 * (1 - x[i]));
            expected[i + 1] = 2 * 200 * valley;
        }
        Assert.That(value, Is.EqualTo(sum).Within(1e-12));
        FiniteDifferences.AssertClose(dx, expected, 1e-9);
    }

    [TestCase(0, 0)]
    [TestCase(5, 3)]
    [TestCase(0, 1)]
    [TestCase(0, 7)]
    [TestCase(1, 9)]
    [TestCase(2, 11)]
    public void StridedLoopsRunBackOverExactlyTheirIterations(int start, int end)
    {
        var x = Enumerable.Range(0, 14).Select(i => 0.2 + 0.05 * i).ToArray();
        double Primal(double[] v) => (double)woven.Invoke("Lean", "Strided", v, start, end)!;
        var dx = new double[x.Length];
        var value = (double)woven.Invoke("Lean", "DStrided", x, dx, start, end, 1.0)!;
        Assert.That(value, Is.EqualTo(Primal(x)));
        FiniteDifferences.AssertClose(dx, FiniteDifferences.Gradient(Primal, x));
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(5)]
    [TestCase(40)]
    public void InnerLoopsStartingAtTheOuterCounterMatchFiniteDifferences(int n)
    {
        var a = Enumerable.Range(0, n).Select(i => 0.1 * (i + 1)).ToArray();
        double Primal(double[] v) => (double)woven.Invoke("Lean", "Triangle", v, new double[n])!;
        var da = new double[n];
        var value = (double)woven.Invoke("Lean", "DTriangle", a, da, new double[n], new double[n], 1.0)!;
        Assert.That(value, Is.EqualTo(Primal(a)));
        FiniteDifferences.AssertClose(da, FiniteDifferences.Gradient(Primal, a));
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(4)]
    public void SecondInductionVariablesAreRebuiltFromTheCounter(int n)
    {
        var v = Enumerable.Range(0, n).Select(i => 0.5 - 0.2 * i).ToArray();
        var l = Enumerable.Range(0, n * (n - 1) / 2).Select(i => 0.1 + 0.3 * i).ToArray();
        var dl = new double[l.Length];
        var dv = new double[n];
        var value = (double)woven.Invoke("Lean", "DPacked", l, dl, v, dv, 1.0)!;
        Assert.That(value, Is.EqualTo((double)woven.Invoke("Lean", "Packed", l, v)!));
        FiniteDifferences.AssertClose(dl, FiniteDifferences.Gradient(x => (double)woven.Invoke("Lean", "Packed", x, v)!, l));
        FiniteDifferences.AssertClose(dv, FiniteDifferences.Gradient(x => (double)woven.Invoke("Lean", "Packed", l, x)!, v));
    }

    // A fresh thread has an empty tape pool: a reservation that misses the inner loop's pushes overruns the array.
    [TestCase(5)]
    [TestCase(40)]
    public void InnerLoopsThatAreNotCountedGrowTheirTapeOnAFreshThread(int n)
    {
        (double, double) result = default;
        var thread = new System.Threading.Thread(() => result = ((double, double))woven.Invoke("Lean", "DInclusive", 0.7, n, 1.0)!);
        thread.Start();
        thread.Join();
        const double h = 1e-6;
        var difference = ((double)woven.Invoke("Lean", "Inclusive", 0.7 + h, n)! - (double)woven.Invoke("Lean", "Inclusive", 0.7 - h, n)!) / (2 * h);
        Assert.That(result.Item1, Is.EqualTo((double)woven.Invoke("Lean", "Inclusive", 0.7, n)!));
        Assert.That(result.Item2, Is.EqualTo(difference).Within(1e-6 * Math.Max(1, Math.Abs(difference))));
    }

    [Test]
    public void AReadOnlyArrayPassedAlsoAsAWrittenOneIsRefused()
    {
        var a = new[] { 0.5, 0.25 };
        var error = Assert.Throws<ArgumentException>(() => woven.Invoke("Lean", "DTriangle", a, new double[2], a, new double[2], 1.0));
        Assert.That(error!.Message, Does.Contain("'a' and 'y' are the same array"));
    }

    [Test]
    public void AReadOnlyArrayPassedAsItsOwnShadowIsRefused()
    {
        var x = new[] { 0.5, 0.25, 1.5, -0.5 };
        var error = Assert.Throws<ArgumentException>(() => woven.Invoke("Lean", "DRosenbrock", x, x, 1.0));
        Assert.That(error!.Message, Does.Contain("'x' and 'dx' are the same array"));
    }

    [Test]
    public void PrintPerfShowsWhatIsRecomputedInsteadOfTaped()
    {
        var directory = Path.Combine(Path.GetTempPath(), "autodiff-perf-" + Guid.NewGuid().ToString("N"));
        using var dumped = WovenAssembly.Compile(Source, new WeaverOptions { VerifyIr = true, Flags = WeaverFlags.PrintPerf, DumpDirectory = directory });
        var files = Directory.GetFiles(directory, "*.perf.txt").ToDictionary(f => Path.GetFileName(f).Split('.')[0].Split(':').Last(), File.ReadAllText);
        Directory.Delete(directory, true);
        var rosenbrock = files.Single(f => f.Key.Contains("Rosenbrock")).Value;
        var triangle = files.Single(f => f.Key.Contains("Triangle")).Value;
        Assert.That(rosenbrock, Does.Contain("cached: nothing").And.Contain("runs on a down-counter").And.Contain("recomputed in the reverse sweep"));
        Assert.That(triangle, Does.Not.Contain("Tape<Int32>").And.Not.Contain("path at").And.Contain("used as a cursor"));
        var packed = files.Single(f => f.Key.Contains("Packed")).Value;
        Assert.That(packed.Split("recomputed in the reverse sweep")[1], Does.Contain("phi 'k'"));
    }
}
