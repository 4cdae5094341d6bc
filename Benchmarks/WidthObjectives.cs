using System;
using System.CodeDom.Compiler;

namespace Autodiff.Benchmarks;

/// <summary>
/// The functions the vector-mode and higher-order measurements differentiate: forward tangents of a loop over
/// transcendental terms at widths 1, 4 and 8, and extended Rosenbrock's gradient against its Hessian-vector
/// product (forward over reverse, and reverse over forward).
/// </summary>
public static class WidthObjectives
{
    /// <summary>f(x) = Σᵢ sin(xᵢ)·xᵢ₊₁ + exp(xᵢ/n): every term costs transcendental calls, which vector mode shares.</summary>
    [Autodiff(nameof(Tangent1), Mode.Forward, Activity.Dual, Activity.DualOnly)]
    [Autodiff(nameof(Tangent4), Mode.Forward, Activity.Dual, Activity.DualOnly, Width = 4)]
    [Autodiff(nameof(Tangent8), Mode.Forward, Activity.Dual, Activity.DualOnly, Width = 8)]
    public static double Waves(double[] x)
    {
        var n = x.Length;
        double sum = 0;
        for (var i = 0; i + 1 < n; i++)
            sum += Math.Sin(x[i]) * x[i + 1] + Math.Exp(x[i] / n);
        return sum;
    }

    [GeneratedCode("Autodiff", "1")]
    public static extern double Tangent1(double[] x, double[] dx);

    [GeneratedCode("Autodiff", "1")]
    public static extern (double, double, double, double) Tangent4(double[] x, double[] dx_0, double[] dx_1, double[] dx_2, double[] dx_3);

    [GeneratedCode("Autodiff", "1")]
    public static extern (double, double, double, double, double, double, double, double) Tangent8(
        double[] x, double[] dx_0, double[] dx_1, double[] dx_2, double[] dx_3, double[] dx_4, double[] dx_5, double[] dx_6, double[] dx_7);

    /// <summary>Extended Rosenbrock, Σᵢ 100(xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)².</summary>
    [Autodiff(nameof(RosenbrockGradient), Mode.Reverse, Activity.Duplicated, Activity.ActiveOnly)]
    [Autodiff(nameof(RosenbrockTangent), Mode.Forward, Activity.Dual, Activity.DualOnly)]
    public static double Rosenbrock(double[] x)
    {
        double sum = 0;
        for (var i = 0; i + 1 < x.Length; i++)
        {
            var a = x[i + 1] - x[i] * x[i];
            var b = 1 - x[i];
            sum += 100 * a * a + b * b;
        }
        return sum;
    }

    [GeneratedCode("Autodiff", "1")]
    public static extern void RosenbrockGradient(double[] x, double[] gradient, double seed);

    [GeneratedCode("Autodiff", "1")]
    public static extern double RosenbrockTangent(double[] x, double[] dx);

    /// <summary>The gradient written into an array, differentiated again in forward mode: its tangent along v is H·v (forward over reverse).</summary>
    [Autodiff(nameof(RosenbrockHvpForwardOverReverse), Mode.Forward, Activity.Dual, Activity.Dual)]
    public static void Gradient(double[] x, double[] gradient) => RosenbrockGradient(x, gradient, 1.0);

    /// <summary>Writes ∇f(x) into <paramref name="gradient"/> and H(x)·v into <paramref name="hv"/>.</summary>
    [GeneratedCode("Autodiff", "1")]
    public static extern void RosenbrockHvpForwardOverReverse(double[] x, double[] v, double[] gradient, double[] hv);

    /// <summary>∇f·v, differentiated again in reverse mode: its gradient in x is H·v (reverse over forward).</summary>
    [Autodiff(nameof(RosenbrockHvp), Mode.Reverse, Activity.Duplicated, Activity.Const, Activity.ActiveOnly)]
    public static double Directional(double[] x, double[] v) => RosenbrockTangent(x, v);

    /// <summary>Adds seed·H(x)·v into <paramref name="hv"/>.</summary>
    [GeneratedCode("Autodiff", "1")]
    public static extern void RosenbrockHvp(double[] x, double[] hv, double[] v, double seed);
}
