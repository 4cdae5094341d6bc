using Autodiff.Benchmarks.Workloads;
using BenchmarkDotNet.Attributes;

namespace Autodiff.Benchmarks.Suites;

/// <summary>
/// Extended Rosenbrock: reverse gradients and forward JVPs. The finite-difference methods compute a strided subset
/// of partials; multiply by Partials / SubsetPartials for a whole gradient.
/// </summary>
[MemoryDiagnoser]
public class RosenbrockBenchmarks
{
    private RosenbrockWorkload workload = null!;

    [Params(10, 1_000, 100_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        workload = new RosenbrockWorkload(N);
        workload.Verify();
    }

    [Benchmark(Baseline = true)]
    public void Primal() => workload.Primal();

    [Benchmark]
    public void Woven() => workload.Woven!();

    [Benchmark]
    public void Manual() => workload.Manual!();

    [Benchmark]
    public void WovenTangent() => workload.WovenTangent();

    [Benchmark]
    public void ManualTangent() => workload.ManualTangent();

    [Benchmark]
    public void CentralDifferencesSubset() => workload.CentralSubset();

    [Benchmark]
    public void MathNetSubset() => workload.MathNetSubset!();
}
