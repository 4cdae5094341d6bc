namespace Autodiff.Tests.HigherOrder;

/// <summary>
/// The C# the third-order tests weave: woven derivatives with effects — a reverse derivative storing into its cursor
/// tapes, one writing its Duplicated gradient array — reached through a function that is itself differentiated twice.
/// </summary>
internal static class ThirdOrderSource
{
    public const string Text = """
        using System;
        using System.CodeDom.Compiler;
        using Autodiff;

        public static class Third
        {
            // Π_{k=1}^{4} sin(kx): its reverse derivative keeps cursor tapes.
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
            public static double FirstDerivative(double x) => DProduct(x, 1.0);

            [GeneratedCode("Autodiff", "1")]
            public static extern double D2Product(double x, double dx);

            [Autodiff(nameof(D3ProductForward), Mode.Forward, Activity.Dual, Activity.DualOnly)]
            [Autodiff(nameof(D3ProductReverse), Mode.Reverse, Activity.Active, Activity.ActiveOnly)]
            public static double SecondDerivative(double x) => D2Product(x, 1.0);

            [GeneratedCode("Autodiff", "1")]
            public static extern double D3ProductForward(double x, double dx);

            [GeneratedCode("Autodiff", "1")]
            public static extern double D3ProductReverse(double x, double seed);

            // Σ sin(xᵢ)·xᵢ₊₁ over an array: the reverse derivative writes its Duplicated gradient array.
            [Autodiff(nameof(GradientOfChain), Mode.Reverse, Activity.Duplicated, Activity.ActiveOnly)]
            public static double Chain(double[] x)
            {
                double sum = 0;
                for (var i = 0; i + 1 < x.Length; i++)
                    sum += Math.Sin(x[i]) * x[i + 1];
                return sum;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern void GradientOfChain(double[] x, double[] gradient, double seed);

            [Autodiff(nameof(ChainHvp), Mode.Forward, Activity.Dual, Activity.Dual)]
            public static void ChainGradient(double[] x, double[] gradient) => GradientOfChain(x, gradient, 1.0);

            [GeneratedCode("Autodiff", "1")]
            public static extern void ChainHvp(double[] x, double[] v, double[] gradient, double[] hv);

            // wᵀ·H(x)·v, differentiated again in reverse mode: a third derivative, contracted with v and w.
            [Autodiff(nameof(GradientOfCurvature), Mode.Reverse, Activity.Duplicated, Activity.Const, Activity.Const, Activity.ActiveOnly)]
            [Autodiff(nameof(CurvatureTangent), Mode.Forward, Activity.Dual, Activity.Const, Activity.Const, Activity.DualOnly)]
            public static double Curvature(double[] x, double[] v, double[] w)
            {
                var gradient = new double[x.Length];
                var hv = new double[x.Length];
                ChainHvp(x, v, gradient, hv);
                double sum = 0;
                for (var i = 0; i < x.Length; i++)
                    sum += w[i] * hv[i];
                return sum;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern void GradientOfCurvature(double[] x, double[] gradient, double[] v, double[] w, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern double CurvatureTangent(double[] x, double[] dx, double[] v, double[] w);
        }
        """;
}
