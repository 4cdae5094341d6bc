using System;
using System.Collections.Generic;
using Autodiff.Benchmarks.Data;

namespace Autodiff.Benchmarks.Manual;

/// <summary>
/// The hand-tracking Jacobian (300×26 for hand1_t26_c100) by hand, in one forward pass that carries, for each bone,
/// the derivatives of its transforms with respect to only the θ entries that move it: its own Euler angles and its
/// ancestors' (at most four per finger bone). With R = R_z·R_y·R_x affine in each (cos, sin) pair,
/// ∂R/∂angle = R(−sin, cos) − R(0, 0) for that pair; absolutes follow the product rule along the parents; the global
/// Rodrigues rotation G = c·I + (1 − c)·n·nᵀ + s·[n]× is differentiated by its three parameters; a residual is
/// measured − (G·q + t), so ∂/∂t = −I, ∂/∂rotation = −(∂G)·q and ∂/∂finger angle = −G·∂q.
/// </summary>
public sealed class HandJacobian
{
    private const int Angles = 3;

    private readonly HandInput input;
    private readonly int thetaCount;
    private readonly List<(int Theta, int Angle)>[] ownAngles;
    private readonly List<int>[] lanes;
    private readonly double[] rotation = new double[9];
    private readonly double[] rotationDerivative = new double[9];
    private readonly double[] relatives;
    private readonly double[] absolutes;
    private readonly double[] transforms;
    private readonly double[] relativeTangents;
    private readonly double[] absoluteTangents;
    private readonly double[] transformTangents;
    private readonly double[] global = new double[9];
    private readonly double[] globalTangents = new double[27];
    private readonly double[] vertexTangents;
    private readonly double[] angles = new double[Angles];

    public HandJacobian(HandInput input, int thetaCount)
    {
        this.input = input;
        this.thetaCount = thetaCount;
        int bones = input.BoneCount;
        ownAngles = new List<(int, int)>[bones];
        lanes = new List<int>[bones];
        for (int b = 0; b < bones; b++)
        {
            ownAngles[b] = new List<(int, int)>();
        }

        // The pose layout of Hand.Objective: per finger, joint 2 takes a bend (x) and a spread (z), joints 3 and 4 a bend.
        int thetaIndex = 6;
        int bone = 2;
        for (int finger = 0; finger < 5; finger++)
        {
            for (int joint = 2; joint <= 4; joint++)
            {
                ownAngles[bone].Add((thetaIndex++, 0));
                if (joint == 2)
                {
                    ownAngles[bone].Add((thetaIndex++, 1));
                }

                bone++;
            }

            bone++;
        }

        for (int b = 0; b < bones; b++)
        {
            lanes[b] = new List<int>(input.Parents[b] == -1 ? new List<int>() : lanes[input.Parents[b]]);
            foreach (var (theta, _) in ownAngles[b])
            {
                lanes[b].Add(theta);
            }
        }

        relatives = new double[16 * bones];
        absolutes = new double[16 * bones];
        transforms = new double[16 * bones];
        relativeTangents = new double[16 * bones * thetaCount];
        absoluteTangents = new double[16 * bones * thetaCount];
        transformTangents = new double[16 * bones * thetaCount];
        vertexTangents = new double[3 * thetaCount];
    }

    /// <summary>Writes column j (∂residuals/∂θⱼ) into <paramref name="columns"/>[j] for every j.</summary>
    public void Evaluate(double[] theta, double[][] columns)
    {
        int bones = input.BoneCount;
        for (int b = 0; b < bones; b++)
        {
            BoneRelative(theta, b);
        }

        for (int b = 0; b < bones; b++)
        {
            int m = 16 * b;
            int parent = input.Parents[b];
            if (parent == -1)
            {
                Array.Copy(relatives, m, absolutes, m, 16);
            }
            else
            {
                Multiply(absolutes, 16 * parent, relatives, m, absolutes, m);
            }

            Multiply(absolutes, m, input.InverseBaseAbsolutes, m, transforms, m);
            foreach (int lane in lanes[b])
            {
                int t = Tangent(b, lane);
                Array.Clear(absoluteTangents, t, 16);
                if (parent != -1 && lanes[parent].Contains(lane))
                {
                    // ∂(A_p·L_b) = ∂A_p·L_b for an ancestor's angle …
                    MultiplyAdd(absoluteTangents, Tangent(parent, lane), relatives, m, absoluteTangents, t);
                }
                else if (parent != -1)
                {
                    // … and A_p·∂L_b for the bone's own.
                    MultiplyAdd(absolutes, 16 * parent, relativeTangents, t, absoluteTangents, t);
                }
                else
                {
                    Array.Copy(relativeTangents, t, absoluteTangents, t, 16);
                }

                Array.Clear(transformTangents, t, 16);
                MultiplyAdd(absoluteTangents, t, input.InverseBaseAbsolutes, m, transformTangents, t);
            }
        }

        GlobalRotation(theta);
        foreach (double[] column in columns)
        {
            Array.Clear(column);
        }

        for (int i = 0; i < input.Correspondences.Length; i++)
        {
            Vertex(i, columns);
        }
    }

