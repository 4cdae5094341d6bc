using System;
using System.IO;
using System.Linq;
using System.Threading;
using Autodiff.Runtime;
using Autodiff.Tests.EndToEnd;
using Autodiff.Weaver.Pipeline;
using NUnit.Framework;

namespace Autodiff.Tests.ControlFlow;

/// <summary>
/// Tape storage: straight-line derivatives allocate nothing, loop derivatives allocate nothing once the
/// per-thread pool is warm, threads and recursion never share a tape, counted loops size their tapes at
/// entry, and PrintPerf explains what is cached.
/// </summary>
public sealed class TapeAllocationTests
{
    private const string Source = """
        using System;
        using System.CodeDom.Compiler;
        using Autodiff;

        public static class Cost
        {
            [Autodiff(nameof(DStraight), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
            public static double Straight(double x, double y) => Math.Sin(x * y) + x / y;
            [GeneratedCode("Autodiff", "1")] public static extern (double, double, double) DStraight(double x, double y, double seed);

            [Autodiff(nameof(DBranch), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
            public static double Branch(double x, double y) => x > y ? Math.Exp(x * y) : Math.Log(y) * x;
            [GeneratedCode("Autodiff", "1")] public static extern (double, double, double) DBranch(double x, double y, double seed);

            [Autodiff(nameof(DMerge), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
            public static double Merge(double x, double y)
            {
                var r = y;
                if (x > y)
                    r = Math.Exp(x * y);
                return r * Math.Sin(r);
            }
            [GeneratedCode("Autodiff", "1")] public static extern (double, double, double) DMerge(double x, double y, double seed);

            [Autodiff(nameof(DCounted), Mode.Reverse, Activity.Active, Activity.Const, Activity.Active)]
            public static double Counted(double x, int n)
            {
                var s = 0.0;
                for (var i = 0; i < n; i++)
                    s = Math.Sin(s * x + i);
                return s;
            }
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) DCounted(double x, int n, double seed);

            // Runs a derivative with tapes while the caller's derivative has its own tapes live.
            [Inactive]
            public static double Probe(double s) => DCounted(s, 20, 1.0).Item2;

            [Autodiff(nameof(DReentrant), Mode.Reverse, Activity.Active, Activity.Const, Activity.Active)]
            public static double Reentrant(double x, int n)
            {
                var s = 0.0;
                for (var i = 0; i < n; i++)
                    s = Math.Sin(s * x + i) + 0 * Probe(s);
                return s;
            }
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) DReentrant(double x, int n, double seed);

            [Autodiff(nameof(DUntil), Mode.Reverse, Activity.Active, Activity.Const, Activity.Active)]
            public static double Until(double x, int n)
            {
                var s = x;
                while (s < n)
                    s = s * s + x;
                return s;
            }
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) DUntil(double x, int n, double seed);
        }
        """;

    private static WovenAssembly woven = null!;

    [OneTimeSetUp]
    public void Weave() => woven = WovenAssembly.Compile(Source);

    [OneTimeTearDown]
    public void Unload() => woven.Dispose();

    private static T Delegate<T>(string name) where T : Delegate =>
        woven.Loaded.Method("Cost", name).CreateDelegate<T>();

    private static long BytesOf(Action calls)
    {
        calls();
        var before = GC.GetAllocatedBytesForCurrentThread();
        calls();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Test]
    public void StraightLineAndAcyclicBranchesAllocateNothing()
    {
        var straight = Delegate<Func<double, double, double, (double, double, double)>>("DStraight");
        var branch = Delegate<Func<double, double, double, (double, double, double)>>("DBranch");
        var merge = Delegate<Func<double, double, double, (double, double, double)>>("DMerge");
        Assert.That(BytesOf(() => { merge(0.3, 1.2, 1.0); merge(2.0, 0.5, 1.0); }), Is.EqualTo(0));
        Assert.That(BytesOf(() => { straight(0.3, 1.2, 1.0); straight(2.0, 0.5, 1.0); }), Is.EqualTo(0));
        Assert.That(BytesOf(() => { branch(0.3, 1.2, 1.0); branch(2.0, 0.5, 1.0); }), Is.EqualTo(0));
    }

