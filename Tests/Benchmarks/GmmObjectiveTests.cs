using Autodiff.Benchmarks;
using Autodiff.Benchmarks.Data;
using Autodiff.Benchmarks.Workloads;
using NUnit.Framework;

namespace Autodiff.Tests.Benchmarks;

/// <summary>The GMM objective and its hand-written gradient against ADBench's golden values, and finite differences.</summary>
public sealed class GmmObjectiveTests
{
    private const string Case = "gmm/test.txt";

    [Test]
    public void ObjectiveMatchesGolden()
    {
        var workload = new GmmWorkload("gmm_test", Case);

        Assert.That(Agreement.Rho(GoldenValues.Load().Number(Case, "objective"), workload.Evaluate()), Is.LessThanOrEqualTo(Agreement.Exact));
    }

    [Test]
    public void ManualGradientMatchesGolden()
    {
        var golden = GoldenValues.Load();
        var (value, gradient) = new GmmWorkload("gmm_test", Case).ManualGradient();

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
        var workload = new GmmWorkload("gmm_test", Case);

        Assert.Multiple(() =>
        {
            Assert.That(Agreement.WorstRho(golden, workload.CentralGradient()), Is.LessThanOrEqualTo(Agreement.FiniteDifference));
            Assert.That(Agreement.WorstRho(golden, workload.MathNetGradient()), Is.LessThanOrEqualTo(Agreement.FiniteDifference));
        });
    }

    [Test]
    public void ManualGradientMatchesCentralDifferencesWithPriorAndManyComponents()
    {
        var workload = new GmmWorkload("gmm_d2_K5", "gmm/1k/gmm_d2_K5.txt");
        var (value, gradient) = workload.ManualGradient();

        Assert.Multiple(() =>
        {
            Assert.That(Agreement.Rho(workload.Evaluate(), value), Is.LessThanOrEqualTo(Agreement.Exact));
            Assert.That(Agreement.WorstRho(workload.CentralGradient(), gradient), Is.LessThanOrEqualTo(Agreement.FiniteDifference));
        });
    }
}
