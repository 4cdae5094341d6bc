namespace Autodiff.Tests.Calls;

/// <summary>C# of the tests of helpers using the BCL: Vector3 operators, spans, Array.Copy and lambdas inside callees.</summary>
internal static class BclCalleeSource
{
    public const string Text = """
        using System;
        using System.CodeDom.Compiler;
        using System.Numerics;
        using Autodiff;

        public static class BclCallees
        {
            // ‖(x, y, 1)·2 − (y, 0, x)‖² + (x, y, 1)·(y, 0, x), with Vector3 operators inside the helper.
            private static float Energy(float x, float y)
            {
                var a = new Vector3(x, y, 1);
                var b = new Vector3(y, 0, x);
                return (a * 2 - b).LengthSquared() + Vector3.Dot(a, b);
            }

            [Autodiff(nameof(GradientOfEnergySum), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
            [Autodiff(nameof(TangentOfEnergySum), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static float EnergySum(float x, float y) => Energy(x, y) + Energy(y * x, 1);

            [GeneratedCode("Autodiff", "1")]
            public static extern (float, float, float) GradientOfEnergySum(float x, float y, float seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (float, float) TangentOfEnergySum(float x, float dx, float y, float dy);

            // Σ over a window of the array (a span) of squares, times its first element.
            private static double WindowSquares(double[] values, int start)
            {
                var window = values.AsSpan(start);
                var sum = 0.0;
                for (var i = 0; i < window.Length; i++)
                    sum += window[i] * window[i];
                return sum * values[0];
            }

            [Autodiff(nameof(GradientOfWindow), Mode.Reverse, Activity.Duplicated, Activity.Const, Activity.Active)]
            [Autodiff(nameof(TangentOfWindow), Mode.Forward, Activity.Dual, Activity.Const, Activity.Dual)]
            public static double Window(double[] values, int start) => WindowSquares(values, start);

            [GeneratedCode("Autodiff", "1")]
            public static extern double GradientOfWindow(double[] values, double[] valuesShadow, int start, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) TangentOfWindow(double[] values, double[] valuesTangent, int start);

            // Copies the values shifted by one into the output (Array.Copy) and squares them in place.
            private static void ShiftSquares(double[] values, double[] output)
            {
                Array.Copy(values, 0, output, 1, values.Length - 1);
                for (var i = 1; i < output.Length; i++)
                    output[i] *= output[i];
            }

            [Autodiff(nameof(GradientOfShifted), Mode.Reverse, Activity.Duplicated, Activity.Duplicated, Activity.Active)]
            [Autodiff(nameof(TangentOfShifted), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double Shifted(double[] values, double[] output)
            {
                ShiftSquares(values, output);
                var sum = 0.0;
                for (var i = 0; i < output.Length; i++)
                    sum += output[i] * (i + 1);
                return sum;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern double GradientOfShifted(double[] values, double[] valuesShadow, double[] output, double[] outputShadow, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) TangentOfShifted(double[] values, double[] valuesTangent, double[] output, double[] outputTangent);

            // A helper applying a lambda that captures its parameter: g(x, k) = f(x) + f(2x) with f(v) = k·v·sin v.
            private static double Twice(double x, double k)
            {
                Func<double, double> f = v => k * v * Math.Sin(v);
                return f(x) + f(2 * x);
            }

            [Autodiff(nameof(GradientOfLambda), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
            [Autodiff(nameof(TangentOfLambda), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double Lambda(double x, double k) => Twice(x, k) * x;

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double, double) GradientOfLambda(double x, double k, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) TangentOfLambda(double x, double dx, double k, double dk);
        }
        """;
}
