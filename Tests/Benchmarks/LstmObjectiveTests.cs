using Autodiff.Benchmarks;
using Autodiff.Benchmarks.Data;
using Autodiff.Benchmarks.Workloads;
using NUnit.Framework;

namespace Autodiff.Tests.Benchmarks;

/// <summary>The LSTM loss and its hand-written gradient against ADBench's golden values.</summary>
public sealed class LstmObjectiveTests
{
    private const string Case = "lstm/lstm_l2_c1024.txt";

    private static readonly LstmWorkload Workload = new("lstm_l2_c1024", Case);

    [Test]
    public void LossMatchesGoldenAndLeavesInitialStateUnchanged()
    {
        double[] stateBefore = LstmInput.Load(AdbenchDirectory.File(Case)).State;

        double first = Workload.Evaluate();
        double second = Workload.Evaluate();

        Assert.Multiple(() =>
        {
            Assert.That(Agreement.Rho(GoldenValues.Load().Number(Case, "objective"), first), Is.LessThanOrEqualTo(Agreement.Exact));
            Assert.That(second, Is.EqualTo(first));
            Assert.That(LstmInput.Load(AdbenchDirectory.File(Case)).State, Is.EqualTo(stateBefore));
        });
    }

    [Test]
    public void ManualGradientMatchesGolden()
    {
        var golden = GoldenValues.Load();
        var (value, gradient) = Workload.ManualGradient();

        Assert.Multiple(() =>
        {
            Assert.That(Agreement.Rho(golden.Number(Case, "objective"), value), Is.LessThanOrEqualTo(Agreement.Exact));
            Assert.That(Agreement.WorstRho(golden.Vector(Case, "gradient"), gradient), Is.LessThanOrEqualTo(Agreement.Exact));
        });
    }

    [Test]
    public void FiniteDifferencesMatchGoldenGradient()
    {
        double[] golden = GoldenValues.Load().Vector(Case, "gradient");

        Assert.That(Agreement.WorstRho(golden, Workload.CentralGradient()), Is.LessThanOrEqualTo(Agreement.FiniteDifference));
    }
}
