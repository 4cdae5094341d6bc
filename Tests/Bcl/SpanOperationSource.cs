namespace Autodiff.Tests.Bcl;

/// <summary>The C# the span tests weave: AsSpan, Slice, Fill, Clear, CopyTo and ToArray on double[]/Span&lt;double&gt;, in both modes.</summary>
internal static class SpanOperationSource
{
    public const string Text = """
        using System;
        using System.CodeDom.Compiler;
        using Autodiff;

        public static class Spans
        {
            // a[1..3] ← v², then b[2..4] ← a[1..3] through spans; a₁a₃ (read before) + Σᵢ<₄ b[2+i]·b[i].
            [Autodiff(nameof(FWindows), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual, Activity.Dual)]
            [Autodiff(nameof(RWindows), Mode.Reverse, Activity.Duplicated, Activity.Duplicated, Activity.Active, Activity.Active)]
            public static double Windows(double[] a, double[] b, double v)
            {
                var s = a.AsSpan(1, 3);
                var w = s[0] * s[2];
                s.Fill(v * v);
                var t = b.AsSpan().Slice(2);
                s.CopyTo(t);
                var sum = w;
                for (var i = 0; i < t.Length; i++)
                    sum += t[i] * b[i];
                return sum;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FWindows(double[] a, double[] da, double[] b, double[] db, double v, double dv);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RWindows(double[] a, double[] da, double[] b, double[] db, double v, double seed);

            // A span parameter: x₀·x₁ (through a slice), then x[2..] ← k and its tail cleared; Σ xᵢ².
            [Autodiff(nameof(FParameter), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            [Autodiff(nameof(RParameter), Mode.Reverse, Activity.Duplicated, Activity.Active, Activity.Active)]
            public static double Parameter(Span<double> x, double k)
            {
                var head = x.Slice(0, 2);
                var total = head[0] * head[1];
                var tail = x.Slice(2);
                tail.Fill(k);
                var last = x.Slice(x.Length - 1);
                last.Clear();
                for (var i = 0; i < x.Length; i++)
                    total += x[i] * x[i];
                return total;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FParameter(Span<double> x, Span<double> dx, double k, double dk);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RParameter(Span<double> x, Span<double> dx, double k, double seed);

            public static double CallParameter(double[] x, double k) => Parameter(x, k);
            public static (double, double) CallFParameter(double[] x, double[] dx, double k, double dk) => FParameter(x, dx, k, dk);
            public static (double, double) CallRParameter(double[] x, double[] dx, double k) => RParameter(x, dx, k, 1.0);

            // ToArray of a window and a ReadOnlySpan over the whole array: a₁·a₂·a₀ + a₀ + 2·aₙ₋₁.
            [Autodiff(nameof(FCopies), Mode.Forward, Activity.Dual, Activity.Dual)]
            [Autodiff(nameof(RCopies), Mode.Reverse, Activity.Duplicated, Activity.Active)]
            public static double Copies(double[] a)
            {
                var copy = a.AsSpan(1, 2).ToArray();
                ReadOnlySpan<double> all = a;
                return copy[0] * copy[1] * a[0] + all[0] + 2 * all[all.Length - 1];
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FCopies(double[] a, double[] da);
            [GeneratedCode("Autodiff", "1")] public static extern double RCopies(double[] a, double[] da, double seed);
        }
        """;

    /// <summary>An index past a window's end (but inside its array).</summary>
    public const string Outside = """
        using System;
        using System.CodeDom.Compiler;
        using Autodiff;

        public static class Spans
        {
            [Autodiff(nameof(FOutside), Mode.Forward, Activity.Dual, Activity.Const, Activity.Dual)]
            public static double Outside(double[] a, int i) => a.AsSpan(1, 3)[i];

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FOutside(double[] a, double[] da, int i);
        }
        """;
}
