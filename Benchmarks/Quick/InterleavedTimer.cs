using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace Autodiff.Benchmarks.Quick;

/// <summary>
/// Times several methods side by side: each round runs every method once as a batch sized to take about
/// <see cref="BatchTarget"/>, in the same order, so drift on a shared machine hits them alike; the result per
/// method is the median time per call over the rounds, and the bytes one call allocates after warm-up.
/// </summary>
public static class InterleavedTimer
{
    private static readonly TimeSpan BatchTarget = TimeSpan.FromMilliseconds(15);

    /// <summary>Median seconds per call and bytes allocated per call, for each method, in order.</summary>
    public static (double Seconds, double Bytes)[] Measure(IReadOnlyList<Action> methods, int rounds)
    {
        // Two warm-up passes: the JIT recompiles a method with optimizations (tier 1, with profile data) only once
        // it has been called 30 times after 100 ms without new compilations, on a background thread. In the first
        // pass the later methods are still being compiled, which postpones that for the earlier ones; by the end of
        // the second every method has had its 30 counted calls and time for the background compile.
        var calls = new int[methods.Count];
        for (int pass = 0; pass < 2; pass++)
        {
            for (int m = 0; m < methods.Count; m++)
            {
                calls[m] = CallsPerBatch(methods[m]);
            }
        }

        var samples = new double[methods.Count][];
        var bytes = new double[methods.Count];
        for (int m = 0; m < methods.Count; m++)
        {
            samples[m] = new double[rounds];
        }

        for (int r = 0; r < rounds; r++)
        {
            for (int m = 0; m < methods.Count; m++)
            {
                Action method = methods[m];
                long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
                long start = Stopwatch.GetTimestamp();
                for (int c = 0; c < calls[m]; c++)
                {
                    method();
                }

                long elapsed = Stopwatch.GetTimestamp() - start;
                long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
                samples[m][r] = (double)elapsed / Stopwatch.Frequency / calls[m];
                bytes[m] = r == 0 ? (double)allocated / calls[m] : Math.Min(bytes[m], (double)allocated / calls[m]);
            }
        }

        var results = new (double, double)[methods.Count];
        for (int m = 0; m < methods.Count; m++)
        {
            Array.Sort(samples[m]);
            results[m] = (samples[m][rounds / 2], bytes[m]);
        }

        return results;
    }

    /// <summary>Warms the method up (JIT tiers) and returns how many calls fill one batch.</summary>
    private static int CallsPerBatch(Action method)
    {
        var watch = Stopwatch.StartNew();
        int warmups = 0;
        // At least 200 ms, not a few dozen calls, so microsecond methods reach their 30 counted calls too.
        while (warmups < 3 || watch.Elapsed < TimeSpan.FromMilliseconds(200))
        {
            method();
            warmups++;
        }

        double perCall = watch.Elapsed.TotalSeconds / warmups;
        return Math.Max(1, (int)(BatchTarget.TotalSeconds / perCall));
    }
}
