using Autodiff.Benchmarks.Workloads;
using BenchmarkDotNet.Attributes;

namespace Autodiff.Benchmarks.Suites;

/// <summary>Extended Rosenbrock: reverse gradients, and forward JVPs against the hand-written JVP.</summary>
public class RosenbrockBenchmarks : WorkloadBenchmarks
{
    private RosenbrockWorkload workload = null!;

    [Params(10, 1_000, 100_000)]
    public int N { get; set; }

    [Benchmark]
    public void WovenTangent() => workload.WovenTangent();

    [Benchmark]
    public void ManualTangent() => workload.ManualTangent();

    protected override Workload Create() => workload = new RosenbrockWorkload(N);
}