    /// <summary>Relative transform of bone b and its derivatives by the bone's own angles.</summary>
    private void BoneRelative(double[] theta, int b)
    {
        Array.Clear(angles);
        foreach (var (index, angle) in ownAngles[b])
        {
            angles[angle] = theta[index];
        }

        double cx = Math.Cos(angles[0]), sx = Math.Sin(angles[0]);
        double cz = Math.Cos(angles[1]), sz = Math.Sin(angles[1]);
        double cy = Math.Cos(angles[2]), sy = Math.Sin(angles[2]);
        int m = 16 * b;
        EulerRotation(cx, sx, cz, sz, cy, sy, rotation);
        Rotate(input.BaseRelatives, m, rotation, relatives, m, 1);
        foreach (var (index, angle) in ownAngles[b])
        {
            // R is affine in the angle's (cos, sin): ∂R = R(−sin, cos) − R(0, 0).
            if (angle == 0)
            {
                EulerRotation(-sx, cx, cz, sz, cy, sy, rotationDerivative);
                EulerRotation(0, 0, cz, sz, cy, sy, rotation);
            }
            else
            {
                EulerRotation(cx, sx, -sz, cz, cy, sy, rotationDerivative);
                EulerRotation(cx, sx, 0, 0, cy, sy, rotation);
            }

            for (int e = 0; e < 9; e++)
            {
                rotationDerivative[e] -= rotation[e];
            }

            Rotate(input.BaseRelatives, m, rotationDerivative, relativeTangents, Tangent(b, index), 0);
        }
    }

    /// <summary>Rz·Ry·Rx for angles stored (x, z, y), row-major, as Hand.Objective builds it.</summary>
    private static void EulerRotation(double cx, double sx, double cz, double sz, double cy, double sy, double[] r)
    {
        r[0] = cz * cy;
        r[1] = -sz * cx + cz * sy * sx;
        r[2] = sz * sx + cz * sy * cx;
        r[3] = sz * cy;
        r[4] = cz * cx + sz * sy * sx;
        r[5] = -cz * sx + sz * sy * cx;
        r[6] = -sy;
        r[7] = cy * sx;
        r[8] = cy * cx;
    }

    /// <summary>output = base·[[R, 0], [0, 1]] with the translation column scaled by <paramref name="translation"/> (0 for a derivative).</summary>
    private static void Rotate(double[] baseMatrix, int m, double[] r, double[] output, int o, double translation)
    {
        for (int i = 0; i < 4; i++)
        {
            double a0 = baseMatrix[m + 4 * i], a1 = baseMatrix[m + 4 * i + 1], a2 = baseMatrix[m + 4 * i + 2];
            output[o + 4 * i] = a0 * r[0] + a1 * r[3] + a2 * r[6];
            output[o + 4 * i + 1] = a0 * r[1] + a1 * r[4] + a2 * r[7];
            output[o + 4 * i + 2] = a0 * r[2] + a1 * r[5] + a2 * r[8];
            output[o + 4 * i + 3] = translation * baseMatrix[m + 4 * i + 3];
        }
    }

