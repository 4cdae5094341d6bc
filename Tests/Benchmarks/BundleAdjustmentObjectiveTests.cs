using Autodiff.Benchmarks;
using Autodiff.Benchmarks.Data;
using Autodiff.Benchmarks.Workloads;
using NUnit.Framework;

namespace Autodiff.Tests.Benchmarks;

/// <summary>Bundle adjustment residuals and the woven, hand-written and finite-difference Jacobians against ADBench's golden values.</summary>
public sealed class BundleAdjustmentObjectiveTests
{
    private const string Case = "ba/test.txt";

    [Test]
    public void ResidualsOfEveryObservationMatchGolden()
    {
        var golden = GoldenValues.Load();
        double[] reprojection = golden.Vector(Case, "reproj_err_every_observation");
        double weight = golden.Number(Case, "w_err_every_observation");
        var workload = new BaWorkload("ba_test", Case);

        double[] residuals = workload.Residuals();

        Assert.Multiple(() =>
        {
            for (int i = 0; i < workload.Input.P; i++)
            {
                Assert.That(Agreement.Rho(reprojection[0], residuals[2 * i]), Is.LessThanOrEqualTo(Agreement.Exact));
                Assert.That(Agreement.Rho(reprojection[1], residuals[2 * i + 1]), Is.LessThanOrEqualTo(Agreement.Exact));
                Assert.That(Agreement.Rho(weight, residuals[2 * workload.Input.P + i]), Is.LessThanOrEqualTo(Agreement.Exact));
            }
        });
    }

    [Test]
    public void WovenJacobianMatchesGolden()
    {
        double[,] jacobian = new BaWorkload("ba_test", Case).WovenJacobian();

        Assert.That(BaWorkload.WorstJacobianRho(GoldenValues.Load(), jacobian), Is.LessThanOrEqualTo(Agreement.Exact));
    }

    [Test]
    public void HandWrittenJacobianMatchesGolden()
    {
        double[,] jacobian = new BaWorkload("ba_test", Case).ManualJacobian();

        Assert.That(BaWorkload.WorstJacobianRho(GoldenValues.Load(), jacobian), Is.LessThanOrEqualTo(Agreement.Exact));
    }

    [Test]
    public void EveryMethodPassesTheWorkloadChecks() =>
        Assert.That(new BaWorkload("ba_test", Case).Verify(), Does.Contain("woven = hand-written").And.Contain("MathNet columns ≈ woven"));

    [Test]
    public void CentralDifferenceJacobianMatchesGolden()
    {
        double[,] jacobian = new BaWorkload("ba_test", Case).CentralJacobian();

        Assert.That(BaWorkload.WorstJacobianRho(GoldenValues.Load(), jacobian), Is.LessThanOrEqualTo(Agreement.FiniteDifference));
    }
}
