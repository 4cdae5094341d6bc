using System;
using Autodiff.Benchmarks.Data;
using Autodiff.Benchmarks.FiniteDifferences;
using Autodiff.Benchmarks.Manual;
using Autodiff.Benchmarks.Objectives;

namespace Autodiff.Benchmarks.Workloads;

/// <summary>The GMM objective and its gradient on one ADBench input.</summary>
public sealed class GmmWorkload : Workload
{
    private const int SubsetSize = 8;

    private readonly GmmInput input;
    private readonly GmmGradient manual;
    private readonly MathNetDifferences mathNet = new();
    private readonly double[] qDiags;
    private readonly double[] sumQs;
    private readonly double[] xCentered;
    private readonly double[] qxCentered;
    private readonly double[] mainTerm;
    private readonly double[] alphas;
    private readonly double[] means;
    private readonly double[] icf;
    private readonly double[] packed;
    private readonly double[] gradient;
    private readonly double[] differences;
    private readonly double[][] shadows;
    private readonly int stride;
    private readonly Func<double[], double> packedObjective;

    public GmmWorkload(string name, string relativePath)
    {
        Name = name;
        input = GmmInput.Load(AdbenchDirectory.File(relativePath));
        manual = new GmmGradient(input);
        qDiags = new double[input.K * input.D];
        sumQs = new double[input.K];
        xCentered = new double[input.D];
        qxCentered = new double[input.D];
        mainTerm = new double[input.K];
        alphas = (double[])input.Alphas.Clone();
        means = (double[])input.Means.Clone();
        icf = (double[])input.Icf.Clone();
        packed = input.PackParameters();
        gradient = new double[input.ParameterCount];
        differences = new double[input.ParameterCount];
        stride = Math.Max(1, input.ParameterCount / SubsetSize);
        shadows = new[]
        {
            new double[input.K], new double[input.K * input.D], new double[input.K * input.IcfSize],
            new double[qDiags.Length], new double[sumQs.Length], new double[xCentered.Length], new double[qxCentered.Length],
            new double[mainTerm.Length],
        };
        packedObjective = ObjectiveOfPacked;
        Primal = () => Evaluate();
        Manual = () => manual.Evaluate(alphas, means, icf, gradient);
        Woven = () => EvaluateWoven();
        CentralSubset = () => CentralDifferences.Gradient(packedObjective, packed, differences, stride);
        MathNetSubset = () => mathNet.Partials(packedObjective, packed, differences, stride);
    }

    public GmmInput Input => input;

    public override string Name { get; }

    public override long Partials => input.ParameterCount;

    public override long SubsetPartials => (input.ParameterCount + stride - 1) / stride;

    public override Action Primal { get; }

    public override Action? Manual { get; }

    public override Action? Woven { get; }

    public override Action CentralSubset { get; }

    public override Action? MathNetSubset { get; }

    /// <summary>The objective at the input's parameters.</summary>
    public double Evaluate() => Gmm.Objective(
        input.D, input.K, input.N, alphas, means, icf, input.X, input.WishartGamma, input.WishartM, input.Constant,
        qDiags, sumQs, xCentered, qxCentered, mainTerm);

    /// <summary>The hand-written gradient (alphas, means, icf) and the objective it returned.</summary>
    public (double Value, double[] Gradient) ManualGradient()
    {
        var result = new double[input.ParameterCount];
        double value = manual.Evaluate(alphas, means, icf, result);
        return (value, result);
    }

    /// <summary>The woven gradient (alphas, means, icf) and the objective it returned.</summary>
    public (double Value, double[] Gradient) WovenGradient()
    {
        double value = EvaluateWoven();
        var result = new double[input.ParameterCount];
        shadows[0].CopyTo(result, 0);
        shadows[1].CopyTo(result, input.K);
        shadows[2].CopyTo(result, input.K + input.K * input.D);
        return (value, result);
    }

    /// <summary>Central differences of every partial.</summary>
    public double[] CentralGradient()
    {
        var result = new double[input.ParameterCount];
        CentralDifferences.Gradient(packedObjective, (double[])packed.Clone(), result, 1);
        return result;
    }

    /// <summary>MathNet's NumericalJacobian of every partial.</summary>
    public double[] MathNetGradient() => mathNet.Gradient(packedObjective, (double[])packed.Clone());

    public override string Verify()
    {
        var (value, exact) = ManualGradient();
        var (wovenValue, woven) = WovenGradient();
        Agreement.Require($"{Name} manual objective vs primal", Agreement.Rho(Evaluate(), value), Agreement.Exact);
        Agreement.Require($"{Name} woven objective vs primal", Agreement.Rho(Evaluate(), wovenValue), Agreement.Exact);
        Agreement.Require($"{Name} woven gradient vs manual", Agreement.WorstRho(exact, woven), Agreement.Exact);
        CentralSubset();
        Agreement.Require($"{Name} central differences vs manual", Agreement.WorstRho(exact, differences, stride), Agreement.FiniteDifference);
        mathNet.Partials(packedObjective, packed, differences, stride);
        Agreement.Require($"{Name} MathNet vs manual", Agreement.WorstRho(exact, differences, stride), Agreement.FiniteDifference);
        return $"woven = manual, manual = primal (ρ ≤ {Agreement.Exact:E0}); {SubsetPartials} FD partials ≈ manual (ρ ≤ {Agreement.FiniteDifference:E0})";
    }

    /// <summary>
    /// One woven call as a caller makes it: shadows zeroed first, because reverse mode adds into them (DESIGN §1.1).
    /// </summary>
    private double EvaluateWoven()
    {
        foreach (double[] shadow in shadows)
        {
            Array.Clear(shadow);
        }

        return Gmm.GradientOfObjective(
            input.D, input.K, input.N, alphas, shadows[0], means, shadows[1], icf, shadows[2], input.X,
            input.WishartGamma, input.WishartM, input.Constant,
            qDiags, shadows[3], sumQs, shadows[4], xCentered, shadows[5], qxCentered, shadows[6], mainTerm, shadows[7], 1.0);
    }

    private double ObjectiveOfPacked(double[] parameters)
    {
        var localAlphas = new double[input.K];
        var localMeans = new double[input.K * input.D];
        var localIcf = new double[input.K * input.IcfSize];
        input.UnpackParameters(parameters, localAlphas, localMeans, localIcf);
        return Gmm.Objective(
            input.D, input.K, input.N, localAlphas, localMeans, localIcf, input.X, input.WishartGamma, input.WishartM,
            input.Constant, qDiags, sumQs, xCentered, qxCentered, mainTerm);
    }
}
