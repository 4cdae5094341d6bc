using Autodiff.Benchmarks;
using Autodiff.Benchmarks.Data;
using Autodiff.Benchmarks.Workloads;
using NUnit.Framework;

namespace Autodiff.Tests.Benchmarks;

/// <summary>The hand model loader, the hand objective and its Jacobians against ADBench's golden values.</summary>
public sealed class HandObjectiveTests
{
    private const string Case = "hand/test.txt";

    [Test]
    public void ModelAndInstanceLoad()
    {
        var input = HandInput.Load(AdbenchDirectory.File("hand/model"), AdbenchDirectory.File(Case));

        Assert.Multiple(() =>
        {
            Assert.That(input.BoneCount, Is.EqualTo(22));
            Assert.That((input.BoneNames[0], input.Parents[0], input.BoneNames[21], input.Parents[21]), Is.EqualTo(("wrist", -1, "forearm", 0)));
            Assert.That(input.BaseRelatives[16 + 7], Is.EqualTo(0.003628205507993698), "thumb1's translation y, row-major");
            Assert.That(input.BasePositions[0], Is.EqualTo(0.028303472325205803));
            Assert.That(input.Weights[2 * input.VertexCount + 0], Is.EqualTo(0.2707933843876052), "vertex 0, bone 2");
            Assert.That(input.Weights[5 * input.VertexCount + 1], Is.EqualTo(0.17208175966052439), "vertex 1, bone 5");
            Assert.That(input.Correspondences, Is.EqualTo(new[] { 309, 387 }));
            Assert.That(input.Theta, Has.Length.EqualTo(26));
            Assert.That(input.ResidualCount, Is.EqualTo(6));
        });
    }

    [Test]
    public void ResidualsMatchGolden()
    {
        double[] golden = GoldenValues.Load().Vector(Case, "objective");

        Assert.That(Agreement.WorstRho(golden, new HandWorkload("hand_test", Case).Residuals()), Is.LessThanOrEqualTo(Agreement.Exact));
    }

    [Test]
    public void WovenForwardJacobianMatchesGolden()
    {
        double[][] golden = HandWorkload.GoldenRows(GoldenValues.Load());

        Assert.That(HandWorkload.WorstRho(golden, new HandWorkload("hand_test", Case).WovenColumns()), Is.LessThanOrEqualTo(Agreement.Exact));
    }

    [Test]
    public void HandWrittenJacobianMatchesGolden()
    {
        double[][] golden = HandWorkload.GoldenRows(GoldenValues.Load());

        Assert.That(HandWorkload.WorstRho(golden, new HandWorkload("hand_test", Case).ManualColumns()), Is.LessThanOrEqualTo(Agreement.Exact));
    }

    [Test]
    public void EveryMethodPassesTheWorkloadChecks() =>
        Assert.That(new HandWorkload("hand_simple_small", "hand/simple_small/hand1_t26_c100.txt").Verify(), Does.Contain("woven = hand-written").And.Contain("MathNet differences ≈ woven"));

    [Test]
    public void CentralDifferenceJacobianMatchesGolden()
    {
        double[][] golden = HandWorkload.GoldenRows(GoldenValues.Load());

        Assert.That(HandWorkload.WorstRho(golden, new HandWorkload("hand_test", Case).CentralColumns()), Is.LessThanOrEqualTo(Agreement.FiniteDifference));
    }
}
