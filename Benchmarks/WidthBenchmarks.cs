using System;
using System.Linq;
using BenchmarkDotNet.Attributes;

namespace Autodiff.Benchmarks;

/// <summary>
/// Vector mode: one width-N forward call against N width-1 calls on <see cref="WidthObjectives.Waves"/>. A width-N
/// derivative runs the primal sweep (the loop, the Sin/Exp calls) once and only the tangent arithmetic N times.
/// </summary>
[MemoryDiagnoser]
public class WidthBenchmarks
{
    private double[] x = null!;
    private double[][] d = null!;

    [Params(1_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        x = Enumerable.Range(0, N).Select(i => Math.Sin(0.37 * i) + 0.1).ToArray();
        d = Enumerable.Range(0, 8).Select(k => Enumerable.Range(0, N).Select(i => Math.Cos(0.11 * i + k)).ToArray()).ToArray();
        var wide = WidthObjectives.Tangent8(x, d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]);
        if (wide.Item8 != WidthObjectives.Tangent1(x, d[7]) || WidthObjectives.Tangent4(x, d[0], d[1], d[2], d[3]).Item1 != WidthObjectives.Tangent1(x, d[0]))
            throw new InvalidOperationException("vector mode disagrees with width 1");
    }

    [Benchmark(Baseline = true)]
    public double Primal() => WidthObjectives.Waves(x);

    [Benchmark]
    public double Width1() => WidthObjectives.Tangent1(x, d[0]);

    [Benchmark]
    public double Width4() => WidthObjectives.Tangent4(x, d[0], d[1], d[2], d[3]).Item4;

    [Benchmark]
    public double Width1FourTimes() =>
        WidthObjectives.Tangent1(x, d[0]) + WidthObjectives.Tangent1(x, d[1]) + WidthObjectives.Tangent1(x, d[2]) + WidthObjectives.Tangent1(x, d[3]);

    [Benchmark]
    public double Width8() => WidthObjectives.Tangent8(x, d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]).Item8;

    [Benchmark]
    public double Width1EightTimes()
    {
        double sum = 0;
        for (var k = 0; k < 8; k++)
            sum += WidthObjectives.Tangent1(x, d[k]);
        return sum;
    }
}
