using System;
using MathNet.Numerics;

namespace Autodiff.Benchmarks.Data;

/// <summary>
/// A Gaussian mixture problem in ADBench's layout: d dimensions, k components, n points. The parameters are
/// <see cref="Alphas"/> (k log-weights), <see cref="Means"/> (k·d) and <see cref="Icf"/> (per component d log-diagonal
/// entries of the inverse covariance factor, then its strict lower triangle column by column); the data are
/// <see cref="X"/> (n·d) and the Wishart prior (γ, m).
/// </summary>
public sealed class GmmInput
{
    private GmmInput(int d, int k, int n, double[] alphas, double[] means, double[] icf, double[] x, double gamma, int m)
    {
        D = d;
        K = k;
        N = n;
        Alphas = alphas;
        Means = means;
        Icf = icf;
        X = x;
        WishartGamma = gamma;
        WishartM = m;
        Constant = ParameterFreeTerms(d, k, n, gamma, m);
    }

    public int D { get; }
    public int K { get; }
    public int N { get; }
    public double[] Alphas { get; }
    public double[] Means { get; }
    public double[] Icf { get; }
    public double[] X { get; }
    public double WishartGamma { get; }
    public int WishartM { get; }

    /// <summary>Entries of one component's inverse covariance factor: d(d+1)/2.</summary>
    public int IcfSize => D * (D + 1) / 2;

    /// <summary>Number of parameters of the gradient: alphas, then means, then icf.</summary>
    public int ParameterCount => K + K * D + K * IcfSize;

    /// <summary>
    /// The objective's terms that no parameter touches: −n·d/2·log 2π from the normal densities and −k·C from the
    /// Wishart normalization, C = n'·d·(log γ − ½ log 2) − log Γ_d(n'/2) with n' = d + m + 1 (ADBench's constant,
    /// multivariate log-gamma included). Computed once so the differentiated objective needs no special function.
    /// </summary>
    public double Constant { get; }

    /// <summary>Reads an ADBench GMM file (docs/FileFormat.md: "d k n", alphas, means, icf, n points, "γ m").</summary>
    public static GmmInput Load(string path)
    {
        var reader = new TokenReader(path);
        int d = reader.Int();
        int k = reader.Int();
        int n = reader.Int();
        double[] alphas = reader.Doubles(k);
        double[] means = reader.Doubles(k * d);
        double[] icf = reader.Doubles(k * (d * (d + 1) / 2));
        double[] x = reader.Doubles(n * d);
        double gamma = reader.Double();
        int m = reader.Int();
        return new GmmInput(d, k, n, alphas, means, icf, x, gamma, m);
    }

    /// <summary>The parameters packed as the gradient is laid out: alphas, means, icf.</summary>
    public double[] PackParameters()
    {
        var packed = new double[ParameterCount];
        Alphas.CopyTo(packed, 0);
        Means.CopyTo(packed, K);
        Icf.CopyTo(packed, K + K * D);
        return packed;
    }

    /// <summary>Splits a packed parameter vector into the three parameter arrays.</summary>
    public void UnpackParameters(ReadOnlySpan<double> packed, double[] alphas, double[] means, double[] icf)
    {
        packed.Slice(0, K).CopyTo(alphas);
        packed.Slice(K, K * D).CopyTo(means);
        packed.Slice(K + K * D, K * IcfSize).CopyTo(icf);
    }

    private static double ParameterFreeTerms(int d, int k, int n, double gamma, int m)
    {
        int degrees = d + m + 1;
        double logMultivariateGamma = 0.25 * d * (d - 1) * Math.Log(Math.PI);
        for (int j = 1; j <= d; j++)
        {
            logMultivariateGamma += SpecialFunctions.GammaLn(0.5 * degrees + 0.5 * (1 - j));
        }

        double wishartNormalizer = degrees * d * (Math.Log(gamma) - 0.5 * Math.Log(2)) - logMultivariateGamma;
        return -n * d * 0.5 * Math.Log(2 * Math.PI) - k * wishartNormalizer;
    }
}
