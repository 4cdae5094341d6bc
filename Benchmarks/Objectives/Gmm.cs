using System;
using System.CodeDom.Compiler;

namespace Autodiff.Benchmarks.Objectives;

/// <summary>
/// ADBench's Gaussian mixture objective (src/cpp/shared/gmm.h, Srajer et al. 2018 §3), its quirks included:
/// E = constant + Σᵢ logsumexpₖ(αₖ + Σⱼ qₖⱼ − ½‖Qₖ(xᵢ − μₖ)‖²) − n·logsumexp(α)
///     + Σₖ (½γ²(‖exp qₖ‖² + ‖Lₖ‖²) − m·Σⱼ qₖⱼ),
/// with Qₖ = diag(exp qₖ) + Lₖ (strictly lower, stored column by column after the d log-diagonal entries).
/// One method with no calls to other user methods, so that the weaver can differentiate it whole.
/// </summary>
public static class Gmm
{
    /// <summary>
    /// The objective. <paramref name="constant"/> is <see cref="Data.GmmInput.Constant"/>. The last five arrays are
    /// scratch space the caller owns (qDiags k·d, sumQs k, xCentered d, qxCentered d, mainTerm k), so a call
    /// allocates nothing.
    /// </summary>
    [Autodiff(nameof(GradientOfObjective), Mode.Reverse,
        Activity.Const, Activity.Const, Activity.Const, Activity.Duplicated, Activity.Duplicated, Activity.Duplicated, Activity.Const,
        Activity.Const, Activity.Const, Activity.Const,
        Activity.Duplicated, Activity.Duplicated, Activity.Duplicated, Activity.Duplicated, Activity.Duplicated, Activity.Active)]
    public static double Objective(
        int d, int k, int n, double[] alphas, double[] means, double[] icf, double[] x,
        double wishartGamma, int wishartM, double constant,
        double[] qDiags, double[] sumQs, double[] xCentered, double[] qxCentered, double[] mainTerm)
    {
        int icfSize = d * (d + 1) / 2;
        for (int ik = 0; ik < k; ik++)
        {
            double sum = 0;
            for (int id = 0; id < d; id++)
            {
                double q = icf[ik * icfSize + id];
                sum += q;
                qDiags[ik * d + id] = Math.Exp(q);
            }

            sumQs[ik] = sum;
        }

        double sumLogSumExp = 0;
        for (int ix = 0; ix < n; ix++)
        {
            double largest = double.NegativeInfinity;
            for (int ik = 0; ik < k; ik++)
            {
                for (int id = 0; id < d; id++)
                {
                    xCentered[id] = x[ix * d + id] - means[ik * d + id];
                    qxCentered[id] = qDiags[ik * d + id] * xCentered[id];
                }

                int lIndex = ik * icfSize + d;
                for (int i = 0; i < d; i++)
                {
                    for (int j = i + 1; j < d; j++)
                    {
                        qxCentered[j] += icf[lIndex] * xCentered[i];
                        lIndex++;
                    }
                }

                double squaredNorm = 0;
                for (int id = 0; id < d; id++)
                {
                    squaredNorm += qxCentered[id] * qxCentered[id];
                }

                double term = alphas[ik] + sumQs[ik] - 0.5 * squaredNorm;
                mainTerm[ik] = term;
                if (term > largest)
                {
                    largest = term;
                }
            }

            double sumExp = 0;
            for (int ik = 0; ik < k; ik++)
            {
                sumExp += Math.Exp(mainTerm[ik] - largest);
            }

            sumLogSumExp += Math.Log(sumExp) + largest;
        }

        double largestAlpha = double.NegativeInfinity;
        for (int ik = 0; ik < k; ik++)
        {
            if (alphas[ik] > largestAlpha)
            {
                largestAlpha = alphas[ik];
            }
        }

        double sumExpAlpha = 0;
        for (int ik = 0; ik < k; ik++)
        {
            sumExpAlpha += Math.Exp(alphas[ik] - largestAlpha);
        }

        double logSumExpAlphas = Math.Log(sumExpAlpha) + largestAlpha;

        double prior = 0;
        for (int ik = 0; ik < k; ik++)
        {
            double frobenius = 0;
            for (int id = 0; id < d; id++)
            {
                frobenius += qDiags[ik * d + id] * qDiags[ik * d + id];
            }

            for (int il = d; il < icfSize; il++)
            {
                double entry = icf[ik * icfSize + il];
                frobenius += entry * entry;
            }

            prior += 0.5 * wishartGamma * wishartGamma * frobenius - wishartM * sumQs[ik];
        }

        return constant + sumLogSumExp - n * logSumExpAlphas + prior;
    }

    /// <summary>
    /// Woven reverse derivative: returns the objective and adds seed·∂E/∂(alphas, means, icf) into their shadows.
    /// The scratch arrays hold active values, so they are Duplicated too: their shadows are scratch for adjoints.
    /// </summary>
    [GeneratedCode("Autodiff", "1")]
    public static extern double GradientOfObjective(
        int d, int k, int n, double[] alphas, double[] dAlphas, double[] means, double[] dMeans, double[] icf, double[] dIcf,
        double[] x, double wishartGamma, int wishartM, double constant,
        double[] qDiags, double[] dQDiags, double[] sumQs, double[] dSumQs, double[] xCentered, double[] dXCentered,
        double[] qxCentered, double[] dQxCentered, double[] mainTerm, double[] dMainTerm, double seed);
}
