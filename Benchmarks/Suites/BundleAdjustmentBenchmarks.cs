using Autodiff.Benchmarks.Workloads;
using BenchmarkDotNet.Attributes;

namespace Autodiff.Benchmarks.Suites;

/// <summary>
/// Bundle adjustment: the residuals, the woven sparse Jacobian (per-observation reverse calls), the hand-written one,
/// and finite differences over a strided subset of columns.
/// </summary>
public class BundleAdjustmentBenchmarks : WorkloadBenchmarks
{
    [Params("test", "ba1_n49_m7776_p31843")]
    public string Case { get; set; } = "";

    protected override Workload Create() => new BaWorkload(Case, $"ba/{Case}.txt");
}
