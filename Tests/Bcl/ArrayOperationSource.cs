namespace Autodiff.Tests.Bcl;

/// <summary>The C# the array-operation tests weave: Array.Copy/Fill/Clear/Resize and Clone inside differentiated code, in both modes.</summary>
internal static class ArrayOperationSource
{
    public const string Text = """
        using System;
        using System.CodeDom.Compiler;
        using Autodiff;

        public static class ArrayOperations
        {
            // Σ (i+1)·yᵢ² where y is a copy of x.
            [Autodiff(nameof(FCopied), Mode.Forward, Activity.Dual, Activity.Dual)]
            [Autodiff(nameof(RCopied), Mode.Reverse, Activity.Duplicated, Activity.Active)]
            public static double Copied(double[] x)
            {
                var y = new double[x.Length];
                Array.Copy(x, y, x.Length);
                var s = 0.0;
                for (var i = 0; i < y.Length; i++)
                    s += (i + 1) * y[i] * y[i];
                return s;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FCopied(double[] x, double[] dx);
            [GeneratedCode("Autodiff", "1")] public static extern double RCopied(double[] x, double[] dx, double seed);

            // y[2..4] ← x[1..3], then Σ sin yᵢ: the overwritten part of y no longer matters.
            [Autodiff(nameof(FOverwritten), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            [Autodiff(nameof(ROverwritten), Mode.Reverse, Activity.Duplicated, Activity.Duplicated, Activity.Active)]
            public static double Overwritten(double[] x, double[] y)
            {
                Array.Copy(x, 1, y, 2, 3);
                var s = 0.0;
                for (var i = 0; i < y.Length; i++)
                    s += Math.Sin(y[i]);
                return s;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FOverwritten(double[] x, double[] dx, double[] y, double[] dy);
            [GeneratedCode("Autodiff", "1")] public static extern double ROverwritten(double[] x, double[] dx, double[] y, double[] dy, double seed);

            // x[1], x[2] ← v; then Σ xᵢ².
            [Autodiff(nameof(FFilled), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            [Autodiff(nameof(RFilled), Mode.Reverse, Activity.Duplicated, Activity.Active, Activity.Active)]
            public static double Filled(double[] x, double v)
            {
                Array.Fill(x, v, 1, 2);
                var s = 0.0;
                foreach (var e in x)
                    s += e * e;
                return s;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FFilled(double[] x, double[] dx, double v, double dv);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RFilled(double[] x, double[] dx, double v, double seed);

            // a = clone of x grown by two: [x…, 0, x₀·x₁]; then Σ aᵢ², after clearing nothing but a fresh copy's tail.
            [Autodiff(nameof(FResized), Mode.Forward, Activity.Dual, Activity.Dual)]
            [Autodiff(nameof(RResized), Mode.Reverse, Activity.Duplicated, Activity.Active)]
            public static double Resized(double[] x)
            {
                var a = (double[])x.Clone();
                Array.Resize(ref a, a.Length + 2);
                a[a.Length - 1] = a[0] * a[1];
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                    s += a[i] * a[i];
                return s;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FResized(double[] x, double[] dx);
            [GeneratedCode("Autodiff", "1")] public static extern double RResized(double[] x, double[] dx, double seed);

            // An overlapping copy (memmove semantics): a = [x₀, x₀, x₁, …]; then Σ (i+1)·aᵢ·xᵢ; the first two are then cleared.
            [Autodiff(nameof(FShifted), Mode.Forward, Activity.Dual, Activity.Dual)]
            [Autodiff(nameof(RShifted), Mode.Reverse, Activity.Duplicated, Activity.Active)]
            public static double Shifted(float[] x)
            {
                var a = new float[x.Length];
                Array.Copy(x, a, x.Length);
                Array.Copy(a, 0, a, 1, a.Length - 1);
                var s = 0f;
                for (var i = 0; i < a.Length; i++)
                    s += (i + 1) * a[i] * x[i];
                Array.Clear(a, 0, 2);
                return s + a[0] + a[a.Length - 1];
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FShifted(float[] x, float[] dx);
            [GeneratedCode("Autodiff", "1")] public static extern double RShifted(float[] x, float[] dx, double seed);
        }
        """;
}
