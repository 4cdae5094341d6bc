namespace Autodiff.Tests.HigherOrder;

/// <summary>
/// The C# the third-order tests weave: a woven reverse derivative with effects (it stores into its cursor tapes)
/// reached through a function that is itself differentiated twice, forward over forward over reverse and reverse over
/// forward over reverse.
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
        }
        """;
}
