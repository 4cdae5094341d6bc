using Autodiff.Benchmarks.Workloads;
using BenchmarkDotNet.Attributes;

namespace Autodiff.Benchmarks.Suites;

/// <summary>
/// GMM gradient methods on ADBench's 1k-point inputs. The finite-difference methods compute a strided subset of
/// partials (see <see cref="Workload.SubsetPartials"/>); multiply by Partials / SubsetPartials for a whole gradient.
/// </summary>
[MemoryDiagnoser]
public class GmmBenchmarks
{
    private GmmWorkload workload = null!;

    [Params("gmm_d2_K5", "gmm_d10_K25", "gmm_d20_K10")]
    public string Case { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        workload = new GmmWorkload(Case, $"gmm/1k/{Case}.txt");
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
