namespace Autodiff.Tests.Calls;

/// <summary>
/// The C# the shadow-argument tests weave: calls receiving rows of jagged arrays (read and written), element
/// addresses (<c>ref a[i]</c>, <c>ref m[i, j]</c>), arrays the function allocates itself, a span parameter and span
/// windows of an array, each passed with its shadow.
/// </summary>
internal static class ShadowArgumentSource
{
    public const string Text = """
        using System;
        using System.CodeDom.Compiler;
        using Autodiff;

        public static class Shadows
        {
            private static double Dot(double[] u, double[] v)
            {
                var s = 0.0;
                for (var j = 0; j < u.Length; j++)
                    s += u[j] * v[j];
                return s;
            }

            // f = Σᵢ (aᵢ·x)²: each row of a goes to Dot with the row of da as its shadow.
            [Autodiff(nameof(RRows), Mode.Reverse, Activity.Duplicated, Activity.Duplicated, Activity.Active)]
            [Autodiff(nameof(FRows), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double Rows(double[][] a, double[] x)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    var d = Dot(a[i], x);
                    s += d * d;
                }
                return s;
            }

            [GeneratedCode("Autodiff", "1")] public static extern double RRows(double[][] a, double[][] da, double[] x, double[] dx, double seed);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FRows(double[][] a, double[][] da, double[] x, double[] dx);

            private static void ScaleRow(double[] row, double k)
            {
                for (var j = 0; j < row.Length; j++)
                    row[j] = k * row[j];
            }

            // Rows scaled in place by k, then f = Σ aᵢⱼ² = k²·Σ aᵢⱼ⁰² (the gradient is with respect to the inputs).
            [Autodiff(nameof(RScaledRows), Mode.Reverse, Activity.Duplicated, Activity.Active, Activity.Active)]
            [Autodiff(nameof(FScaledRows), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double ScaledRows(double[][] a, double k)
            {
                for (var i = 0; i < a.Length; i++)
                    ScaleRow(a[i], k);
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    for (var j = 0; j < a[i].Length; j++)
                        s += a[i][j] * a[i][j];
                }
                return s;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RScaledRows(double[][] a, double[][] da, double k, double seed);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FScaledRows(double[][] a, double[][] da, double k, double dk);

            private static void Bump(ref double v, double k) => v = k * Math.Sin(v);

            // aᵢ ← k·sin aᵢ through ref a[i], then f = Σ aᵢ² = k²·Σ sin² aᵢ.
            [Autodiff(nameof(RElements), Mode.Reverse, Activity.Duplicated, Activity.Active, Activity.Active)]
            [Autodiff(nameof(FElements), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double Elements(double[] a, double k)
            {
                for (var i = 0; i < a.Length; i++)
                    Bump(ref a[i], k);
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                    s += a[i] * a[i];
                return s;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RElements(double[] a, double[] da, double k, double seed);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FElements(double[] a, double[] da, double k, double dk);

            // m[i, 1] ← k·sin m[i, 1] through ref m[i, 1], then f = Σᵢ m[i, 0]·m[i, 1].
            [Autodiff(nameof(RMatrixElements), Mode.Reverse, Activity.Duplicated, Activity.Active, Activity.Active)]
            [Autodiff(nameof(FMatrixElements), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double MatrixElements(double[,] m, double k)
            {
                var s = 0.0;
                for (var i = 0; i < m.GetLength(0); i++)
                {
                    Bump(ref m[i, 1], k);
                    s += m[i, 0] * m[i, 1];
                }
                return s;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RMatrixElements(double[,] m, double[,] dm, double k, double seed);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FMatrixElements(double[,] m, double[,] dm, double k, double dk);

            private static void Fill(double[] t, double[] x, double k)
            {
                for (var i = 0; i < t.Length; i++)
                    t[i] = k * Math.Sin(x[i]);
            }

            private static double SumOfSquares(double[] t)
            {
                var s = 0.0;
                for (var i = 0; i < t.Length; i++)
                    s += t[i] * t[i];
                return s;
            }

            // An array the function allocates, filled by one callee and read by another: f = k²·Σ sin² xᵢ.
            [Autodiff(nameof(RAllocated), Mode.Reverse, Activity.Duplicated, Activity.Active, Activity.Active)]
            [Autodiff(nameof(FAllocated), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double Allocated(double[] x, double k)
            {
                var tmp = new double[x.Length];
                Fill(tmp, x, k);
                return SumOfSquares(tmp);
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RAllocated(double[] x, double[] dx, double k, double seed);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FAllocated(double[] x, double[] dx, double k, double dk);

            // One array allocated per iteration: f = Σᵣ₌₀² (k + r)²·Σ sin² xᵢ.
            [Autodiff(nameof(RAllocatedInLoop), Mode.Reverse, Activity.Duplicated, Activity.Active, Activity.Active)]
            [Autodiff(nameof(FAllocatedInLoop), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double AllocatedInLoop(double[] x, double k)
            {
                var s = 0.0;
                for (var r = 0; r < 3; r++)
                {
                    var tmp = new double[x.Length];
                    Fill(tmp, x, k + r);
                    s += SumOfSquares(tmp);
                }
                return s;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RAllocatedInLoop(double[] x, double[] dx, double k, double seed);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FAllocatedInLoop(double[] x, double[] dx, double k, double dk);

            private static double SpanSquares(ReadOnlySpan<double> v, double k)
            {
                var s = 0.0;
                for (var i = 0; i < v.Length; i++)
                    s += k * v[i] * v[i];
                return s;
            }

            private static void SpanSines(Span<double> v)
            {
                for (var i = 0; i < v.Length; i++)
                    v[i] = Math.Sin(v[i]);
            }

            // A span parameter passed on whole, with its shadow span: vᵢ ← sin vᵢ, then f = k·Σ sin² vᵢ.
            [Autodiff(nameof(RSpans), Mode.Reverse, Activity.Duplicated, Activity.Active, Activity.Active)]
            [Autodiff(nameof(FSpans), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double Spans(Span<double> v, double k)
            {
                SpanSines(v);
                return SpanSquares(v, k);
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RSpans(Span<double> v, Span<double> dv, double k, double seed);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FSpans(Span<double> v, Span<double> dv, double k, double dk);

            // Spans cannot go through reflection: the tests call these.
            public static double CallSpans(double[] v, double k) => Spans(v, k);
            public static (double, double) CallRSpans(double[] v, double[] dv, double k) => RSpans(v, dv, k, 1.0);
            public static (double, double) CallFSpans(double[] v, double[] dv, double k, double dk) => FSpans(v, dv, k, dk);

            // Windows on a Duplicated array passed to span helpers, with the same windows on its shadow: xᵢ ← sin xᵢ for
            // i ≥ 1, then f = k·(x₀² + x₁²) + 2k·Σ xᵢ² = 3k·x₀² + 3k·sin² x₁ + 2k·sin² x₂.
            [Autodiff(nameof(RWindows), Mode.Reverse, Activity.Duplicated, Activity.Active, Activity.Active)]
            [Autodiff(nameof(FWindows), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double Windows(double[] x, double k)
            {
                SpanSines(x.AsSpan(1));
                return SpanSquares(x.AsSpan(0, 2), k) + SpanSquares(x, 2 * k);
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RWindows(double[] x, double[] dx, double k, double seed);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FWindows(double[] x, double[] dx, double k, double dk);
        }
        """;
}