    private static void Multiply(double[] a, int ai, double[] b, int bi, double[] output, int o)
    {
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                double sum = 0;
                for (int k = 0; k < 4; k++)
                {
                    sum += a[ai + 4 * i + k] * b[bi + 4 * k + j];
                }

                output[o + 4 * i + j] = sum;
            }
        }
    }

    private static void MultiplyAdd(double[] a, int ai, double[] b, int bi, double[] output, int o)
    {
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                double sum = 0;
                for (int k = 0; k < 4; k++)
                {
                    sum += a[ai + 4 * i + k] * b[bi + 4 * k + j];
                }

                output[o + 4 * i + j] += sum;
            }
        }
    }

    /// <summary>G = c·I + (1 − c)·n·nᵀ + s·[n]× and ∂G/∂θᵣ (r = 0, 1, 2) into globalTangents[9r …]; the identity below 10⁻⁴.</summary>
    private void GlobalRotation(double[] theta)
    {
        Array.Clear(global);
        Array.Clear(globalTangents);
        global[0] = global[4] = global[8] = 1;
        double norm = Math.Sqrt(theta[0] * theta[0] + theta[1] * theta[1] + theta[2] * theta[2]);
        if (norm < 0.0001)
        {
            return;
        }

        Span<double> n = stackalloc double[] { theta[0] / norm, theta[1] / norm, theta[2] / norm };
        double s = Math.Sin(norm), c = Math.Cos(norm);
        Rodrigues(n, c, s, global);
        Span<double> dn = stackalloc double[3];
        for (int r = 0; r < 3; r++)
        {
            for (int i = 0; i < 3; i++)
            {
                dn[i] = ((i == r ? 1 : 0) - n[i] * n[r]) / norm;
            }

            double dc = -s * n[r];
            double ds = c * n[r];
            var tangent = globalTangents.AsSpan(9 * r, 9);
            for (int i = 0; i < 3; i++)
            {
                for (int j = 0; j < 3; j++)
                {
                    tangent[3 * i + j] = (i == j ? dc : 0) + (1 - c) * (dn[i] * n[j] + n[i] * dn[j]) - dc * n[i] * n[j];
                }
            }

            tangent[1] += -dn[2] * s - n[2] * ds;
            tangent[2] += dn[1] * s + n[1] * ds;
            tangent[3] += dn[2] * s + n[2] * ds;
            tangent[5] += -dn[0] * s - n[0] * ds;
            tangent[6] += -dn[1] * s - n[1] * ds;
            tangent[7] += dn[0] * s + n[0] * ds;
        }
    }

    private static void Rodrigues(ReadOnlySpan<double> n, double c, double s, double[] g)
    {
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                g[3 * i + j] = (i == j ? c : 0) + (1 - c) * n[i] * n[j];
            }
        }

        g[1] -= n[2] * s;
        g[2] += n[1] * s;
        g[3] += n[2] * s;
        g[5] -= n[0] * s;
        g[6] -= n[1] * s;
        g[7] += n[0] * s;
    }

    /// <summary>Rows 3i … 3i+2 of every column: the skinned vertex q and its derivatives by the finger angles.</summary>
    private void Vertex(int i, double[][] columns)
    {
        int v = input.Correspondences[i];
        double px = input.BasePositions[3 * v], py = input.BasePositions[3 * v + 1], pz = input.BasePositions[3 * v + 2];
        double q0 = 0, q1 = 0, q2 = 0;
        Array.Clear(vertexTangents);
        for (int b = 0; b < input.BoneCount; b++)
        {
            double w = input.Weights[b * input.VertexCount + v];
            int m = 16 * b;
            q0 += (transforms[m] * px + transforms[m + 1] * py + transforms[m + 2] * pz + transforms[m + 3]) * w;
            q1 += (transforms[m + 4] * px + transforms[m + 5] * py + transforms[m + 6] * pz + transforms[m + 7]) * w;
            q2 += (transforms[m + 8] * px + transforms[m + 9] * py + transforms[m + 10] * pz + transforms[m + 11]) * w;
            foreach (int lane in lanes[b])
            {
                int t = Tangent(b, lane);
                vertexTangents[3 * lane] += (transformTangents[t] * px + transformTangents[t + 1] * py + transformTangents[t + 2] * pz + transformTangents[t + 3]) * w;
                vertexTangents[3 * lane + 1] += (transformTangents[t + 4] * px + transformTangents[t + 5] * py + transformTangents[t + 6] * pz + transformTangents[t + 7]) * w;
                vertexTangents[3 * lane + 2] += (transformTangents[t + 8] * px + transformTangents[t + 9] * py + transformTangents[t + 10] * pz + transformTangents[t + 11]) * w;
            }
        }

        int row = 3 * i;
        for (int k = 0; k < 3; k++)
        {
            for (int r = 0; r < 3; r++)
            {
                columns[r][row + k] = -(globalTangents[9 * r + 3 * k] * q0 + globalTangents[9 * r + 3 * k + 1] * q1 + globalTangents[9 * r + 3 * k + 2] * q2);
            }

            columns[3 + k][row + k] = -1;
            for (int lane = 6; lane < thetaCount; lane++)
            {
                columns[lane][row + k] = -(global[3 * k] * vertexTangents[3 * lane] + global[3 * k + 1] * vertexTangents[3 * lane + 1] + global[3 * k + 2] * vertexTangents[3 * lane + 2]);
            }
        }
    }

    private int Tangent(int bone, int lane) => 16 * (bone * thetaCount + lane);
}
