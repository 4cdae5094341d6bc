using Autodiff.Benchmarks.Workloads;
using BenchmarkDotNet.Attributes;

namespace Autodiff.Benchmarks.Suites;

/// <summary>
/// Hand tracking (simple model, hand1_t26_c100): the residuals, the woven forward Jacobian (one call per θ entry)
/// and the central-difference Jacobian (all 26 columns). No hand-written Jacobian exists yet.
/// </summary>
[MemoryDiagnoser]
public class HandBenchmarks
{
    private HandWorkload workload = null!;

    [GlobalSetup]
    public void Setup()
    {
        workload = new HandWorkload("hand_simple_small", "hand/simple_small/hand1_t26_c100.txt");
        workload.Verify();
    }

    [Benchmark(Baseline = true)]
    public void Primal() => workload.Primal();

    [Benchmark]
    public void Woven() => workload.Woven!();

    [Benchmark]
    public void CentralDifferences() => workload.CentralSubset();
}
