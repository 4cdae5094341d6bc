using System;
using System.Linq;
using BenchmarkDotNet.Attributes;

namespace Autodiff.Benchmarks;

/// <summary>
/// Higher order: a Hessian-vector product of extended Rosenbrock (forward over reverse, and reverse over forward;
/// one call each) against its gradient (reverse, one call) and its primal.
/// </summary>
[MemoryDiagnoser]
public class WidthHessianBenchmarks
{
    private double[] x = null!;
    private double[] v = null!;
    private double[] gradient = null!;
    private double[] hv = null!;

    [Params(1_000, 100_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        x = Enumerable.Range(0, N).Select(i => 0.5 + 0.3 * Math.Sin(i)).ToArray();
        v = Enumerable.Range(0, N).Select(i => Math.Cos(0.7 * i)).ToArray();
        gradient = new double[N];
        hv = new double[N];
    }

    [Benchmark(Baseline = true)]
    public double Primal() => WidthObjectives.Rosenbrock(x);

    [Benchmark]
    public void Gradient()
    {
        Array.Clear(gradient);
        WidthObjectives.RosenbrockGradient(x, gradient, 1.0);
    }

    [Benchmark]
    public void HessianVectorProductReverseOverForward()
    {
        Array.Clear(hv);
        WidthObjectives.RosenbrockHvp(x, hv, v, 1.0);
    }

    [Benchmark]
    public void HessianVectorProductForwardOverReverse()
    {
        Array.Clear(gradient);
        WidthObjectives.RosenbrockHvpForwardOverReverse(x, v, gradient, hv);
    }
}
