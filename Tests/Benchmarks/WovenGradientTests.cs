using Autodiff.Benchmarks;
using Autodiff.Benchmarks.Data;
using Autodiff.Benchmarks.Objectives;
using Autodiff.Benchmarks.Workloads;
using NUnit.Framework;

namespace Autodiff.Tests.Benchmarks;

/// <summary>
/// The derivatives the weaver generated for the benchmark objectives (woven when Benchmarks is built), run as
/// compiled code against ADBench's golden values and the hand-written derivatives.
/// </summary>
public sealed class WovenGradientTests
{
    [Test]
    public void LstmGradientMatchesGolden()
    {
        const string Case = "lstm/lstm_l2_c1024.txt";
        var golden = GoldenValues.Load();

        var (value, gradient) = new LstmWorkload("lstm_l2_c1024", Case).WovenGradient();

        Assert.Multiple(() =>
        {
            Assert.That(Agreement.Rho(golden.Number(Case, "objective"), value), Is.LessThanOrEqualTo(Agreement.Exact));
            Assert.That(Agreement.WorstRho(golden.Vector(Case, "gradient"), gradient), Is.LessThanOrEqualTo(Agreement.Exact));
        });
    }

    [Test]
    public void GmmGradientMatchesGolden()
    {
        const string Case = "gmm/test.txt";
        var golden = GoldenValues.Load();

        var (value, gradient) = new GmmWorkload("gmm_test", Case).WovenGradient();

        Assert.Multiple(() =>
        {
            Assert.That(Agreement.Rho(golden.Number(Case, "objective"), value), Is.LessThanOrEqualTo(Agreement.Exact));
            Assert.That(Agreement.WorstRho(golden.Vector(Case, "gradient"), gradient), Is.LessThanOrEqualTo(Agreement.Exact));
        });
    }

    [TestCase(10)]
    [TestCase(1_000)]
    public void RosenbrockGradientAndTangentMatchManual(int n)
    {
        double[] x = Rosenbrock.StartingPoint(n);
        var tangent = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[i] += 0.01 * (i % 5);
            tangent[i] = 1.0 / (i + 1);
        }

        var manual = new double[n];
        var woven = new double[n];
        double value = Autodiff.Benchmarks.Manual.RosenbrockGradient.Evaluate(x, manual);
        var (manualValue, manualTangent) = Autodiff.Benchmarks.Manual.RosenbrockGradient.Directional(x, tangent);

        double wovenValue = Rosenbrock.GradientOfObjective(x, woven, 2.0);
        var (tangentValue, wovenTangent) = Rosenbrock.TangentOfObjective(x, tangent);

        Assert.Multiple(() =>
        {
            Assert.That(Agreement.Rho(value, wovenValue), Is.LessThanOrEqualTo(Agreement.Exact));
            for (int i = 0; i < n; i++)
            {
                Assert.That(Agreement.Rho(2 * manual[i], woven[i]), Is.LessThanOrEqualTo(Agreement.Exact));
            }

            Assert.That(Agreement.Rho(manualValue, tangentValue), Is.LessThanOrEqualTo(Agreement.Exact));
            Assert.That(Agreement.Rho(manualTangent, wovenTangent), Is.LessThanOrEqualTo(Agreement.Exact));
        });
    }
}
