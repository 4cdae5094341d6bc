using Autodiff.Benchmarks.Workloads;
using BenchmarkDotNet.Attributes;

namespace Autodiff.Benchmarks.Suites;

/// <summary>LSTM gradients on ADBench's lstm_l2_c1024.</summary>
public class LstmBenchmarks : WorkloadBenchmarks
{
    [Params("lstm_l2_c1024")]
    public string Case { get; set; } = "";

    protected override Workload Create() => new LstmWorkload(Case, $"lstm/{Case}.txt");
}
