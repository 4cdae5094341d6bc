using Autodiff.Benchmarks.Data;
using NUnit.Framework;

namespace Autodiff.Tests.Benchmarks;

/// <summary>Our readers of ADBench's file formats (docs/FileFormat.md) against the sizes and values in the files.</summary>
public sealed class AdbenchLoaderTests
{
    [Test]
    public void GmmFileGivesSizesParametersPointsAndPrior()
    {
        var input = GmmInput.Load(AdbenchDirectory.File("gmm/test.txt"));

        Assert.Multiple(() =>
        {
            Assert.That((input.D, input.K, input.N), Is.EqualTo((2, 3, 1)));
            Assert.That(input.Alphas, Is.EqualTo(new[] { -0.649014, 1.181166, -0.758453 }));
            Assert.That(input.Means, Has.Length.EqualTo(6));
            Assert.That(input.Icf, Has.Length.EqualTo(9));
            Assert.That(input.X, Is.EqualTo(new[] { 1.175171, 2.029160 }));
            Assert.That((input.WishartGamma, input.WishartM), Is.EqualTo((1.0, 0)));
            Assert.That(input.ParameterCount, Is.EqualTo(18));
        });
    }

    [Test]
    public void GmmPackingLaysOutAlphasThenMeansThenIcf()
    {
        var input = GmmInput.Load(AdbenchDirectory.File("gmm/test.txt"));
        double[] packed = input.PackParameters();
        var alphas = new double[input.K];
        var means = new double[input.K * input.D];
        var icf = new double[input.K * input.IcfSize];

        input.UnpackParameters(packed, alphas, means, icf);

        Assert.Multiple(() =>
        {
            Assert.That(packed[3], Is.EqualTo(0.092339));
            Assert.That(packed[9], Is.EqualTo(0.586443));
            Assert.That((alphas, means, icf), Is.EqualTo((input.Alphas, input.Means, input.Icf)));
        });
    }

    [Test]
    public void ThousandPointGmmFileHoldsEveryPoint()
    {
        var input = GmmInput.Load(AdbenchDirectory.File("gmm/1k/gmm_d10_K25.txt"));

        Assert.That((input.D, input.K, input.N, input.X.Length, input.ParameterCount), Is.EqualTo((10, 25, 1000, 10_000, 1650)));
    }

    [Test]
    public void LstmFileGivesDiagonalWeightsStateAndSequence()
    {
        var input = LstmInput.Load(AdbenchDirectory.File("lstm/lstm_l2_c1024.txt"));

        Assert.Multiple(() =>
        {
            Assert.That((input.L, input.C, input.B), Is.EqualTo((2, 1024, 14)));
            Assert.That(input.MainParams, Has.Length.EqualTo(2 * 2 * 4 * 14));
            Assert.That(input.ExtraParams, Has.Length.EqualTo(3 * 14));
            Assert.That(input.State, Has.Length.EqualTo(2 * 2 * 14));
            Assert.That(input.Sequence, Has.Length.EqualTo(1024 * 14));
            Assert.That(input.MainParams[0], Is.EqualTo(0.7477620204927391));
            Assert.That(input.ParameterCount, Is.EqualTo(266));
        });
    }

    [Test]
    public void BaFileReplicatesItsCameraPointWeightAndFeature()
    {
        var input = BaInput.Load(AdbenchDirectory.File("ba/test.txt"));

        Assert.Multiple(() =>
        {
            Assert.That((input.N, input.M, input.P), Is.EqualTo((2, 10, 10)));
            Assert.That(input.Cameras[BaInput.CameraSize + 6], Is.EqualTo(211.628116));
            Assert.That(input.Points[3 * 9 + 2], Is.EqualTo(1.403869));
            Assert.That(input.Weights, Is.All.EqualTo(0.417022));
            Assert.That(input.Features[2 * 7 + 1], Is.EqualTo(161.811929));
            Assert.That((input.Observations[2 * 7], input.Observations[2 * 7 + 1]), Is.EqualTo((7 % 2, 7 % 10)));
            Assert.That((input.ResidualCount, input.ParameterCount), Is.EqualTo((30, 62)));
        });
    }
}
