namespace Autodiff.Tests.HigherOrder;

/// <summary>
/// The C# the reverse-over-taped-reverse tests weave: inner reverse derivatives of loops (they keep tapes — cursor
/// tapes in counted loops, growing tapes otherwise) differentiated again in reverse mode, and in forward mode for comparison.
/// </summary>
internal static class TapedReverseSource
{
    public const string Text = """
        using System;
        using System.CodeDom.Compiler;
        using Autodiff;

        public static class Taped
        {
            // Π_{k=1}^{4} sin(kx): a counted loop, so its reverse derivative keeps cursor tapes.
            [Autodiff(nameof(DProduct), Mode.Reverse, Activity.Active, Activity.ActiveOnly)]
            public static double Product(double x)
            {
                double product = 1;
                for (var k = 1; k < 5; k++)
                    product *= Math.Sin(x * k);
                return product;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern double DProduct(double x, double seed);

            [Autodiff(nameof(D2ProductReverse), Mode.Reverse, Activity.Active, Activity.ActiveOnly)]
            [Autodiff(nameof(D2ProductForward), Mode.Forward, Activity.Dual, Activity.DualOnly)]
            public static double FirstDerivative(double x) => DProduct(x, 1.0);

            [GeneratedCode("Autodiff", "1")]
            public static extern double D2ProductReverse(double x, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern double D2ProductForward(double x, double dx);

            // A loop whose trip count is known only as it runs: a growing tape (Push, Peek, Pop).
            [Autodiff(nameof(DDamped), Mode.Reverse, Activity.Active, Activity.ActiveOnly)]
            public static double Damped(double x)
            {
                double y = x, scale = 10;
                while (scale > 1)
                {
                    y = Math.Sin(y) * x;
                    scale /= 2;
                }
                return y;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern double DDamped(double x, double seed);

            [Autodiff(nameof(D2DampedReverse), Mode.Reverse, Activity.Active, Activity.ActiveOnly)]
            public static double DampedFirst(double x) => DDamped(x, 1.0);

            [GeneratedCode("Autodiff", "1")]
            public static extern double D2DampedReverse(double x, double seed);

            // f(x, y) = Σ_{k=1}^{n} sin(kx)·y^k: two active inputs through a counted loop.
            [Autodiff(nameof(DSeriesDx), Mode.Reverse, Activity.Active, Activity.Const, Activity.Const, Activity.ActiveOnly)]
            public static double Series(double x, double y, int n)
            {
                double sum = 0, power = 1;
                for (var k = 1; k <= n; k++)
                {
                    power *= y;
                    sum += Math.Sin(k * x) * power;
                }
                return sum;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern double DSeriesDx(double x, double y, int n, double seed);

            [Autodiff(nameof(SeriesHessianRow), Mode.Reverse, Activity.Active, Activity.Active, Activity.Const, Activity.ActiveOnly)]
            [Autodiff(nameof(SeriesHessianColumn), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Const, Activity.DualOnly)]
            public static double SeriesDx(double x, double y, int n) => DSeriesDx(x, y, n, 1.0);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) SeriesHessianRow(double x, double y, int n, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern double SeriesHessianColumn(double x, double dx, double y, double dy, int n);

            // Π sin(xᵢ) over an array: the reverse derivative writes its Duplicated gradient array and keeps a cursor tape.
            [Autodiff(nameof(GradientOfProduct), Mode.Reverse, Activity.Duplicated, Activity.ActiveOnly)]
            public static double ArrayProduct(double[] x)
            {
                double product = 1;
                for (var i = 0; i < x.Length; i++)
                    product *= Math.Sin(x[i]);
                return product;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern void GradientOfProduct(double[] x, double[] gradient, double seed);

            [Autodiff(nameof(ProductHvpReverse), Mode.Reverse, Activity.Duplicated, Activity.Duplicated)]
            [Autodiff(nameof(ProductHvpForward), Mode.Forward, Activity.Dual, Activity.Dual)]
            public static void ProductGradient(double[] x, double[] gradient) => GradientOfProduct(x, gradient, 1.0);

            [GeneratedCode("Autodiff", "1")]
            public static extern void ProductHvpReverse(double[] x, double[] hv, double[] gradient, double[] v);

            [GeneratedCode("Autodiff", "1")]
            public static extern void ProductHvpForward(double[] x, double[] v, double[] gradient, double[] hv);

            // Extended Rosenbrock: H·v by reverse over reverse and by forward over reverse.
            [Autodiff(nameof(GradientOfRosenbrock), Mode.Reverse, Activity.Duplicated, Activity.ActiveOnly)]
            public static double Rosenbrock(double[] x)
            {
                double sum = 0;
                for (var i = 0; i + 1 < x.Length; i++)
                {
                    var a = x[i + 1] - x[i] * x[i];
                    var b = 1 - x[i];
                    sum += 100 * a * a + b * b;
                }
                return sum;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern void GradientOfRosenbrock(double[] x, double[] gradient, double seed);

            [Autodiff(nameof(RosenbrockHvpReverse), Mode.Reverse, Activity.Duplicated, Activity.Duplicated)]
            [Autodiff(nameof(RosenbrockHvpForward), Mode.Forward, Activity.Dual, Activity.Dual)]
            public static void RosenbrockGradient(double[] x, double[] gradient) => GradientOfRosenbrock(x, gradient, 1.0);

            [GeneratedCode("Autodiff", "1")]
            public static extern void RosenbrockHvpReverse(double[] x, double[] hv, double[] gradient, double[] v);

            [GeneratedCode("Autodiff", "1")]
            public static extern void RosenbrockHvpForward(double[] x, double[] v, double[] gradient, double[] hv);
        }
        """;
}
