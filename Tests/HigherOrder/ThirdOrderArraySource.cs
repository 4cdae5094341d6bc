namespace Autodiff.Tests.HigherOrder;

/// <summary>
/// The C# the third-order array tests weave: a reverse gradient writing its Duplicated array (and keeping a cursor
/// tape), H·v by forward mode over it, and that H·v differentiated again, forward and reverse.
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
        }
        """;
}
