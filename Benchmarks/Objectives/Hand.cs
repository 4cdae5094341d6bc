using System;
using System.CodeDom.Compiler;

namespace Autodiff.Benchmarks.Objectives;

/// <summary>
/// ADBench's hand-tracking objective, simple form (Srajer et al. 2018 §5): θ gives a global rotation (angle-axis),
/// a global translation and 20 finger angles, placed in a 3×(bones+3) pose matrix; each bone's relative transform is
/// its base relative transform times the rotation Rz·Ry·Rx of its Euler angles (stored x, z, y), chained to absolutes
/// along the parents and multiplied by the inverse base absolute; a vertex is the weighted sum of its bones'
/// transforms of its rest position, then rotated and translated globally; the residual is measured − modelled.
/// Only the corresponding vertices are skinned (ADBench skins all; the residuals are the same). One method, no calls
/// to user methods; matrices are row-major 4×4 blocks of 16 in flat arrays.
/// </summary>
public static partial class Hand
{
    /// <summary>
    /// The width of <see cref="JacobianOfObjective"/>: seven calls cover θ's 26 entries. Widths 2 to 9 measured alike
    /// (lanes beyond a few spill registers; the primal share is small); from 13 up the derivative passes the JIT's
    /// size limits (AD2520) and runs unoptimized, several times slower.
    /// </summary>
    public const int JacobianWidth = 4;

