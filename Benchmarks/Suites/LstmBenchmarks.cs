using Autodiff.Benchmarks.Workloads;
using BenchmarkDotNet.Attributes;

namespace Autodiff.Benchmarks.Suites;

/// <summary>
/// LSTM gradient methods on ADBench's lstm_l2_c1024. The finite-difference methods compute a strided subset of
/// partials (see <see cref="Workload.SubsetPartials"/>); multiply by Partials / SubsetPartials for a whole gradient.
/// </summary>
[MemoryDiagnoser]
public class LstmBenchmarks
{
    private LstmWorkload workload = null!;

    [Params("lstm_l2_c1024")]
    public string Case { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        workload = new LstmWorkload(Case, $"lstm/{Case}.txt");
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
}
