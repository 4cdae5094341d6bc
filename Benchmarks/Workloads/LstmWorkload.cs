using System;
using Autodiff.Benchmarks.Data;
using Autodiff.Benchmarks.FiniteDifferences;
using Autodiff.Benchmarks.Manual;
using Autodiff.Benchmarks.Objectives;

namespace Autodiff.Benchmarks.Workloads;

/// <summary>The LSTM loss and its gradient on one ADBench input, checked against ADBench's golden gradient.</summary>
public sealed class LstmWorkload : Workload
{
    private const int SubsetSize = 8;

    private readonly string relativePath;
    private readonly LstmInput input;
    private readonly LstmGradient manual;
    private readonly MathNetDifferences mathNet = new();
    private readonly double[] mainParams;
    private readonly double[] extraParams;
    private readonly double[] stateWork;
    private readonly double[] prediction;
    private readonly double[] packed;
    private readonly double[] gradient;
    private readonly double[] differences;
    private readonly double[][] shadows;
    private readonly int stride;
    private readonly Func<double[], double> packedObjective;

    public LstmWorkload(string name, string relativePath)
    {
        Name = name;
        this.relativePath = relativePath;
        input = LstmInput.Load(AdbenchDirectory.File(relativePath));
        manual = new LstmGradient(input);
        mainParams = (double[])input.MainParams.Clone();
        extraParams = (double[])input.ExtraParams.Clone();
        stateWork = new double[input.State.Length];
        prediction = new double[input.B];
        packed = new double[input.ParameterCount];
        mainParams.CopyTo(packed, 0);
        extraParams.CopyTo(packed, mainParams.Length);
        gradient = new double[input.ParameterCount];
        differences = new double[input.ParameterCount];
        stride = Math.Max(1, input.ParameterCount / SubsetSize);
        shadows = new[]
        {
            new double[mainParams.Length], new double[extraParams.Length], new double[stateWork.Length], new double[prediction.Length],
        };
        packedObjective = ObjectiveOfPacked;
        Primal = () => Evaluate();
        Manual = () => manual.Evaluate(mainParams, extraParams, gradient);
        Woven = () => EvaluateWoven();
        CentralSubset = () => CentralDifferences.Gradient(packedObjective, packed, differences, stride);
        MathNetSubset = () => mathNet.Partials(packedObjective, packed, differences, stride);
    }

    public override string Name { get; }

    public override long Partials => input.ParameterCount;

    public override long SubsetPartials => (input.ParameterCount + stride - 1) / stride;

    public override Action Primal { get; }

    public override Action? Manual { get; }

    public override Action? Woven { get; }

    public override Action CentralSubset { get; }

    public override Action? MathNetSubset { get; }

    /// <summary>The loss at the input's parameters.</summary>
    public double Evaluate() =>
        Lstm.Objective(input.L, input.C, input.B, mainParams, extraParams, input.State, input.Sequence, stateWork, prediction);

    /// <summary>The hand-written gradient (main, then extra parameters) and the loss it returned.</summary>
    public (double Value, double[] Gradient) ManualGradient()
    {
        var result = new double[input.ParameterCount];
        double value = manual.Evaluate(mainParams, extraParams, result);
        return (value, result);
    }

    /// <summary>The woven gradient (main, then extra parameters) and the loss it returned.</summary>
    public (double Value, double[] Gradient) WovenGradient()
    {
        double value = EvaluateWoven();
        var result = new double[input.ParameterCount];
        shadows[0].CopyTo(result, 0);
        shadows[1].CopyTo(result, mainParams.Length);
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
        var golden = GoldenValues.Load();
        var (value, exact) = ManualGradient();
        var (wovenValue, woven) = WovenGradient();
        Agreement.Require($"{Name} woven loss vs golden", Agreement.Rho(golden.Number(relativePath, "objective"), wovenValue), Agreement.Exact);
        Agreement.Require($"{Name} woven gradient vs golden", Agreement.WorstRho(golden.Vector(relativePath, "gradient"), woven), Agreement.Exact);
        Agreement.Require($"{Name} primal vs golden", Agreement.Rho(golden.Number(relativePath, "objective"), Evaluate()), Agreement.Exact);
        Agreement.Require($"{Name} manual objective vs golden", Agreement.Rho(golden.Number(relativePath, "objective"), value), Agreement.Exact);
        Agreement.Require($"{Name} manual gradient vs golden", Agreement.WorstRho(golden.Vector(relativePath, "gradient"), exact), Agreement.Exact);
        CentralSubset();
        Agreement.Require($"{Name} central differences vs manual", Agreement.WorstRho(exact, differences, stride), Agreement.FiniteDifference);
        mathNet.Partials(packedObjective, packed, differences, stride);
        Agreement.Require($"{Name} MathNet vs manual", Agreement.WorstRho(exact, differences, stride), Agreement.FiniteDifference);
        return $"primal, manual, woven = golden (ρ ≤ {Agreement.Exact:E0}); {SubsetPartials} FD partials ≈ manual (ρ ≤ {Agreement.FiniteDifference:E0})";
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

        return Lstm.GradientOfObjective(
            input.L, input.C, input.B, mainParams, shadows[0], extraParams, shadows[1], input.State, input.Sequence,
            stateWork, shadows[2], prediction, shadows[3], 1.0);
    }

    private double ObjectiveOfPacked(double[] parameters)
    {
        var localMain = parameters.AsSpan(0, mainParams.Length).ToArray();
        var localExtra = parameters.AsSpan(mainParams.Length).ToArray();
        return Lstm.Objective(input.L, input.C, input.B, localMain, localExtra, input.State, input.Sequence, stateWork, prediction);
    }
}
