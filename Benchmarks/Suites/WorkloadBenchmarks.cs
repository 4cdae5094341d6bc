using BenchmarkDotNet.Attributes;

namespace Autodiff.Benchmarks.Suites;

/// <summary>
/// The methods every suite compares on its <see cref="Workload"/>, the primal as the baseline. The finite-difference
/// methods compute a strided subset of partials (see <see cref="Workload.SubsetPartials"/>); multiply by
/// Partials / SubsetPartials for a whole gradient or Jacobian.
/// </summary>
[MemoryDiagnoser]
public abstract class WorkloadBenchmarks
{
    private Workload workload = null!;

    [GlobalSetup]
    public void Setup()
    {
        workload = Create();
        workload.Verify();
    }

    [Benchmark(Baseline = true)]
    public void Primal() => workload.Primal();

    [Benchmark]
    public void Woven() => workload.Woven!();

    [Benchmark]
    public void Manual() => workload.Manual!();

    [Benchmark]
    public void CentralDifferencesSubset() => workload.CentralSubset();

    [Benchmark]
    public void MathNetSubset() => workload.MathNetSubset!();

    /// <summary>The workload of the current parameters, loaded before anything is timed.</summary>
    protected abstract Workload Create();
}
