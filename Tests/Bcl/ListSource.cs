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
        }
        """;

    /// <summary>Add on a differentiated list: not covered (the shadow would have to grow with it).</summary>
    public const string Add = """
        using System;
        using System.CodeDom.Compiler;
        using System.Collections.Generic;
        using Autodiff;

        public static class Lists
        {
            [Autodiff(nameof(RAppended), Mode.Reverse, Activity.Duplicated, Activity.Active, Activity.Active)]
            public static double Appended(List<double> xs, double v)
            {
                xs.Add(v);
                return xs[0] * v;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RAppended(List<double> xs, List<double> dxs, double v, double seed);
        }
        """;
}
