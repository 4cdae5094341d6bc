namespace Autodiff.Tests.HigherOrder;

/// <summary>
/// The C# the higher-order tests weave: primals whose bodies call woven derivatives (form 1 extern stubs and a
/// form 2 stub), differentiated again in every combination of modes, and a series differentiated three times.
/// </summary>
internal static class HigherOrderSource
{
    public const string Text = """
        using System;
        using System.CodeDom.Compiler;
        using Autodiff;

        public static class Hessians
        {
            // f(x, y) = x²y + sin(x)·y²; each first derivative is woven once and differentiated again below.
            [Autodiff(nameof(DfDx), Mode.Reverse, Activity.Active, Activity.Const, Activity.ActiveOnly)]
            [Autodiff(nameof(DfDy), Mode.Reverse, Activity.Const, Activity.Active, Activity.ActiveOnly)]
            [Autodiff(nameof(Directional), Mode.Forward, Activity.Dual, Activity.Dual, Activity.DualOnly)]
            public static double F(double x, double y) => x * x * y + Math.Sin(x) * y * y;

            [GeneratedCode("Autodiff", "1")]
            public static extern double DfDx(double x, double y, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern double DfDy(double x, double y, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern double Directional(double x, double dx, double y, double dy);

            // Forward over reverse: Hessian-vector products, one row per gradient component.
            [Autodiff(nameof(HvpX), Mode.Forward, Activity.Dual, Activity.Dual, Activity.DualOnly)]
            [Autodiff(nameof(HessianRowX), Mode.Reverse, Activity.Active, Activity.Active, Activity.ActiveOnly)]
            public static double GradientX(double x, double y) => DfDx(x, y, 1.0);

            [Autodiff(nameof(HvpY), Mode.Forward, Activity.Dual, Activity.Dual, Activity.DualOnly)]
            public static double GradientY(double x, double y) => DfDy(x, y, 1.0);

            [GeneratedCode("Autodiff", "1")]
            public static extern double HvpX(double x, double dx, double y, double dy);

            [GeneratedCode("Autodiff", "1")]
            public static extern double HvpY(double x, double dx, double y, double dy);

            // Reverse over reverse.
            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) HessianRowX(double x, double y, double seed);

            // Reverse over forward and forward over forward: the forward derivative along (u, v) differentiated again.
            [Autodiff(nameof(DirectionalGradient), Mode.Reverse, Activity.Active, Activity.Active, Activity.Const, Activity.Const, Activity.ActiveOnly)]
            [Autodiff(nameof(SecondDirectional), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Const, Activity.Const, Activity.DualOnly)]
            public static double AlongDirection(double x, double y, double u, double v) => Directional(x, u, y, v);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) DirectionalGradient(double x, double y, double u, double v, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern double SecondDirectional(double x, double dx, double y, double dy, double u, double v);

            // Rosenbrock's function with the gradient written into an array: forward over reverse gives H·v.
            [Autodiff(nameof(RosenbrockGradient), Mode.Reverse, Activity.Duplicated, Activity.ActiveOnly)]
            public static double Rosenbrock(double[] x) => 100 * (x[1] - x[0] * x[0]) * (x[1] - x[0] * x[0]) + (1 - x[0]) * (1 - x[0]);

            [GeneratedCode("Autodiff", "1")]
            public static extern void RosenbrockGradient(double[] x, double[] dx, double seed);

            [Autodiff(nameof(RosenbrockHvp), Mode.Forward, Activity.Dual, Activity.Dual)]
            [Autodiff(nameof(RosenbrockHessian), Mode.Forward, Activity.Dual, Activity.Dual, Width = 2)]
            public static void Gradient(double[] x, double[] g) => RosenbrockGradient(x, g, 1.0);

            // Width 2 with directions e0, e1: the whole Hessian, one column per lane, from one call.
            [GeneratedCode("Autodiff", "1")]
            public static extern void RosenbrockHessian(double[] x, double[] e_0, double[] e_1, double[] g, double[] column_0, double[] column_1);

            [GeneratedCode("Autodiff", "1")]
            public static extern void RosenbrockHvp(double[] x, double[] v, double[] g, double[] hv);

            // Reverse over reverse through arrays: the inner reverse derivative adds its gradient into its Duplicated
            // array, and the outer one differentiates that write (a split call): H·v for f(x) = x₀²x₁ + sin x₁.
            [Autodiff(nameof(GradientOfCubic), Mode.Reverse, Activity.Duplicated, Activity.ActiveOnly)]
            public static double Cubic(double[] x) => x[0] * x[0] * x[1] + Math.Sin(x[1]);

            [GeneratedCode("Autodiff", "1")]
            public static extern void GradientOfCubic(double[] x, double[] dx, double seed);

            [Autodiff(nameof(CubicHessianTimes), Mode.Reverse, Activity.Duplicated, Activity.Duplicated)]
            public static void CubicGradient(double[] x, double[] g) => GradientOfCubic(x, g, 1.0);

            [GeneratedCode("Autodiff", "1")]
            public static extern void CubicHessianTimes(double[] x, double[] dx, double[] g, double[] dg);

            // A derivative returning a tuple of gradients, differentiated again through its woven body (inlined before
            // differentiation): g(x, y) = xy², ∂g/∂y = 2xy, and its directional derivative 2y·dx + 2x·dy.
            [Autodiff(nameof(GradientOfPair), Mode.Reverse, Activity.Active, Activity.Active, Activity.ActiveOnly)]
            public static double Pair(double x, double y) => x * y * y;

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) GradientOfPair(double x, double y, double seed);

            [Autodiff(nameof(OverPairY), Mode.Forward, Activity.Dual, Activity.Dual, Activity.DualOnly)]
            public static double PairY(double x, double y) => GradientOfPair(x, y, 1.0).Item2;

            [GeneratedCode("Autodiff", "1")]
            public static extern double OverPairY(double x, double dx, double y, double dy);

            // The inner derivative reached through a helper: still woven first.
            private static double Scaled(double x, double y) => 0.5 * DfDy(x, y, 2.0);

            [Autodiff(nameof(ThroughHelper), Mode.Forward, Activity.Dual, Activity.Dual, Activity.DualOnly)]
            public static double ViaHelper(double x, double y) => Scaled(x, y);

            [GeneratedCode("Autodiff", "1")]
            public static extern double ThroughHelper(double x, double dx, double y, double dy);
        }

        public static class Loops
        {
            // Π_{k=1}^{4} sin(kx): its reverse derivative keeps tapes, which forward mode follows.
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

            [Autodiff(nameof(D2Product), Mode.Forward, Activity.Dual, Activity.DualOnly)]
            [Autodiff(nameof(D2ProductX3), Mode.Forward, Activity.Dual, Activity.DualOnly, Width = 3)]
            public static double FirstDerivative(double x) => DProduct(x, 1.0);

            [GeneratedCode("Autodiff", "1")]
            public static extern double D2Product(double x, double dx);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double, double) D2ProductX3(double x, double dx_0, double dx_1, double dx_2);

            // A loop whose trip count is known only as it runs: its reverse derivative pushes onto and peeks a tape
            // that grows (no cursor), which forward mode mirrors on shadow tapes.
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

            [Autodiff(nameof(D2Damped), Mode.Forward, Activity.Dual, Activity.DualOnly)]
            public static double DampedFirst(double x) => DDamped(x, 1.0);

            [GeneratedCode("Autodiff", "1")]
            public static extern double D2Damped(double x, double dx);

            // Extended Rosenbrock with a loop: forward over reverse through tapes and arrays.
            [Autodiff(nameof(RosenbrockGradient), Mode.Reverse, Activity.Duplicated, Activity.ActiveOnly)]
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
            public static extern void RosenbrockGradient(double[] x, double[] gradient, double seed);

            [Autodiff(nameof(RosenbrockHvp), Mode.Forward, Activity.Dual, Activity.Dual)]
            [Autodiff(nameof(RosenbrockHessian3), Mode.Forward, Activity.Dual, Activity.Dual, Width = 3)]
            public static void Gradient(double[] x, double[] gradient) => RosenbrockGradient(x, gradient, 1.0);

            [GeneratedCode("Autodiff", "1")]
            public static extern void RosenbrockHvp(double[] x, double[] v, double[] gradient, double[] hv);

            [GeneratedCode("Autodiff", "1")]
            public static extern void RosenbrockHessian3(double[] x, double[] e_0, double[] e_1, double[] e_2, double[] gradient, double[] column_0, double[] column_1, double[] column_2);
        }

        public static class Series
        {
            // exp(x) truncated after x⁹/9!: each derivative drops the last term.
            [Autodiff(nameof(D1), Mode.Forward, Activity.Dual, Activity.DualOnly)]
            public static double Exp(double x)
            {
                double sum = 1, term = 1;
                for (var k = 1; k < 10; k++)
                {
                    term = term * x / k;
                    sum += term;
                }
                return sum;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern double D1(double x, double dx);

            [Autodiff(nameof(D2), Mode.Forward, Activity.Dual, Activity.DualOnly)]
            public static double First(double x) => D1(x, 1.0);

            [GeneratedCode("Autodiff", "1")]
            public static extern double D2(double x, double dx);

            [Autodiff(nameof(D3), Mode.Forward, Activity.Dual, Activity.DualOnly)]
            [Autodiff(nameof(D3Reverse), Mode.Reverse, Activity.Active, Activity.ActiveOnly)]
            public static double Second(double x) => D2(x, 1.0);

            [GeneratedCode("Autodiff", "1")]
            public static extern double D3(double x, double dx);

            [GeneratedCode("Autodiff", "1")]
            public static extern double D3Reverse(double x, double seed);

            // Form 2: the third derivative's own derivative, declared on another type.
            [Autodiff(typeof(Series), nameof(Third), Mode.Forward, Activity.Dual, Activity.DualOnly)]
            public static extern double D4(double x, double dx);

            public static double Third(double x) => D3(x, 1.0);
        }
        """;
}
