using System;

namespace Autodiff.Benchmarks.Manual;

/// <summary>
/// The bundle-adjustment Jacobian by hand: for each observation, one forward pass through the projection and two
/// hand-written adjoint passes (one per image coordinate) through distortion, perspective division, the Rodrigues
/// rotation (or its first-order form at a zero angle) and the point's offset from the camera centre. Writes the same
/// sparse layout as the woven Jacobian: per reprojection row the camera's 11 partials, the point's 3 and the weight's,
/// then −2w per weight row.
/// </summary>
public static class BaJacobian
{
    /// <summary>Fills <paramref name="values"/> (15 per reprojection row, then one per weight row).</summary>
    public static void Evaluate(int p, double[] cameras, double[] points, double[] weights, int[] observations, double[] features, double[] values)
    {
        const int rowSize = 15;
        for (int i = 0; i < p; i++)
        {
            int cam = 11 * observations[2 * i];
            int pt = 3 * observations[2 * i + 1];
            var forward = new Projection(cameras, cam, points, pt);
            for (int coordinate = 0; coordinate < 2; coordinate++)
            {
                forward.Backward(coordinate, weights[i], features[2 * i + coordinate], values.AsSpan(rowSize * (2 * i + coordinate), rowSize));
            }
        }

        for (int i = 0; i < p; i++)
        {
            values[rowSize * 2 * p + i] = -2 * weights[i];
        }
    }

