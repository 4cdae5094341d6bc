namespace Autodiff.Tests.Bcl;

/// <summary>The C# the List&lt;T&gt; tests weave: a Duplicated/Dual list read and written through its indexer and Count.</summary>
internal static class ListSource
{
    public const string Text = """
        using System;
        using System.CodeDom.Compiler;
        using System.Collections.Generic;
        using Autodiff;

        public static class Lists
        {
            // xs[0] ← xs[1]·v; then Σ xsᵢ².
            [Autodiff(nameof(FScaled), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            [Autodiff(nameof(RScaled), Mode.Reverse, Activity.Duplicated, Activity.Active, Activity.Active)]
            public static double Scaled(List<double> xs, double v)
            {
                xs[0] = xs[1] * v;
                var s = 0.0;
                for (var i = 0; i < xs.Count; i++)
                    s += xs[i] * xs[i];
                return s;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FScaled(List<double> xs, List<double> dxs, double v, double dv);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RScaled(List<double> xs, List<double> dxs, double v, double seed);

            // Σ sin(xsᵢ) over a List<float>.
            [Autodiff(nameof(RSines), Mode.Reverse, Activity.Duplicated, Activity.Active)]
            public static float Sines(List<float> xs)
            {
                var s = 0f;
                for (var i = 0; i < xs.Count; i++)
                    s += MathF.Sin(xs[i]);
                return s;
            }

            [GeneratedCode("Autodiff", "1")] public static extern float RSines(List<float> xs, List<float> dxs, float seed);

            // Appends v·xsᵢ for every i (growing past the capacity), then Σ xsᵢ²: Σ xᵢ²(1 + v²).
            [Autodiff(nameof(FAppended), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            [Autodiff(nameof(RAppended), Mode.Reverse, Activity.Duplicated, Activity.Active, Activity.Active)]
            [Autodiff(nameof(F2Appended), Mode.Forward, Activity.Dual, Activity.Const, Activity.Dual, Width = 2)]
            [Autodiff(nameof(R2Appended), Mode.Reverse, Activity.Duplicated, Activity.Const, Activity.Active, Width = 2)]
            public static double Appended(List<double> xs, double v)
            {
                var n = xs.Count;
                for (var i = 0; i < n; i++)
                    xs.Add(v * xs[i]);
                var s = 0.0;
                for (var i = 0; i < xs.Count; i++)
                    s += xs[i] * xs[i];
                return s;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FAppended(List<double> xs, List<double> dxs, double v, double dv);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double, double) F2Appended(List<double> xs, List<double> dxs_0, List<double> dxs_1, double v);
            [GeneratedCode("Autodiff", "1")] public static extern double R2Appended(List<double> xs, List<double> dxs_0, List<double> dxs_1, double v, double seed_0, double seed_1);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RAppended(List<double> xs, List<double> dxs, double v, double seed);
        }
        """;

    /// <summary>A list created in the method and filled with active values: not covered (it has no shadow list).</summary>
    public const string Created = """
        using System;
        using System.CodeDom.Compiler;
        using System.Collections.Generic;
        using Autodiff;

        public static class Lists
        {
            [Autodiff(nameof(RLocal), Mode.Reverse, Activity.Active, Activity.Active)]
            public static double Local(double v)
            {
                var xs = new List<double>();
                xs.Add(v);
                return xs[0] * v;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RLocal(double v, double seed);
        }
        """;
}
