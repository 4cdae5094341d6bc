using System;

namespace Autodiff.Benchmarks.FiniteDifferences;

/// <summary>
/// The plain central-difference loop: ∂f/∂xⱼ ≈ (f(x + heⱼ) − f(x − heⱼ)) / 2h with h = ε^⅓·max(1, |xⱼ|), which
/// balances truncation (O(h²)) against rounding (O(ε/h)); two evaluations of f per partial.
/// </summary>
public static class CentralDifferences
{
    private const double MachineEpsilon = 2.220446049250313e-16;

    /// <summary>The step for a coordinate of magnitude <paramref name="coordinate"/>.</summary>
    public static double Step(double coordinate) => Math.Cbrt(MachineEpsilon) * Math.Max(1, Math.Abs(coordinate));

    /// <summary>
    /// Writes ∂f/∂xⱼ into <paramref name="gradient"/>[j] for j = 0, stride, 2·stride, … (all of them when the stride is 1).
    /// <paramref name="x"/> is perturbed in place and restored.
    /// </summary>
    public static void Gradient(Func<double[], double> f, double[] x, double[] gradient, int stride)
    {
        for (int j = 0; j < x.Length; j += stride)
        {
            double saved = x[j];
            double h = Step(saved);
            x[j] = saved + h;
            double above = f(x);
            x[j] = saved - h;
            double below = f(x);
            x[j] = saved;
            gradient[j] = (above - below) / (2 * h);
        }
    }

    /// <summary>
    /// Writes column j of the Jacobian of the vector function <paramref name="f"/> (which fills its second argument)
    /// into <paramref name="columns"/>[j] for j = 0, stride, 2·stride, …; the two scratch vectors hold f's values.
    /// </summary>
    public static void Jacobian(
        Action<double[], double[]> f, double[] x, double[][] columns, int stride, double[] above, double[] below)
    {
        for (int j = 0; j < x.Length; j += stride)
        {
            double saved = x[j];
            double h = Step(saved);
            x[j] = saved + h;
            f(x, above);
            x[j] = saved - h;
            f(x, below);
            x[j] = saved;
            double[] column = columns[j];
            for (int r = 0; r < column.Length; r++)
            {
                column[r] = (above[r] - below[r]) / (2 * h);
            }
        }
    }
}