    /// <summary>
    /// Writes 3 residuals per correspondence into <paramref name="residuals"/>. The last four arrays are scratch
    /// the caller owns: pose (3·(bones+3)), relatives, absolutes and transforms (16·bones each). The source generator
    /// declares the woven Jacobian, a forward derivative of width <see cref="JacobianWidth"/>: one tangent array
    /// per direction for θ, the residuals and each scratch array (DESIGN §1.1).
    /// </summary>
    [Autodiff(nameof(JacobianOfObjective), Mode.Forward,
        Activity.Dual, Activity.Const, Activity.Const, Activity.Const, Activity.Const, Activity.Const, Activity.Const,
        Activity.Const, Activity.Const, Activity.Const, Activity.Dual, Activity.Dual, Activity.Dual, Activity.Dual, Activity.Dual,
        Width = JacobianWidth)]
    public static void Objective(
        double[] theta, int boneCount, int[] parents, double[] baseRelatives, double[] inverseBaseAbsolutes,
        double[] basePositions, double[] weights, int vertexCount, int[] correspondences, double[] points,
        double[] residuals, double[] pose, double[] relatives, double[] absolutes, double[] transforms)
    {
        for (int i = 0; i < 3 * (boneCount + 3); i++)
        {
            pose[i] = 0;
        }

        for (int r = 0; r < 3; r++)
        {
            pose[r] = theta[r];
            pose[3 + r] = 1;
            pose[6 + r] = theta[3 + r];
        }

        // Per finger: the first joint bends and spreads (two angles), the next two bend; the fourth bone is fixed.
        int thetaIndex = 6;
        int column = 5;
        for (int finger = 0; finger < 5; finger++)
        {
            for (int joint = 2; joint <= 4; joint++)
            {
                pose[3 * column] = theta[thetaIndex];
                thetaIndex++;
                if (joint == 2)
                {
                    pose[3 * column + 1] = theta[thetaIndex];
                    thetaIndex++;
                }

                column++;
            }

            column++;
        }

        for (int b = 0; b < boneCount; b++)
        {
            int angles = 3 * (b + 3);
            double cx = Math.Cos(pose[angles]);
            double sx = Math.Sin(pose[angles]);
            double cz = Math.Cos(pose[angles + 1]);
            double sz = Math.Sin(pose[angles + 1]);
            double cy = Math.Cos(pose[angles + 2]);
            double sy = Math.Sin(pose[angles + 2]);
            double r00 = cz * cy;
            double r01 = -sz * cx + cz * sy * sx;
            double r02 = sz * sx + cz * sy * cx;
            double r10 = sz * cy;
            double r11 = cz * cx + sz * sy * sx;
            double r12 = -cz * sx + sz * sy * cx;
            double r20 = -sy;
            double r21 = cy * sx;
            double r22 = cy * cx;
            int m = 16 * b;
            for (int i = 0; i < 4; i++)
            {
                double a0 = baseRelatives[m + 4 * i];
                double a1 = baseRelatives[m + 4 * i + 1];
                double a2 = baseRelatives[m + 4 * i + 2];
                relatives[m + 4 * i] = a0 * r00 + a1 * r10 + a2 * r20;
                relatives[m + 4 * i + 1] = a0 * r01 + a1 * r11 + a2 * r21;
                relatives[m + 4 * i + 2] = a0 * r02 + a1 * r12 + a2 * r22;
                relatives[m + 4 * i + 3] = baseRelatives[m + 4 * i + 3];
            }
        }

        for (int b = 0; b < boneCount; b++)
        {
            int m = 16 * b;
            if (parents[b] == -1)
            {
                for (int e = 0; e < 16; e++)
                {
                    absolutes[m + e] = relatives[m + e];
                }
            }
            else
            {
                int p = 16 * parents[b];
                for (int i = 0; i < 4; i++)
                {
                    for (int j = 0; j < 4; j++)
                    {
                        double sum = 0;
                        for (int k = 0; k < 4; k++)
                        {
                            sum += absolutes[p + 4 * i + k] * relatives[m + 4 * k + j];
                        }

                        absolutes[m + 4 * i + j] = sum;
                    }
                }
            }

            for (int i = 0; i < 4; i++)
            {
                for (int j = 0; j < 4; j++)
                {
                    double sum = 0;
                    for (int k = 0; k < 4; k++)
                    {
                        sum += absolutes[m + 4 * i + k] * inverseBaseAbsolutes[m + 4 * k + j];
                    }

                    transforms[m + 4 * i + j] = sum;
                }
            }
        }

        // The global rotation: Rodrigues' formula, the identity below a tiny angle; columns scaled by pose column 1.
        double g00 = 1;
        double g01 = 0;
        double g02 = 0;
        double g10 = 0;
        double g11 = 1;
        double g12 = 0;
        double g20 = 0;
        double g21 = 0;
        double g22 = 1;
        double norm = Math.Sqrt(pose[0] * pose[0] + pose[1] * pose[1] + pose[2] * pose[2]);
        if (norm >= 0.0001)
        {
            double x = pose[0] / norm;
            double y = pose[1] / norm;
            double z = pose[2] / norm;
            double s = Math.Sin(norm);
            double c = Math.Cos(norm);
            g00 = x * x + (1 - x * x) * c;
            g01 = x * y * (1 - c) - z * s;
            g02 = x * z * (1 - c) + y * s;
            g10 = x * y * (1 - c) + z * s;
            g11 = y * y + (1 - y * y) * c;
            g12 = y * z * (1 - c) - x * s;
            g20 = x * z * (1 - c) - y * s;
            g21 = z * y * (1 - c) + x * s;
            g22 = z * z + (1 - z * z) * c;
        }

        for (int i = 0; i < correspondences.Length; i++)
        {
            int v = correspondences[i];
            double px = basePositions[3 * v];
            double py = basePositions[3 * v + 1];
            double pz = basePositions[3 * v + 2];
            double q0 = 0;
            double q1 = 0;
            double q2 = 0;
            for (int b = 0; b < boneCount; b++)
            {
                double w = weights[b * vertexCount + v];
                int m = 16 * b;
                q0 += (transforms[m] * px + transforms[m + 1] * py + transforms[m + 2] * pz + transforms[m + 3]) * w;
                q1 += (transforms[m + 4] * px + transforms[m + 5] * py + transforms[m + 6] * pz + transforms[m + 7]) * w;
                q2 += (transforms[m + 8] * px + transforms[m + 9] * py + transforms[m + 10] * pz + transforms[m + 11]) * w;
            }

            double scale0 = pose[3];
            double scale1 = pose[4];
            double scale2 = pose[5];
            residuals[3 * i] = points[3 * i] - (g00 * scale0 * q0 + g01 * scale1 * q1 + g02 * scale2 * q2 + pose[6]);
            residuals[3 * i + 1] = points[3 * i + 1] - (g10 * scale0 * q0 + g11 * scale1 * q1 + g12 * scale2 * q2 + pose[7]);
            residuals[3 * i + 2] = points[3 * i + 2] - (g20 * scale0 * q0 + g21 * scale1 * q1 + g22 * scale2 * q2 + pose[8]);
        }
    }
}
