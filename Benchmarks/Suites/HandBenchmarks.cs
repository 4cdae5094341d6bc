using Autodiff.Benchmarks.Workloads;

namespace Autodiff.Benchmarks.Suites;

/// <summary>
/// Hand tracking (simple model, hand1_t26_c100): the residuals, the woven forward Jacobian (one call per θ entry),
/// the hand-written one, and finite differences of all 26 columns.
/// </summary>
public class HandBenchmarks : WorkloadBenchmarks
{
    protected override Workload Create() => new HandWorkload("hand_simple_small", "hand/simple_small/hand1_t26_c100.txt");
}
