namespace Autodiff.Tests.Memory;

/// <summary>The C# the array tests weave: rank-1 arrays passed Duplicated (reverse) and Dual (forward).</summary>
internal static class ArraySource
{
    public const string Text = """
        using System;
        using System.CodeDom.Compiler;
        using Autodiff;

        public static class Arrays
        {
            public static double Gain = 3;

            // DESIGN §1's seed example.
            [Autodiff(nameof(GradientOfSeed), Mode.Reverse, Activity.Duplicated, Activity.Active)]
            [Autodiff(nameof(TangentOfSeed), Mode.Forward, Activity.Dual, Activity.Dual)]
            public static double Seed(double[] x) => x[0] * x[0] + x[1] * x[0];

            [GeneratedCode("Autodiff", "1")]
            public static extern double GradientOfSeed(double[] x, double[] dx, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) TangentOfSeed(double[] x, double[] dx);

            [Autodiff(nameof(GradientOfSumOfSquares), Mode.Reverse, Activity.Duplicated, Activity.Active)]
            [Autodiff(nameof(TangentOfSumOfSquares), Mode.Forward, Activity.Dual, Activity.Dual)]
            public static double SumOfSquares(double[] x)
            {
                var sum = 0.0;
                for (var i = 0; i < x.Length; i++)
                    sum += x[i] * x[i];
                return sum;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern double GradientOfSumOfSquares(double[] x, double[] dx, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) TangentOfSumOfSquares(double[] x, double[] dx);

            [Autodiff(nameof(GradientOfDot), Mode.Reverse, Activity.Duplicated, Activity.Duplicated, Activity.Active)]
            [Autodiff(nameof(TangentOfDot), Mode.Forward, Activity.Dual, Activity.Const, Activity.Dual)]
            public static double Dot(double[] a, double[] b)
            {
                var sum = 0.0;
                for (var i = 0; i < a.Length; i++)
                    sum += a[i] * b[i];
                return sum;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern double GradientOfDot(double[] a, double[] da, double[] b, double[] db, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) TangentOfDot(double[] a, double[] da, double[] b);

            // In place: x[i] *= 2 reads and writes the same element; the sum then reads the doubled values.
            [Autodiff(nameof(GradientOfDoubleThenSumSquares), Mode.Reverse, Activity.Duplicated, Activity.Active)]
            [Autodiff(nameof(TangentOfDoubleThenSumSquares), Mode.Forward, Activity.Dual, Activity.Dual)]
            public static double DoubleThenSumSquares(double[] x)
            {
                for (var i = 0; i < x.Length; i++)
                    x[i] *= 2;
                var sum = 0.0;
                for (var i = 0; i < x.Length; i++)
                    sum += x[i] * x[i];
                return sum;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern double GradientOfDoubleThenSumSquares(double[] x, double[] dx, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) TangentOfDoubleThenSumSquares(double[] x, double[] dx);

            // An output array: y's shadow is the seed, consumed and zeroed in reverse, overwritten in forward.
            [Autodiff(nameof(GradientOfSineTimes), Mode.Reverse, Activity.Duplicated, Activity.Duplicated)]
            [Autodiff(nameof(TangentOfSineTimes), Mode.Forward, Activity.Dual, Activity.Dual)]
            public static void SineTimes(double[] x, double[] y)
            {
                for (var i = 0; i < x.Length; i++)
                    y[i] = Math.Sin(x[i]) * x[i];
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern void GradientOfSineTimes(double[] x, double[] dx, double[] y, double[] dy);

            [GeneratedCode("Autodiff", "1")]
            public static extern void TangentOfSineTimes(double[] x, double[] dx, double[] y, double[] dy);

            // Overwrites what the partials read: the reverse sweep needs the original x[i].
            [Autodiff(nameof(GradientOfSquareInPlace), Mode.Reverse, Activity.Duplicated)]
            [Autodiff(nameof(TangentOfSquareInPlace), Mode.Forward, Activity.Dual)]
            public static void SquareInPlace(double[] x)
            {
                for (var i = 0; i < x.Length; i++)
                    x[i] = x[i] * x[i];
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern void GradientOfSquareInPlace(double[] x, double[] dx);

            [GeneratedCode("Autodiff", "1")]
            public static extern void TangentOfSquareInPlace(double[] x, double[] dx);

            // Storing a constant clears the shadow: f = x0·x1 + 1·x1.
            [Autodiff(nameof(GradientOfOverwrite), Mode.Reverse, Activity.Duplicated, Activity.Active)]
            [Autodiff(nameof(TangentOfOverwrite), Mode.Forward, Activity.Dual, Activity.Dual)]
            public static double Overwrite(double[] x)
            {
                var product = x[0] * x[1];
                x[0] = 1;
                return product + x[0] * x[1];
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern double GradientOfOverwrite(double[] x, double[] dx, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) TangentOfOverwrite(double[] x, double[] dx);

            // float arrays, with a Const scale.
            [Autodiff(nameof(GradientOfScaledSum), Mode.Reverse, Activity.Duplicated, Activity.Const, Activity.Active)]
            [Autodiff(nameof(TangentOfScaledSum), Mode.Forward, Activity.Dual, Activity.Const, Activity.Dual)]
            public static float ScaledSum(float[] x, float scale)
            {
                var sum = 0f;
                for (var i = 0; i < x.Length; i++)
                    sum += scale * x[i] * x[i];
                return sum;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern float GradientOfScaledSum(float[] x, float[] dx, float scale, float seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (float, float) TangentOfScaledSum(float[] x, float[] dx, float scale);

            // A static field read is a constant.
            [Autodiff(nameof(GradientOfAmplified), Mode.Reverse, Activity.Duplicated, Activity.Active)]
            public static double Amplified(double[] x) => Gain * x[0] * x[1];

            [GeneratedCode("Autodiff", "1")]
            public static extern double GradientOfAmplified(double[] x, double[] dx, double seed);

            // A temporary array gets a shadow allocated alongside: f = Σ (x[i+1] − x[i])².
            [Autodiff(nameof(GradientOfSquaredDifferences), Mode.Reverse, Activity.Duplicated, Activity.Active)]
            [Autodiff(nameof(TangentOfSquaredDifferences), Mode.Forward, Activity.Dual, Activity.Dual)]
            public static double SquaredDifferences(double[] x)
            {
                var differences = new double[x.Length - 1];
                for (var i = 0; i < differences.Length; i++)
                    differences[i] = x[i + 1] - x[i];
                var sum = 0.0;
                for (var i = 0; i < differences.Length; i++)
                    sum += differences[i] * differences[i];
                return sum;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern double GradientOfSquaredDifferences(double[] x, double[] dx, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) TangentOfSquaredDifferences(double[] x, double[] dx);

            // Forward mode allocates a shadow per iteration, as the primal does.
            [Autodiff(nameof(TangentOfPairProducts), Mode.Forward, Activity.Dual, Activity.Dual)]
            public static double PairProducts(double[] x)
            {
                var sum = 0.0;
                for (var i = 0; i + 1 < x.Length; i++)
                {
                    var pair = new double[2];
                    pair[0] = x[i];
                    pair[1] = x[i + 1] * x[i];
                    sum += pair[0] * pair[1];
                }
                return sum;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) TangentOfPairProducts(double[] x, double[] dx);
        }
        """;
}
