using Autodiff.Benchmarks.Workloads;
using BenchmarkDotNet.Attributes;

namespace Autodiff.Benchmarks.Suites;

/// <summary>GMM gradients on ADBench's 1k-point inputs.</summary>
public class GmmBenchmarks : WorkloadBenchmarks
{
    [Params("gmm_d2_K5", "gmm_d10_K25", "gmm_d20_K10")]
    public string Case { get; set; } = "";

    protected override Workload Create() => new GmmWorkload(Case, $"gmm/1k/{Case}.txt");
}
