namespace Autodiff.Tests.Calls;

/// <summary>The C# the array-call tests weave: helpers taking double[] called with Dual arrays in forward mode.</summary>
internal static class ArrayCallSource
{
    public const string Text = """
        using System;
        using System.CodeDom.Compiler;
        using Autodiff;

        public static class ArrayCalls
        {
            private static double Sum(double[] a)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                    s += a[i];
                return s;
            }

            private static double Dot(double[] a, double[] b)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                    s += a[i] * b[i];
                return s;
            }

            private static void Scale(double[] a, double k)
            {
                for (var i = 0; i < a.Length; i++)
                    a[i] = k * Math.Sin(a[i]);
            }

            [Autodiff(nameof(FNorm), Mode.Forward, Activity.Dual, Activity.Dual)]
            public static double Norm(double[] x) => Math.Sqrt(Dot(x, x));

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FNorm(double[] x, double[] dx);

            // Writes x through a helper, then reads it back through another.
            [Autodiff(nameof(FScaled), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double Scaled(double[] x, double k)
            {
                Scale(x, k);
                return Sum(x) * k;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FScaled(double[] x, double[] dx, double k, double dk);
        }
        """;

    /// <summary>Reverse mode through helpers that only read a Duplicated array.</summary>
    public const string Reverse = """
        using System;
        using System.CodeDom.Compiler;
        using Autodiff;

        public static class ArrayCalls
        {
            private static double Dot(double[] a, double[] b)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                    s += a[i] * b[i];
                return s;
            }

            private static double WeightedSquares(double[] a, double w)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                    s += w * a[i] * a[i];
                return s;
            }

            [Autodiff(nameof(RNorm), Mode.Reverse, Activity.Duplicated, Activity.Active)]
            public static double Norm(double[] x) => Math.Sqrt(Dot(x, x));

            [GeneratedCode("Autodiff", "1")] public static extern double RNorm(double[] x, double[] dx, double seed);

            [Autodiff(nameof(RMix), Mode.Reverse, Activity.Duplicated, Activity.Active, Activity.Active)]
            [Autodiff(nameof(FMix), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double Mix(double[] x, double w) => WeightedSquares(x, w) * w;

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RMix(double[] x, double[] dx, double w, double seed);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FMix(double[] x, double[] dx, double w, double dw);
        }
        """;

    /// <summary>Reverse mode through a helper that writes an array the primal allocates (passed with its shadow).</summary>
    public const string ReverseWriting = """
        using System;
        using System.CodeDom.Compiler;
        using Autodiff;

        public static class ArrayCalls
        {
            private static void Scale(double[] a, double k)
            {
                for (var i = 0; i < a.Length; i++)
                    a[i] = k * a[i];
            }

            [Autodiff("RScaledCopy", Mode.Reverse, Activity.Duplicated, Activity.Active, Activity.Active)]
            public static double ScaledCopy(double[] x, double k)
            {
                var t = new double[x.Length];
                for (var i = 0; i < x.Length; i++)
                    t[i] = x[i];
                Scale(t, k);
                return t[0];
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RScaledCopy(double[] x, double[] dx, double k, double seed);
        }
        """;
}
