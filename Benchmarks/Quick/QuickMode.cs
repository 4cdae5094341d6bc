using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using Autodiff.Benchmarks.Workloads;

namespace Autodiff.Benchmarks.Quick;

/// <summary>
/// The quick mode: checks every method of every workload, then times them interleaved and prints one line per
/// workload. "gradient" is the woven derivative; where the weaver produced none, the line says so and gives the
/// manual one's ratio instead. Finite-difference times are extrapolated from a subset of partials to all of them.
/// </summary>
public static class QuickMode
{
    private const int Rounds = 11;

    /// <summary>The workloads of BENCHMARKS.md, in order, by name.</summary>
    public static IEnumerable<(string Name, Func<Workload> Create)> Workloads()
    {
        yield return ("gmm_d2_K5", () => new GmmWorkload("gmm_d2_K5", "gmm/1k/gmm_d2_K5.txt"));
        yield return ("gmm_d10_K25", () => new GmmWorkload("gmm_d10_K25", "gmm/1k/gmm_d10_K25.txt"));
        yield return ("gmm_d20_K10", () => new GmmWorkload("gmm_d20_K10", "gmm/1k/gmm_d20_K10.txt"));
        yield return ("lstm_l2_c1024", () => new LstmWorkload("lstm_l2_c1024", "lstm/lstm_l2_c1024.txt"));
        yield return ("ba_test", () => new BaWorkload("ba_test", "ba/test.txt"));
        yield return ("ba1", () => new BaWorkload("ba1", "ba/ba1_n49_m7776_p31843.txt"));
        yield return ("hand_simple_small", () => new HandWorkload("hand_simple_small", "hand/simple_small/hand1_t26_c100.txt"));
        yield return ("rosenbrock_n10", () => new RosenbrockWorkload(10));
        yield return ("rosenbrock_n1000", () => new RosenbrockWorkload(1_000));
        yield return ("rosenbrock_n100000", () => new RosenbrockWorkload(100_000));
    }

    /// <summary>
    /// Runs every workload, or those whose name contains one of <paramref name="only"/> when it is not empty;
    /// returns the process exit code (1 when a check failed).
    /// </summary>
    public static int Run(IReadOnlyCollection<string> only)
    {
        var total = Stopwatch.StartNew();
        Console.WriteLine($"# quick mode, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
        foreach (var (name, create) in Workloads())
        {
            if (only.Count > 0 && !only.Any(part => name.Contains(part, StringComparison.Ordinal)))
            {
                continue;
            }

            Workload workload = create();
            string checks;
            try
            {
                checks = workload.Verify();
            }
            catch (Exception failure)
            {
                // Any failure counts, a woven method that does not load (TypeLoadException) as much as a wrong value.
                Console.WriteLine($"{workload.Name}: CHECK FAILED: {failure.GetType().Name}: {failure.Message}");
                return 1;
            }

            Console.WriteLine(Line(workload));
            Console.WriteLine($"  checked: {checks}");
        }

        Console.WriteLine($"# total {total.Elapsed.TotalSeconds:F1} s");
        return 0;
    }

    private static string Line(Workload workload)
    {
        var methods = new List<Action> { workload.Primal, workload.CentralSubset };
        int manual = Add(methods, workload.Manual);
        int woven = Add(methods, workload.Woven);
        int mathNet = Add(methods, workload.MathNetSubset);
        var rosenbrock = workload as RosenbrockWorkload;
        int tangent = Add(methods, rosenbrock?.ManualTangent);
        int wovenTangent = Add(methods, rosenbrock?.WovenTangent);
        var results = InterleavedTimer.Measure(methods, Rounds);
        double primal = results[0].Seconds;
        double scale = (double)workload.Partials / workload.SubsetPartials;
        double central = results[1].Seconds * scale;
        int derivative = woven >= 0 ? woven : manual;
        var parts = new List<string>();
        parts.Add(woven >= 0 ? $"gradient/primal={Ratio(results[woven].Seconds, primal)}" : "gradient/primal=not-woven");
        parts.Add(woven < 0 ? "gradient/manual=not-woven"
            : manual < 0 ? "gradient/manual=no-manual"
            : $"gradient/manual={Ratio(results[woven].Seconds, results[manual].Seconds)}");
        if (manual >= 0)
        {
            parts.Add($"manual/primal={Ratio(results[manual].Seconds, primal)}");
        }

        if (wovenTangent >= 0)
        {
            parts.Add($"jvp/primal={Ratio(results[wovenTangent].Seconds, primal)}");
        }

        if (tangent >= 0)
        {
            parts.Add($"jvp-manual/primal={Ratio(results[tangent].Seconds, primal)}");
        }

        if (derivative >= 0)
        {
            string against = woven >= 0 ? "gradient" : "manual";
            parts.Add($"fd/{against}={Ratio(central, results[derivative].Seconds)}");
            if (mathNet >= 0)
            {
                parts.Add($"fd-mathnet/{against}={Ratio(results[mathNet].Seconds * scale, results[derivative].Seconds)}");
            }

            parts.Add($"alloc/call={results[derivative].Bytes.ToString("F0", CultureInfo.InvariantCulture)}B");
        }
        else
        {
            parts.Add($"fd/primal={Ratio(central, primal)}");
        }

        parts.Add($"primal={Milliseconds(primal)}");
        parts.Add($"n={workload.Partials}");
        return $"{workload.Name}: {string.Join(" ", parts)}";
    }

    private static int Add(List<Action> methods, Action? method)
    {
        if (method == null)
        {
            return -1;
        }

        methods.Add(method);
        return methods.Count - 1;
    }

    private static string Ratio(double numerator, double denominator) =>
        (numerator / denominator).ToString(numerator / denominator >= 100 ? "F0" : "F2", CultureInfo.InvariantCulture);

    private static string Milliseconds(double seconds) =>
        (seconds * 1e3).ToString("G4", CultureInfo.InvariantCulture) + "ms";
}
