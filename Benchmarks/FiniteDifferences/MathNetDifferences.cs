using System;
using MathNet.Numerics.Differentiation;

namespace Autodiff.Benchmarks.FiniteDifferences;

/// <summary>
/// Finite differences from MathNet.Numerics: <see cref="NumericalJacobian"/> for a full gradient, and
/// <see cref="NumericalDerivative"/> (3-point central, the same stencil) for a strided subset of partials when the
/// full gradient is too expensive to time and its cost is extrapolated. Jacobians of vector functions use
/// NumericalDerivative's stencil on each residual's values: MathNet's own Jacobian API takes one delegate per
/// residual, each re-evaluating the whole function (95,529 objective evaluations per column for ba1).
/// </summary>
public sealed class MathNetDifferences
{
    private readonly NumericalJacobian jacobian = new();
    private readonly NumericalDerivative derivative = new(3, 1);
    private readonly double[] stencil = new double[3];

    /// <summary>The whole gradient of <paramref name="f"/> at <paramref name="x"/>.</summary>
    public double[] Gradient(Func<double[], double> f, double[] x) => jacobian.Evaluate(f, x);

    /// <summary>Writes ∂f/∂xⱼ into <paramref name="gradient"/>[j] for j = 0, stride, 2·stride, ….</summary>
    public void Partials(Func<double[], double> f, double[] x, double[] gradient, int stride)
    {
        for (int j = 0; j < x.Length; j += stride)
        {
            gradient[j] = derivative.EvaluatePartialDerivative(f, x, j, 1);
        }
    }

    /// <summary>
    /// Writes column j of the Jacobian of <paramref name="f"/> (which fills its second argument) into
    /// <paramref name="columns"/>[j] for j = 0, stride, 2·stride, …: f at x − h, x and x + h (the step of
    /// <see cref="CentralDifferences.Step"/>), each residual differentiated by
    /// <see cref="NumericalDerivative.EvaluateDerivative(double[], int, double)"/>. <paramref name="x"/> is perturbed in place and restored.
    /// </summary>
    public void Jacobian(Action<double[], double[]> f, double[] x, double[][] columns, int stride, double[] below, double[] center, double[] above)
    {
        f(x, center);
        for (int j = 0; j < x.Length; j += stride)
        {
            double saved = x[j];
            double h = CentralDifferences.Step(saved);
            x[j] = saved + h;
            f(x, above);
            x[j] = saved - h;
            f(x, below);
            x[j] = saved;
            double[] column = columns[j];
            for (int r = 0; r < column.Length; r++)
            {
                stencil[0] = below[r];
                stencil[1] = center[r];
                stencil[2] = above[r];
                column[r] = derivative.EvaluateDerivative(stencil, 1, h);
            }
        }
    }
}
