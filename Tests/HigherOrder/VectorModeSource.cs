namespace Autodiff.Tests.HigherOrder;

/// <summary>
/// The C# the vector-mode tests weave: each primal gets a width-1 derivative and a width-N one, in forward and
/// reverse mode, over scalars, arrays, spans, refs and structs.
/// </summary>
internal static class VectorModeSource
{
    public const string Text = """
        using System;
        using System.CodeDom.Compiler;
        using Autodiff;

        public struct Point
        {
            public double X;
            public double Y;
        }

        public static class Vector
        {
            // The seed example: width 4 on x².
            [Autodiff(nameof(SquareX4), Mode.Forward, Activity.Dual, Activity.DualOnly, Width = 4)]
            public static double Square(double x) => x * x;

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double, double, double) SquareX4(double x, double dx_0, double dx_1, double dx_2, double dx_3);

            // Scalars through calls and transcendental functions.
            private static double Bump(double x, double y) => Math.Exp(-x * x) * Math.Cos(y) + x * y;

            [Autodiff(nameof(ScalarF1), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            [Autodiff(nameof(ScalarF3), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual, Width = 3)]
            [Autodiff(nameof(ScalarR1), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
            [Autodiff(nameof(ScalarR2), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active, Width = 2)]
            public static double Scalar(double x, double y) => Bump(x, y) * Math.Sin(x) + Math.Log(1 + y * y);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) ScalarF1(double x, double dx, double y, double dy);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double, double, double) ScalarF3(double x, double dx_0, double dx_1, double dx_2, double y, double dy_0, double dy_1, double dy_2);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double, double) ScalarR1(double x, double y, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double, double, double, double) ScalarR2(double x, double y, double seed_0, double seed_1);

            // Arrays with a loop: y = A(x), two outputs written through a Dual/Duplicated array.
            [Autodiff(nameof(MapF1), Mode.Forward, Activity.Dual, Activity.Dual)]
            [Autodiff(nameof(MapF3), Mode.Forward, Activity.Dual, Activity.Dual, Width = 3)]
            [Autodiff(nameof(MapR1), Mode.Reverse, Activity.Duplicated, Activity.Duplicated)]
            [Autodiff(nameof(MapR2), Mode.Reverse, Activity.Duplicated, Activity.Duplicated, Width = 2)]
            public static void Map(double[] x, double[] y)
            {
                double sum = 0, product = 1;
                for (var i = 0; i < x.Length; i++)
                {
                    sum += x[i] * x[i];
                    product *= Math.Cos(x[i]);
                }
                y[0] = Math.Sqrt(sum);
                y[1] = product * x[0];
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern void MapF1(double[] x, double[] dx, double[] y, double[] dy);

            [GeneratedCode("Autodiff", "1")]
            public static extern void MapF3(double[] x, double[] dx_0, double[] dx_1, double[] dx_2, double[] y, double[] dy_0, double[] dy_1, double[] dy_2);

            [GeneratedCode("Autodiff", "1")]
            public static extern void MapR1(double[] x, double[] dx, double[] y, double[] dy);

            [GeneratedCode("Autodiff", "1")]
            public static extern void MapR2(double[] x, double[] dx_0, double[] dx_1, double[] y, double[] dy_0, double[] dy_1);

            // Spans.
            [Autodiff(nameof(DotF1), Mode.Forward, Activity.Dual, Activity.Dual, Activity.DualOnly)]
            [Autodiff(nameof(DotF2), Mode.Forward, Activity.Dual, Activity.Dual, Activity.DualOnly, Width = 2)]
            [Autodiff(nameof(DotR1), Mode.Reverse, Activity.Duplicated, Activity.Duplicated, Activity.ActiveOnly)]
            [Autodiff(nameof(DotR2), Mode.Reverse, Activity.Duplicated, Activity.Duplicated, Activity.ActiveOnly, Width = 2)]
            public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
            {
                double sum = 0;
                for (var i = 0; i < a.Length; i++)
                    sum += a[i] * Math.Tanh(b[i]);
                return sum;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern double DotF1(ReadOnlySpan<double> a, Span<double> da, ReadOnlySpan<double> b, Span<double> db);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) DotF2(ReadOnlySpan<double> a, Span<double> da_0, Span<double> da_1, ReadOnlySpan<double> b, Span<double> db_0, Span<double> db_1);

            [GeneratedCode("Autodiff", "1")]
            public static extern void DotR1(ReadOnlySpan<double> a, Span<double> da, ReadOnlySpan<double> b, Span<double> db, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern void DotR2(ReadOnlySpan<double> a, Span<double> da_0, Span<double> da_1, ReadOnlySpan<double> b, Span<double> db_0, Span<double> db_1, double seed_0, double seed_1);

            // Arrays through a helper: the helper's derivative has the caller's width (one call for all lanes).
            private static double SumOfSquares(double[] x)
            {
                double sum = 0;
                for (var i = 0; i < x.Length; i++)
                    sum += x[i] * x[i];
                return sum;
            }

            [Autodiff(nameof(CallF1), Mode.Forward, Activity.Dual, Activity.DualOnly)]
            [Autodiff(nameof(CallF8), Mode.Forward, Activity.Dual, Activity.DualOnly, Width = 8)]
            [Autodiff(nameof(CallR1), Mode.Reverse, Activity.Duplicated, Activity.ActiveOnly)]
            [Autodiff(nameof(CallR2), Mode.Reverse, Activity.Duplicated, Activity.ActiveOnly, Width = 2)]
            public static double ThroughCall(double[] x) => Math.Sin(SumOfSquares(x)) * x[0];

            [GeneratedCode("Autodiff", "1")]
            public static extern double CallF1(double[] x, double[] dx);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double, double, double, double, double, double, double) CallF8(double[] x, double[] dx_0, double[] dx_1, double[] dx_2, double[] dx_3, double[] dx_4, double[] dx_5, double[] dx_6, double[] dx_7);

            [GeneratedCode("Autodiff", "1")]
            public static extern void CallR1(double[] x, double[] dx, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern void CallR2(double[] x, double[] dx_0, double[] dx_1, double seed_0, double seed_1);

            // A scalar Active argument of a helper at width 8: the helper's reverse returns eight gradients, nested through Rest.
            private static double ScaledSquares(double[] x, double a)
            {
                double sum = 0;
                for (var i = 0; i < x.Length; i++)
                    sum += a * x[i] * x[i];
                return sum;
            }

            [Autodiff(nameof(ScaledR1), Mode.Reverse, Activity.Duplicated, Activity.Active, Activity.ActiveOnly)]
            [Autodiff(nameof(ScaledR8), Mode.Reverse, Activity.Duplicated, Activity.Active, Activity.ActiveOnly, Width = 8)]
            public static double ThroughScaled(double[] x, double a) => Math.Sin(ScaledSquares(x, a));

            [GeneratedCode("Autodiff", "1")]
            public static extern double ScaledR1(double[] x, double[] dx, double a, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double, double, double, double, double, double, double) ScaledR8(double[] x, double[] dx_0, double[] dx_1, double[] dx_2, double[] dx_3, double[] dx_4, double[] dx_5, double[] dx_6, double[] dx_7, double a, double seed_0, double seed_1, double seed_2, double seed_3, double seed_4, double seed_5, double seed_6, double seed_7);

            // Reflection cannot pass spans: the tests call these.
            public static (double, double) DotF2Host(double[] a, double[][] da, double[] b, double[][] db) => DotF2(a, da[0], da[1], b, db[0], db[1]);

            public static double DotF1Host(double[] a, double[] da, double[] b, double[] db) => DotF1(a, da, b, db);

            public static void DotR2Host(double[] a, double[][] ga, double[] b, double[][] gb, double seed0, double seed1) => DotR2(a, ga[0], ga[1], b, gb[0], gb[1], seed0, seed1);

            public static void DotR1Host(double[] a, double[] ga, double[] b, double[] gb, double seed) => DotR1(a, ga, b, gb, seed);

            // A ref output.
            [Autodiff(nameof(ScaleF1), Mode.Forward, Activity.Dual, Activity.Dual)]
            [Autodiff(nameof(ScaleF2), Mode.Forward, Activity.Dual, Activity.Dual, Width = 2)]
            [Autodiff(nameof(ScaleR1), Mode.Reverse, Activity.Active, Activity.Duplicated)]
            [Autodiff(nameof(ScaleR2), Mode.Reverse, Activity.Active, Activity.Duplicated, Width = 2)]
            public static void Scale(double k, ref double y) => y = Math.Sin(k * y) + k;

            [GeneratedCode("Autodiff", "1")]
            public static extern void ScaleF1(double k, double dk, ref double y, ref double dy);

            [GeneratedCode("Autodiff", "1")]
            public static extern void ScaleF2(double k, double dk_0, double dk_1, ref double y, ref double dy_0, ref double dy_1);

            [GeneratedCode("Autodiff", "1")]
            public static extern double ScaleR1(double k, ref double y, ref double dy);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) ScaleR2(double k, ref double y, ref double dy_0, ref double dy_1);

            // A struct value.
            [Autodiff(nameof(NormF1), Mode.Forward, Activity.Dual, Activity.DualOnly)]
            [Autodiff(nameof(NormF2), Mode.Forward, Activity.Dual, Activity.DualOnly, Width = 2)]
            [Autodiff(nameof(NormR1), Mode.Reverse, Activity.Active, Activity.ActiveOnly)]
            [Autodiff(nameof(NormR2), Mode.Reverse, Activity.Active, Activity.ActiveOnly, Width = 2)]
            public static double Norm(Point p) => Math.Sqrt(p.X * p.X + p.Y * p.Y) * Math.Atan2(p.Y, p.X);

            [GeneratedCode("Autodiff", "1")]
            public static extern double NormF1(Point p, Point dp);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) NormF2(Point p, Point dp_0, Point dp_1);

            [GeneratedCode("Autodiff", "1")]
            public static extern Point NormR1(Point p, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (Point, Point) NormR2(Point p, double seed_0, double seed_1);
        }
        """;
}
