using System;
using System.CodeDom.Compiler;

namespace Autodiff.Samples.Jacobians;

/// <summary>
/// The functions of the sample and the derivatives the weaver fills: declared here as `extern` stubs, or — for
/// GradientOfRosenbrock, which nobody declares — declared by the source generator in this partial class.
/// </summary>
public static partial class Model
{
    /// <summary>
    /// Spherical to Cartesian coordinates, q = (r, θ, φ) ↦ p = (r sin θ cos φ, r sin θ sin φ, r cos θ).
    /// Its Jacobian's determinant is r² sin θ.
    /// </summary>
    [Autodiff(nameof(JacobianColumns), Mode.Forward, Activity.Dual, Activity.Dual, Width = 3)]
    [Autodiff(nameof(JacobianRow), Mode.Reverse, Activity.Duplicated, Activity.Duplicated)]
    public static void Cartesian(double[] q, double[] p)
    {
        double r = q[0], theta = q[1], phi = q[2];
        p[0] = r * Math.Sin(theta) * Math.Cos(phi);
        p[1] = r * Math.Sin(theta) * Math.Sin(phi);
        p[2] = r * Math.Cos(theta);
    }

    /// <summary>
    /// Vector mode, width 3: one call pushes three input directions dq_k through one primal sweep and writes
    /// the three output tangents dp_k = J·dq_k. With dq_k the unit vectors, dp_k is the Jacobian's column k.
    /// </summary>
    [GeneratedCode("Autodiff", "1")]
    public static extern void JacobianColumns(double[] q, double[] dq_0, double[] dq_1, double[] dq_2, double[] p, double[] dp_0, double[] dp_1, double[] dp_2);

    /// <summary>
    /// Reverse mode: adds dpᵀ·J into dq (callers zero it) and zeroes dp, the seed it consumes. With dp the unit
    /// vector e_i, dq becomes the Jacobian's row i.
    /// </summary>
    [GeneratedCode("Autodiff", "1")]
    public static extern void JacobianRow(double[] q, double[] dq, double[] p, double[] dp);

    /// <summary>e(x) = x0²·x1 + x1·x2³ + sin(x0·x2): a scalar function whose Hessian the sample computes.</summary>
    [Autodiff(nameof(GradientOfEnergy), Mode.Reverse, Activity.Duplicated, Activity.ActiveOnly)]
    public static double Energy(double[] x) => x[0] * x[0] * x[1] + x[1] * x[2] * x[2] * x[2] + Math.Sin(x[0] * x[2]);

    /// <summary>Reverse mode: adds seed·∇e(x) into <paramref name="gradient"/>.</summary>
    [GeneratedCode("Autodiff", "1")]
    public static extern void GradientOfEnergy(double[] x, double[] gradient, double seed);

    /// <summary>
    /// The gradient as a function writing its result, so that it can be differentiated again: forward over
    /// reverse. The weaver builds <see cref="GradientOfEnergy"/> first and differentiates its woven body.
    /// </summary>
    [Autodiff(nameof(HessianVectorProduct), Mode.Forward, Activity.Dual, Activity.Dual)]
    [Autodiff(nameof(HessianColumns), Mode.Forward, Activity.Dual, Activity.Dual, Width = 3)]
    public static void Gradient(double[] x, double[] gradient) => GradientOfEnergy(x, gradient, 1.0);

    /// <summary>Writes ∇e(x) into <paramref name="gradient"/> and H(x)·v into <paramref name="hv"/>.</summary>
    [GeneratedCode("Autodiff", "1")]
    public static extern void HessianVectorProduct(double[] x, double[] v, double[] gradient, double[] hv);

    /// <summary>Width 3: H(x)·v_k for three directions at once; with the unit vectors, the Hessian's columns.</summary>
    [GeneratedCode("Autodiff", "1")]
    public static extern void HessianColumns(double[] x, double[] v_0, double[] v_1, double[] v_2, double[] gradient, double[] column_0, double[] column_1, double[] column_2);

    /// <summary>
    /// Extended Rosenbrock, Σᵢ 100(xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)²: a loop, whose reverse derivative keeps tapes. The
    /// generator declares <c>void GradientOfRosenbrock(double[] x, double[] dx, double seed)</c> (adds seed·∇f into dx).
    /// </summary>
    [Autodiff(nameof(GradientOfRosenbrock), Mode.Reverse, Activity.Duplicated, Activity.ActiveOnly)]
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

    /// <summary>Forward over reverse through the loop: forward mode follows the gradient's tapes with tapes of tangents.</summary>
    [Autodiff(nameof(RosenbrockHessianColumns), Mode.Forward, Activity.Dual, Activity.Dual, Width = 4)]
    public static void RosenbrockGradient(double[] x, double[] gradient) => GradientOfRosenbrock(x, gradient, 1.0);

    /// <summary>Width 4: the four columns of the Hessian of a 4-variable Rosenbrock function from one call.</summary>
    [GeneratedCode("Autodiff", "1")]
    public static extern void RosenbrockHessianColumns(double[] x, double[] e_0, double[] e_1, double[] e_2, double[] e_3, double[] gradient, double[] column_0, double[] column_1, double[] column_2, double[] column_3);
}
