using System;
using Autodiff.Benchmarks.Data;

namespace Autodiff.Benchmarks.Manual;

/// <summary>
/// The GMM objective's gradient written by hand from the formulas. With yₖ = Qₖ(x − μₖ) and
/// wₖ = softmaxₖ(mainₖ) per point: ∂/∂αₖ = Σᵢ wₖ − n·softmax(α)ₖ; ∂/∂μₖ = Σᵢ wₖ·Qₖᵀyₖ;
/// ∂/∂qₖⱼ = Σᵢ wₖ(1 − yⱼ·exp(qₖⱼ)·(x−μₖ)ⱼ) + γ²exp(2qₖⱼ) − m; ∂/∂Lₖ[j,i] = −Σᵢ wₖ·yⱼ·(x−μₖ)ᵢ + γ²Lₖ[j,i].
/// Scratch space is allocated once per instance, so <see cref="Evaluate"/> allocates nothing.
/// </summary>
public sealed class GmmGradient
{
    private readonly GmmInput input;
    private readonly double[] qDiags;
    private readonly double[] centered;
    private readonly double[] transformed;
    private readonly double[] mainTerm;

    public GmmGradient(GmmInput input)
    {
        this.input = input;
        qDiags = new double[input.K * input.D];
        centered = new double[input.K * input.D];
        transformed = new double[input.K * input.D];
        mainTerm = new double[input.K];
    }

    /// <summary>
    /// Writes the gradient (alphas, means, icf; length <see cref="GmmInput.ParameterCount"/>) at the given parameters
    /// into <paramref name="gradient"/> and returns the objective.
    /// </summary>
    public double Evaluate(double[] alphas, double[] means, double[] icf, double[] gradient)
    {
        int d = input.D;
        int k = input.K;
        int n = input.N;
        int icfSize = input.IcfSize;
        double[] x = input.X;
        Array.Clear(gradient);
        var gradAlphas = gradient.AsSpan(0, k);
        var gradMeans = gradient.AsSpan(k, k * d);
        var gradIcf = gradient.AsSpan(k + k * d, k * icfSize);

        double sumQsTotal = 0;
        for (int ik = 0; ik < k; ik++)
        {
            for (int id = 0; id < d; id++)
            {
                qDiags[ik * d + id] = Math.Exp(icf[ik * icfSize + id]);
                sumQsTotal += icf[ik * icfSize + id];
            }
        }

        double sumLogSumExp = 0;
        for (int ix = 0; ix < n; ix++)
        {
            double largest = double.NegativeInfinity;
            for (int ik = 0; ik < k; ik++)
            {
                int row = ik * d;
                double sumQ = 0;
                for (int id = 0; id < d; id++)
                {
                    centered[row + id] = x[ix * d + id] - means[row + id];
                    transformed[row + id] = qDiags[row + id] * centered[row + id];
                    sumQ += icf[ik * icfSize + id];
                }

                int lIndex = ik * icfSize + d;
                for (int i = 0; i < d; i++)
                {
                    for (int j = i + 1; j < d; j++)
                    {
                        transformed[row + j] += icf[lIndex] * centered[row + i];
                        lIndex++;
                    }
                }

                double squaredNorm = 0;
                for (int id = 0; id < d; id++)
                {
                    squaredNorm += transformed[row + id] * transformed[row + id];
                }

                mainTerm[ik] = alphas[ik] + sumQ - 0.5 * squaredNorm;
                largest = Math.Max(largest, mainTerm[ik]);
            }

            double sumExp = 0;
            for (int ik = 0; ik < k; ik++)
            {
                mainTerm[ik] = Math.Exp(mainTerm[ik] - largest);
                sumExp += mainTerm[ik];
            }

            sumLogSumExp += Math.Log(sumExp) + largest;
            for (int ik = 0; ik < k; ik++)
            {
                double weight = mainTerm[ik] / sumExp;
                int row = ik * d;
                int icfRow = ik * icfSize;
                gradAlphas[ik] += weight;
                for (int id = 0; id < d; id++)
                {
                    double y = transformed[row + id];
                    gradIcf[icfRow + id] += weight * (1 - y * qDiags[row + id] * centered[row + id]);
                    gradMeans[row + id] += weight * qDiags[row + id] * y;
                }

                int lIndex = icfRow + d;
                for (int i = 0; i < d; i++)
                {
                    double centeredI = centered[row + i];
                    double transposed = 0;
                    for (int j = i + 1; j < d; j++)
                    {
                        double y = transformed[row + j];
                        gradIcf[lIndex] -= weight * y * centeredI;
                        transposed += icf[lIndex] * y;
                        lIndex++;
                    }

                    gradMeans[row + i] += weight * transposed;
                }
            }
        }

        double largestAlpha = double.NegativeInfinity;
        for (int ik = 0; ik < k; ik++)
        {
            largestAlpha = Math.Max(largestAlpha, alphas[ik]);
        }

        double sumExpAlpha = 0;
        for (int ik = 0; ik < k; ik++)
        {
            sumExpAlpha += Math.Exp(alphas[ik] - largestAlpha);
        }

        double gammaSquared = input.WishartGamma * input.WishartGamma;
        double frobenius = 0;
        for (int ik = 0; ik < k; ik++)
        {
            gradAlphas[ik] -= n * Math.Exp(alphas[ik] - largestAlpha) / sumExpAlpha;
            for (int id = 0; id < d; id++)
            {
                double diagonal = qDiags[ik * d + id];
                frobenius += diagonal * diagonal;
                gradIcf[ik * icfSize + id] += gammaSquared * diagonal * diagonal - input.WishartM;
            }

            for (int il = d; il < icfSize; il++)
            {
                double entry = icf[ik * icfSize + il];
                frobenius += entry * entry;
                gradIcf[ik * icfSize + il] += gammaSquared * entry;
            }
        }

        double prior = 0.5 * gammaSquared * frobenius - input.WishartM * sumQsTotal;
        return input.Constant + sumLogSumExp - n * (Math.Log(sumExpAlpha) + largestAlpha) + prior;
    }
}
