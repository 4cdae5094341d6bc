namespace Autodiff.Tests.HigherOrder;

/// <summary>The C# the higher-order error tests weave: each primal differentiates a call the woven derivative cannot serve.</summary>
internal static class HigherOrderErrorSource
{
    public const string Text = """
        using System;
        using System.CodeDom.Compiler;
        using System.Runtime.InteropServices;
        using Autodiff;

        public static class Cycles
        {
            // Each needs the other's derivative: whichever is built first meets a derivative not built yet.
            [Autodiff(nameof(DA), Mode.Forward, Activity.Dual, Activity.DualOnly)]
            public static double A(double x) => DB(x, 1.0) * x;

            [GeneratedCode("Autodiff", "1")]
            public static extern double DA(double x, double dx);

            [Autodiff(nameof(DB), Mode.Forward, Activity.Dual, Activity.DualOnly)]
            public static double B(double x) => DA(x, 1.0) + x;

            [GeneratedCode("Autodiff", "1")]
            public static extern double DB(double x, double dx);

            [Autodiff(nameof(DSelf), Mode.Reverse, Activity.Active, Activity.ActiveOnly)]
            public static double Self(double x) => x * DSelf(x, 1.0);

            [GeneratedCode("Autodiff", "1")]
            public static extern double DSelf(double x, double seed);
        }

        public static class Unservable
        {
            [DllImport("libm", EntryPoint = "cbrt")]
            private static extern double Cbrt(double x);

            [Autodiff(nameof(DBroken), Mode.Forward, Activity.Dual, Activity.DualOnly)]
            public static double Broken(double x) => Cbrt(x) * 2;

            [GeneratedCode("Autodiff", "1")]
            public static extern double DBroken(double x, double dx);

            [Autodiff(nameof(DOverBroken), Mode.Forward, Activity.Dual, Activity.DualOnly)]
            public static double OverBroken(double x) => DBroken(x, 1.0);

            [GeneratedCode("Autodiff", "1")]
            public static extern double DOverBroken(double x, double dx);

            [Autodiff(nameof(DLoop), Mode.Reverse, Activity.Active, Activity.ActiveOnly)]
            public static double Loop(double x)
            {
                double product = 1;
                for (var k = 1; k < 5; k++)
                    product *= Math.Sin(x * k);
                return product;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern double DLoop(double x, double seed);

            // The derivative called with constants only: no derivative flows through it, so nothing is needed.
            [Autodiff(nameof(DConstantUse), Mode.Forward, Activity.Dual, Activity.DualOnly)]
            public static double ConstantUse(double x) => x * DLoop(0.5, 1.0);

            [GeneratedCode("Autodiff", "1")]
            public static extern double DConstantUse(double x, double dx);
            // H·v by forward over a gradient writing its Duplicated array, differentiated again with the gradient array Const.
            [Autodiff(nameof(GradientOfArrayProduct), Mode.Reverse, Activity.Duplicated, Activity.ActiveOnly)]
            public static double ArrayProduct(double[] x)
            {
                double product = 1;
                for (var i = 0; i < x.Length; i++)
                    product *= Math.Sin(x[i]); // the gradient store
                return product;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern void GradientOfArrayProduct(double[] x, double[] gradient, double seed);

            [Autodiff(nameof(ArrayProductHvp), Mode.Forward, Activity.Dual, Activity.Dual)]
            public static void ArrayProductGradient(double[] x, double[] gradient) => GradientOfArrayProduct(x, gradient, 1.0);

            [GeneratedCode("Autodiff", "1")]
            public static extern void ArrayProductHvp(double[] x, double[] v, double[] gradient, double[] hv);

            [Autodiff(nameof(ConstGradientThird), Mode.Forward, Activity.Dual, Activity.Const, Activity.Const, Activity.Dual)]
            public static void ConstGradient(double[] x, double[] v, double[] gradient, double[] hv) => ArrayProductHvp(x, v, gradient, hv);

            [GeneratedCode("Autodiff", "1")]
            public static extern void ConstGradientThird(double[] x, double[] u, double[] v, double[] gradient, double[] hv, double[] dHv);
        }
        """;
}