    /// <summary>The forward intermediates of one observation's projection, and its adjoint.</summary>
    private readonly struct Projection
    {
        private readonly double x0, x1, x2, r0, r1, r2, angle, cos, sin, w0, w1, w2, dot, cross0, cross1, cross2;
        private readonly double rotated0, rotated1, rotated2, u, v, radiusSquared, k1, k2, distortion, focal, principal0, principal1;
        private readonly bool rotates;

        public Projection(double[] cameras, int cam, double[] points, int pt)
        {
            x0 = points[pt] - cameras[cam + 3];
            x1 = points[pt + 1] - cameras[cam + 4];
            x2 = points[pt + 2] - cameras[cam + 5];
            r0 = cameras[cam];
            r1 = cameras[cam + 1];
            r2 = cameras[cam + 2];
            double squaredAngle = r0 * r0 + r1 * r1 + r2 * r2;
            rotates = squaredAngle != 0;
            if (rotates)
            {
                angle = Math.Sqrt(squaredAngle);
                cos = Math.Cos(angle);
                sin = Math.Sin(angle);
                w0 = r0 / angle;
                w1 = r1 / angle;
                w2 = r2 / angle;
                dot = w0 * x0 + w1 * x1 + w2 * x2;
                cross0 = w1 * x2 - w2 * x1;
                cross1 = w2 * x0 - w0 * x2;
                cross2 = w0 * x1 - w1 * x0;
                double along = dot * (1 - cos);
                rotated0 = x0 * cos + cross0 * sin + w0 * along;
                rotated1 = x1 * cos + cross1 * sin + w1 * along;
                rotated2 = x2 * cos + cross2 * sin + w2 * along;
            }
            else
            {
                angle = cos = sin = w0 = w1 = w2 = dot = 0;
                cross0 = r1 * x2 - r2 * x1;
                cross1 = r2 * x0 - r0 * x2;
                cross2 = r0 * x1 - r1 * x0;
                rotated0 = x0 + cross0;
                rotated1 = x1 + cross1;
                rotated2 = x2 + cross2;
            }

            u = rotated0 / rotated2;
            v = rotated1 / rotated2;
            radiusSquared = u * u + v * v;
            k1 = cameras[cam + 9];
            k2 = cameras[cam + 10];
            distortion = 1 + k1 * radiusSquared + k2 * radiusSquared * radiusSquared;
            focal = cameras[cam + 6];
            principal0 = cameras[cam + 7];
            principal1 = cameras[cam + 8];
        }

        /// <summary>
        /// The row of residual w·(projected_coordinate − feature): camera partials in row[0..10] (rotation, centre,
        /// focal, principal point, distortion), point partials in row[11..13], the weight's in row[14].
        /// </summary>
        public void Backward(int coordinate, double weight, double feature, Span<double> row)
        {
            row.Clear();
            double image = coordinate == 0 ? u : v;
            double projected = image * distortion * focal + (coordinate == 0 ? principal0 : principal1);
            row[14] = projected - feature;

            // residual = weight · (image · distortion · focal + principal − feature)
            double dImage = weight * distortion * focal;
            double dDistortion = weight * image * focal;
            row[6] = weight * image * distortion;
            row[coordinate == 0 ? 7 : 8] = weight;

            // distortion = 1 + k1·ρ + k2·ρ², ρ = u² + v²
            row[9] = dDistortion * radiusSquared;
            row[10] = dDistortion * radiusSquared * radiusSquared;
            double dRadius = dDistortion * (k1 + 2 * k2 * radiusSquared);
            double du = 2 * u * dRadius + (coordinate == 0 ? dImage : 0);
            double dv = 2 * v * dRadius + (coordinate == 1 ? dImage : 0);

            // u = R₀/R₂, v = R₁/R₂
            double dR0 = du / rotated2;
            double dR1 = dv / rotated2;
            double dR2 = -(du * u + dv * v) / rotated2;

            double dx0, dx1, dx2, dr0, dr1, dr2;
            if (rotates)
            {
                // R = x·cos + (w × x)·sin + w·(w·x)(1 − cos)
                double along = dot * (1 - cos);
                double dCos = dR0 * x0 + dR1 * x1 + dR2 * x2;
                double dSin = dR0 * cross0 + dR1 * cross1 + dR2 * cross2;
                double dAlong = dR0 * w0 + dR1 * w1 + dR2 * w2;
                double dDot = dAlong * (1 - cos);
                dCos -= dAlong * dot;
                double dCross0 = dR0 * sin, dCross1 = dR1 * sin, dCross2 = dR2 * sin;
                dx0 = dR0 * cos + dDot * w0 + dCross1 * w2 - dCross2 * w1;
                dx1 = dR1 * cos + dDot * w1 - dCross0 * w2 + dCross2 * w0;
                dx2 = dR2 * cos + dDot * w2 + dCross0 * w1 - dCross1 * w0;
                double dw0 = dR0 * along + dDot * x0 - dCross1 * x2 + dCross2 * x1;
                double dw1 = dR1 * along + dDot * x1 + dCross0 * x2 - dCross2 * x0;
                double dw2 = dR2 * along + dDot * x2 - dCross0 * x1 + dCross1 * x0;

                // w = r/θ, cos = cos θ, sin = sin θ, θ = |r|
                double dAngle = -dCos * sin + dSin * cos - (dw0 * r0 + dw1 * r1 + dw2 * r2) / (angle * angle);
                dr0 = dw0 / angle + dAngle * r0 / angle;
                dr1 = dw1 / angle + dAngle * r1 / angle;
                dr2 = dw2 / angle + dAngle * r2 / angle;
            }
            else
            {
                // R = x + r × x
                dx0 = dR0 + dR1 * r2 - dR2 * r1;
                dx1 = dR1 - dR0 * r2 + dR2 * r0;
                dx2 = dR2 + dR0 * r1 - dR1 * r0;
                dr0 = -dR1 * x2 + dR2 * x1;
                dr1 = dR0 * x2 - dR2 * x0;
                dr2 = -dR0 * x1 + dR1 * x0;
            }

            row[0] = dr0;
            row[1] = dr1;
            row[2] = dr2;

            // x = X − C
            row[3] = -dx0;
            row[4] = -dx1;
            row[5] = -dx2;
            row[11] = dx0;
            row[12] = dx1;
            row[13] = dx2;
        }
    }
}
