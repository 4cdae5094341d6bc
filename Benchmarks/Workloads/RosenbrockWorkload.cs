using System;
using Autodiff.Benchmarks.FiniteDifferences;
using Autodiff.Benchmarks.Manual;
using Autodiff.Benchmarks.Objectives;

namespace Autodiff.Benchmarks.Workloads;

/// <summary>The extended Rosenbrock function of n variables at the standard start, its gradient and a JVP.</summary>
public sealed class RosenbrockWorkload : Workload
{
    private const int SubsetSize = 16;

    private readonly double[] x;
    private readonly double[] tangent;
    private readonly double[] gradient;
    private readonly double[] wovenGradient;
    private readonly double[] differences;
    private readonly int stride;
    private readonly MathNetDifferences mathNet = new();
    private readonly Func<double[], double> objective = Rosenbrock.Objective;

    public RosenbrockWorkload(int n)
    {
        Name = $"rosenbrock_n{n}";
        x = Rosenbrock.StartingPoint(n);
        tangent = new double[n];
        for (int i = 0; i < n; i++)
        {
            tangent[i] = 1.0 / (i + 1);
        }

        gradient = new double[n];
        wovenGradient = new double[n];
        differences = new double[n];
        stride = Math.Max(1, n / SubsetSize);
        Primal = () => Rosenbrock.Objective(x);
        Manual = () => RosenbrockGradient.Evaluate(x, gradient);
        ManualTangent = () => RosenbrockGradient.Directional(x, tangent);
        Woven = () => EvaluateWoven();
        WovenTangent = () => Rosenbrock.TangentOfObjective(x, tangent);
        CentralSubset = () => CentralDifferences.Gradient(objective, x, differences, stride);
        MathNetSubset = () => mathNet.Partials(objective, x, differences, stride);
    }

    public override string Name { get; }

    public override long Partials => x.Length;

    public override long SubsetPartials => (x.Length + stride - 1) / stride;

    public override Action Primal { get; }

    public override Action? Manual { get; }

    /// <summary>The hand-written forward directional derivative (JVP).</summary>
    public Action ManualTangent { get; }

    public override Action? Woven { get; }

    /// <summary>The woven forward directional derivative (JVP).</summary>
    public Action WovenTangent { get; }

    public override Action CentralSubset { get; }

    public override Action? MathNetSubset { get; }

    public override string Verify()
    {
        double expectedStart = x.Length / 2 * (100 * 0.44 * 0.44 + 2.2 * 2.2);
        double value = RosenbrockGradient.Evaluate(x, gradient);
        Agreement.Require($"{Name} primal vs closed form", Agreement.Rho(expectedStart, Rosenbrock.Objective(x)), Agreement.Exact);
        Agreement.Require($"{Name} manual objective vs closed form", Agreement.Rho(expectedStart, value), Agreement.Exact);
        double directional = 0;
        for (int i = 0; i < x.Length; i++)
        {
            directional += gradient[i] * tangent[i];
        }

        Agreement.Require($"{Name} JVP vs gradient·tangent", Agreement.Rho(directional, RosenbrockGradient.Directional(x, tangent).Tangent), Agreement.Exact);
        Agreement.Require($"{Name} woven objective vs closed form", Agreement.Rho(expectedStart, EvaluateWoven()), Agreement.Exact);
        Agreement.Require($"{Name} woven gradient vs manual", Agreement.WorstRho(gradient, wovenGradient), Agreement.Exact);
        var (tangentValue, wovenDirectional) = Rosenbrock.TangentOfObjective(x, tangent);
        Agreement.Require($"{Name} woven JVP value vs closed form", Agreement.Rho(expectedStart, tangentValue), Agreement.Exact);
        Agreement.Require($"{Name} woven JVP vs gradient·tangent", Agreement.Rho(directional, wovenDirectional), Agreement.Exact);
        CentralSubset();
        Agreement.Require($"{Name} central differences vs manual", Agreement.WorstRho(gradient, differences, stride), Agreement.FiniteDifference);
        mathNet.Partials(objective, x, differences, stride);
        Agreement.Require($"{Name} MathNet vs manual", Agreement.WorstRho(gradient, differences, stride), Agreement.FiniteDifference);
        return $"primal = closed form; woven = manual gradient; woven, manual JVP = ∇f·v (ρ ≤ {Agreement.Exact:E0}); {SubsetPartials} FD partials ≈ manual (ρ ≤ {Agreement.FiniteDifference:E0})";
    }

    /// <summary>One woven call as a caller makes it: the shadow zeroed first, because reverse mode adds into it.</summary>
    private double EvaluateWoven()
    {
        Array.Clear(wovenGradient);
        return Rosenbrock.GradientOfObjective(x, wovenGradient, 1.0);
    }
}
