namespace Autodiff.Tests.HigherOrder;

/// <summary>
/// The C# the third-order array tests weave: a reverse gradient writing its Duplicated array (and keeping a cursor
/// tape), H·v by forward mode over it, and that H·v differentiated again, forward and reverse: through the arrays of
/// the third level's parameters, and through arrays the third-level function allocates itself.
/// </summary>
internal static class ThirdOrderArraySource
{
    public const string Text = """
        using System;
        using System.CodeDom.Compiler;
        using Autodiff;

        public static class ThirdArray
        {
            // Π sin(xᵢ) over an array.
            [Autodiff(nameof(GradientOfProduct), Mode.Reverse, Activity.Duplicated, Activity.ActiveOnly)]
            public static double Product(double[] x)
            {
                double product = 1;
                for (var i = 0; i < x.Length; i++)
                    product *= Math.Sin(x[i]);
                return product;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern void GradientOfProduct(double[] x, double[] gradient, double seed);

            [Autodiff(nameof(ProductHvp), Mode.Forward, Activity.Dual, Activity.Dual)]
            public static void ProductGradient(double[] x, double[] gradient) => GradientOfProduct(x, gradient, 1.0);

            [GeneratedCode("Autodiff", "1")]
            public static extern void ProductHvp(double[] x, double[] v, double[] gradient, double[] hv);

            [Autodiff(nameof(ThirdForward), Mode.Forward, Activity.Dual, Activity.Const, Activity.Dual, Activity.Dual)]
            [Autodiff(nameof(ThirdReverse), Mode.Reverse, Activity.Duplicated, Activity.Const, Activity.Duplicated, Activity.Duplicated)]
            public static void HessianVector(double[] x, double[] v, double[] gradient, double[] hv) => ProductHvp(x, v, gradient, hv);

            [GeneratedCode("Autodiff", "1")]
            public static extern void ThirdForward(double[] x, double[] u, double[] v, double[] gradient, double[] dGradient, double[] hv, double[] dHv);

            [GeneratedCode("Autodiff", "1")]
            public static extern void ThirdReverse(double[] x, double[] xBar, double[] v, double[] gradient, double[] gradientBar, double[] hv, double[] hvBar);

            // vᵀ·H·v + Σ gradient: both arrays the derivative writes are allocated here (they get shadows).
            [Autodiff(nameof(CurvatureForward), Mode.Forward, Activity.Dual, Activity.Dual, Activity.DualOnly)]
            [Autodiff(nameof(CurvatureReverse), Mode.Reverse, Activity.Duplicated, Activity.Duplicated, Activity.ActiveOnly)]
            public static double Curvature(double[] x, double[] v)
            {
                var gradient = new double[x.Length];
                var hv = new double[x.Length];
                ProductHvp(x, v, gradient, hv);
                double sum = 0;
                for (var i = 0; i < x.Length; i++)
                    sum += v[i] * hv[i] + gradient[i];
                return sum;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern double CurvatureForward(double[] x, double[] dx, double[] v, double[] dv);

            [GeneratedCode("Autodiff", "1")]
            public static extern void CurvatureReverse(double[] x, double[] xBar, double[] v, double[] vBar, double seed);
        }
        """;
}