    [Test]
    public void LoopsAllocateNothingOnceThePoolIsWarm()
    {
        var counted = Delegate<Func<double, int, double, (double, double)>>("DCounted");
        var until = Delegate<Func<double, int, double, (double, double)>>("DUntil");
        Assert.That(BytesOf(() => { counted(0.7, 3000, 1.0); counted(0.2, 10, 1.0); }), Is.EqualTo(0));
        Assert.That(BytesOf(() => { until(1.1, 1000000, 1.0); until(1.5, 100, 1.0); }), Is.EqualTo(0));
    }

    [Test]
    public void ConcurrentCallsOnManyThreadsGetTheirOwnTapes()
    {
        var counted = Delegate<Func<double, int, double, (double, double)>>("DCounted");
        var inputs = Enumerable.Range(0, 8).Select(k => 0.1 + 0.1 * k).ToArray();
        var expected = inputs.Select(x => counted(x, 500, 1.0)).ToArray();
        var mismatches = 0;
        var threads = inputs.Select((x, k) => new Thread(() =>
        {
            for (var r = 0; r < 200; r++)
            {
                if (counted(x, 500, 1.0) != expected[k])
                    Interlocked.Increment(ref mismatches);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.That(mismatches, Is.EqualTo(0));
    }

    [Test]
    public void ADerivativeCalledWhileAnotherIsLiveGetsItsOwnTapes()
    {
        var counted = Delegate<Func<double, int, double, (double, double)>>("DCounted");
        var reentrant = Delegate<Func<double, int, double, (double, double)>>("DReentrant");
        Assert.That(reentrant(0.7, 300, 1.0), Is.EqualTo(counted(0.7, 300, 1.0)));
    }

    [Test]
    public void ALiveTapeIsNeverRentedAgainButAReturnedOneIs()
    {
        var outer = Tape<double>.Rent();
        var inner = Tape<double>.Rent();
        Assert.That(inner, Is.Not.SameAs(outer));
        Tape<double>.Return(inner);
        Assert.That(Tape<double>.Rent(), Is.SameAs(inner));
        Tape<double>.Return(inner);
        Tape<double>.Return(outer);
        Tape<double>? other = null;
        var thread = new Thread(() => other = Tape<double>.Rent());
        thread.Start();
        thread.Join();
        Assert.That(other, Is.Not.SameAs(outer).And.Not.SameAs(inner));
    }

    [Test]
    public void ReserveGrowsOnceToTheAnnouncedCount()
    {
        // A fresh thread has an empty pool, so the tape is new.
        (int Reserved, int Filled, int Count, int Top) seen = default;
        var thread = new Thread(() =>
        {
            var tape = Tape<int>.Rent();
            tape.Reserve(1000);
            var reserved = tape.Capacity;
            for (var i = 0; i < 1000; i++)
                tape.Push(i);
            seen = (reserved, tape.Capacity, tape.Count, tape.Peek());
        });
        thread.Start();
        thread.Join();
        Assert.That(seen, Is.EqualTo((1000, 1000, 1000, 999)));
    }

    [Test]
    public void PrintPerfSaysWhatIsCachedAndHowItIsStored()
    {
        var directory = Path.Combine(Path.GetTempPath(), "autodiff-perf-" + Guid.NewGuid().ToString("N"));
        using var dumped = WovenAssembly.Compile(Source, new WeaverOptions { VerifyIr = true, Flags = WeaverFlags.PrintPerf, DumpDirectory = directory });
        var files = Directory.GetFiles(directory, "*.perf.txt").ToDictionary(f => Path.GetFileName(f).Split('.')[0].Split(':').Last(), File.ReadAllText);
        Directory.Delete(directory, true);
        var counted = files.Single(f => f.Key.Contains("Counted")).Value;
        var until = files.Single(f => f.Key.Contains("Until")).Value;
        var straight = files.Single(f => f.Key.Contains("Straight")).Value;
        var merge = files.Single(f => f.Key.Contains("Merge")).Value;
        Assert.That(counted, Does.Contain("pooled Tape<Double>").And.Contain("reserves bound − start + 1").And.Contain("the partials of Math.Sin").And.Contain("which read operand 1"));
        Assert.That(merge, Does.Contain("stack slot (acyclic code").And.Contain("path at bb"));
        Assert.That(until, Does.Contain("capacity doubles as it fills"));
        Assert.That(straight, Does.Contain("nothing is cached or allocated").And.Contain("cached: nothing"));
    }
}
