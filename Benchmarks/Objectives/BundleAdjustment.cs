using System;
using System.CodeDom.Compiler;
using System.Runtime.CompilerServices;

namespace Autodiff.Benchmarks.Objectives;

/// <summary>
/// ADBench's bundle adjustment residuals (src/cpp/shared/ba.h, Srajer et al. 2018 §4). For observation i with
/// camera c, point X, weight w and feature f: rotate X − C by the Rodrigues vector (first-order form when the
/// rotation is zero), project, distort radially with (k₁, k₂), scale by the focal length, shift by the principal
/// point; the residuals are w·(projection − f) and 1 − w².
/// </summary>
public static class BundleAdjustment
{
    /// <summary>Writes 2p reprojection residuals into <paramref name="reprojectionError"/> and p weight residuals into <paramref name="weightError"/>.</summary>
    public static void Objective(
        int p, double[] cameras, double[] points, double[] weights, int[] observations, double[] features,
        double[] reprojectionError, double[] weightError)
    {
        for (int i = 0; i < p; i++)
        {
            var (projected0, projected1) = Project(cameras, 11 * observations[2 * i], points, 3 * observations[2 * i + 1]);
            reprojectionError[2 * i] = weights[i] * (projected0 - features[2 * i]);
            reprojectionError[2 * i + 1] = weights[i] * (projected1 - features[2 * i + 1]);
        }

        for (int i = 0; i < p; i++)
        {
            weightError[i] = 1 - weights[i] * weights[i];
        }
    }

    /// <summary>
    /// One reprojection residual, coordinate 0 (x) or 1 (y) of observation-style inputs: camera block
    /// <paramref name="camera"/> (its index ·11) and point block <paramref name="point"/> (its index ·3). The same
    /// projection as <see cref="Objective"/>, one residual at a time, so that one reverse call yields one sparse
    /// Jacobian row (ADBench's per-observation reverse sweeps).
    /// </summary>
    [Autodiff(nameof(GradientOfReprojectionResidual), Mode.Reverse,
        Activity.Duplicated, Activity.Const, Activity.Duplicated, Activity.Const, Activity.Active, Activity.Const, Activity.Const,
        Activity.Active)]
    public static double ReprojectionResidual(
        double[] cameras, int camera, double[] points, int point, double weight, double feature, int coordinate)
    {
        var (projected0, projected1) = Project(cameras, camera, points, point);
        double projected = coordinate == 0 ? projected0 : projected1;
        return weight * (projected - feature);
    }

    /// <summary>
    /// Woven reverse derivative: the residual and ∂/∂weight, and seed·∂/∂(camera, point) added into the shadows'
    /// blocks at <paramref name="camera"/> and <paramref name="point"/>.
    /// </summary>
    [GeneratedCode("Autodiff", "1")]
    public static extern (double Value, double Weight) GradientOfReprojectionResidual(
        double[] cameras, double[] dCameras, int camera, double[] points, double[] dPoints, int point, double weight,
        double feature, int coordinate, double seed);

    /// <summary>
    /// The projection of point block <paramref name="point"/> (its index ·3) by camera block <paramref name="camera"/>
    /// (its index ·11), before the feature is subtracted. Both methods above call it; the weaver inlines it, since it
    /// returns a struct (docs/calls.md), and so does the JIT.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (double X, double Y) Project(double[] cameras, int camera, double[] points, int point)
    {
        double x0 = points[point] - cameras[camera + 3];
        double x1 = points[point + 1] - cameras[camera + 4];
        double x2 = points[point + 2] - cameras[camera + 5];
        double r0 = cameras[camera];
        double r1 = cameras[camera + 1];
        double r2 = cameras[camera + 2];
        double squaredAngle = r0 * r0 + r1 * r1 + r2 * r2;
        double rotated0;
        double rotated1;
        double rotated2;
        if (squaredAngle != 0)
        {
            double angle = Math.Sqrt(squaredAngle);
            double cos = Math.Cos(angle);
            double sin = Math.Sin(angle);
            double w0 = r0 / angle;
            double w1 = r1 / angle;
            double w2 = r2 / angle;
            double along = (w0 * x0 + w1 * x1 + w2 * x2) * (1 - cos);
            rotated0 = x0 * cos + (w1 * x2 - w2 * x1) * sin + w0 * along;
            rotated1 = x1 * cos + (w2 * x0 - w0 * x2) * sin + w1 * along;
            rotated2 = x2 * cos + (w0 * x1 - w1 * x0) * sin + w2 * along;
        }
        else
        {
            rotated0 = x0 + (r1 * x2 - r2 * x1);
            rotated1 = x1 + (r2 * x0 - r0 * x2);
            rotated2 = x2 + (r0 * x1 - r1 * x0);
        }

        double u = rotated0 / rotated2;
        double v = rotated1 / rotated2;
        double radiusSquared = u * u + v * v;
        double distortion = 1 + cameras[camera + 9] * radiusSquared + cameras[camera + 10] * radiusSquared * radiusSquared;
        return (u * distortion * cameras[camera + 6] + cameras[camera + 7], v * distortion * cameras[camera + 6] + cameras[camera + 8]);
    }
}
