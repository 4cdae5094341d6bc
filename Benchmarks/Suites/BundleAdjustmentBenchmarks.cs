using Autodiff.Benchmarks.Workloads;
using BenchmarkDotNet.Attributes;

namespace Autodiff.Benchmarks.Suites;

/// <summary>
/// Bundle adjustment: the residuals, the woven sparse Jacobian (per-observation reverse calls) and the
/// central-difference Jacobian over a strided subset of columns (multiply by Partials / SubsetPartials for the whole
/// Jacobian). No hand-written Jacobian exists yet.
/// </summary>
[MemoryDiagnoser]
public class BundleAdjustmentBenchmarks
{
    private BaWorkload workload = null!;

    [Params("test", "ba1_n49_m7776_p31843")]
    public string Case { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        workload = new BaWorkload(Case, $"ba/{Case}.txt");
        workload.Verify();
    }

    [Benchmark(Baseline = true)]
    public void Primal() => workload.Primal();

    [Benchmark]
    public void Woven() => workload.Woven!();

    [Benchmark]
    public void CentralDifferencesSubset() => workload.CentralSubset();
}
