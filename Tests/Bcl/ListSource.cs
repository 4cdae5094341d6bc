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

    /// <summary>Lists created in the method by <c>new List&lt;T&gt;([capacity])</c>: a shadow list grows in step.</summary>
    public const string Created = """
        using System;
        using System.CodeDom.Compiler;
        using System.Collections.Generic;
        using Autodiff;

        public static class Lists
        {
            // Powers v, v², …, vⁿ pushed onto a new list (growing past its capacity), then Σ k·xs[k−1] = Σ k·vᵏ.
            [Autodiff(nameof(RPowers), Mode.Reverse, Activity.Active, Activity.Const, Activity.Active)]
            [Autodiff(nameof(FPowers), Mode.Forward, Activity.Dual, Activity.Const, Activity.Dual)]
            public static double Powers(double v, int n)
            {
                var xs = new List<double>();
                var p = 1.0;
                for (var i = 0; i < n; i++)
                {
                    p *= v;
                    xs.Add(p);
                }
                var s = 0.0;
                for (var k = 0; k < xs.Count; k++)
                    s += (k + 1) * xs[k];
                return s;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RPowers(double v, int n, double seed);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FPowers(double v, double dv, int n);

            // A float list of capacity 1 written after it grows: xs = [a, b·a], xs[0] ← xs[0]·b; xs[0] + xs[1]² = a·b + a²b².
            [Autodiff(nameof(RPair), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
            [Autodiff(nameof(FPair), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static float Pair(float a, float b)
            {
                var xs = new List<float>(1);
                xs.Add(a);
                xs.Add(b * a);
                xs[0] = xs[0] * b;
                return xs[0] + xs[1] * xs[1];
            }

            [GeneratedCode("Autodiff", "1")] public static extern (float, float, float) RPair(float a, float b, float seed);
            [GeneratedCode("Autodiff", "1")] public static extern (float, float) FPair(float a, float da, float b, float db);
        }
        """;

    /// <summary>A list created from a collection and filled with active values: not covered (it has no shadow list).</summary>
    public const string CreatedFromCollection = """
        using System;
        using System.CodeDom.Compiler;
        using System.Collections.Generic;
        using Autodiff;

        public static class Lists
        {
            [Autodiff(nameof(RLocal), Mode.Reverse, Activity.Active, Activity.Active)]
            public static double Local(double v)
            {
                var xs = new List<double>(new[] { 1.0 });
                xs.Add(v);
                return xs[1] * v;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RLocal(double v, double seed);
        }
        """;
}
