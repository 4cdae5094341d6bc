namespace Autodiff.Tests.HigherOrder;

/// <summary>
/// The C# the tuple-derivative tests weave: a reverse derivative of a loop returning both gradients as a ValueTuple,
/// declared by a form-1 stub and by a form-2 stub (which carries [Autodiff] itself), differentiated again both ways.
/// </summary>
internal static class TupleDerivativeSource
{
    public const string Text = """
        using System;
        using System.CodeDom.Compiler;
        using Autodiff;

        public static class Tuples
        {
            [Autodiff(nameof(DSeries), Mode.Reverse, Activity.Active, Activity.Active, Activity.Const, Activity.ActiveOnly)]
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
            public static extern (double, double) DSeries(double x, double y, int n, double seed);

            [Autodiff(nameof(MixedForward), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Const, Activity.DualOnly)]
            [Autodiff(nameof(MixedReverse), Mode.Reverse, Activity.Active, Activity.Active, Activity.Const, Activity.ActiveOnly)]
            public static double Mixed(double x, double y, int n)
            {
                var (dx, dy) = DSeries(x, y, n, 1.0);
                return dx * 2 + dy * x;
            }

            [Autodiff(typeof(Tuples), nameof(Series), Mode.Reverse, Activity.Active, Activity.Active, Activity.Const, Activity.ActiveOnly)]
            public static extern (double, double) DSeries2(double x, double y, int n, double seed);

            [Autodiff(nameof(Mixed2Forward), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Const, Activity.DualOnly)]
            [Autodiff(nameof(Mixed2Reverse), Mode.Reverse, Activity.Active, Activity.Active, Activity.Const, Activity.ActiveOnly)]
            public static double Mixed2(double x, double y, int n)
            {
                var (dx, dy) = DSeries2(x, y, n, 1.0);
                return dx * 2 + dy * x;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern double Mixed2Forward(double x, double dx, double y, double dy, int n);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) Mixed2Reverse(double x, double y, int n, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern double MixedForward(double x, double dx, double y, double dy, int n);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) MixedReverse(double x, double y, int n, double seed);
        }
        """;
}
