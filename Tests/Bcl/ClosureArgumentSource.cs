namespace Autodiff.Tests.Bcl;

/// <summary>The C# the closure-argument tests weave: lambdas capturing active values passed to helpers that invoke them.</summary>
internal static class ClosureArgumentSource
{
    public const string Text = """
        using System;
        using System.CodeDom.Compiler;
        using Autodiff;

        public static class Closures
        {
            // Differentiated itself too (its delegate then a Const argument): callers creating the delegate still inline it.
            [Autodiff(nameof(FIntegrate), Mode.Forward, Activity.Const, Activity.Dual, Activity.Dual, Activity.Const, Activity.Dual)]
            public static double Integrate(Func<double, double> f, double lo, double hi, int n)
            {
                var h = (hi - lo) / n;
                var sum = 0.0;
                for (var i = 0; i < n; i++)
                    sum += f(lo + (i + 0.5) * h);
                return sum * h;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FIntegrate(Func<double, double> f, double lo, double dlo, double hi, double dhi, int n);

            public static Func<double, double> Square() => t => t * t;

            // ∫₀¹ sin(a·t) dt by the midpoint rule: a closure over the active parameter, passed to the helper.
            [Autodiff(nameof(FEnergy), Mode.Forward, Activity.Dual, Activity.Dual)]
            [Autodiff(nameof(REnergy), Mode.Reverse, Activity.Active, Activity.Active)]
            public static double Energy(double a) => Integrate(t => Math.Sin(a * t), 0, 1, 100);

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FEnergy(double a, double da);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) REnergy(double a, double seed);

            // A closure capturing two active values and an array with a shadow.
            [Autodiff(nameof(FMixed), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual, Activity.Dual)]
            [Autodiff(nameof(RMixed), Mode.Reverse, Activity.Active, Activity.Active, Activity.Duplicated, Activity.Active)]
            public static double Mixed(double a, double b, double[] c) => Integrate(t => a * Math.Exp(b * t) + c[0] * t + c[1] * t * t, 0, 1, 10);

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FMixed(double a, double da, double b, double db, double[] c, double[] dc);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double, double) RMixed(double a, double b, double[] c, double[] dc, double seed);

            // A helper passing the delegate on to the integrator.
            public static double Average(Func<double, double> f, double lo, double hi, int n) => Integrate(f, lo, hi, n) / (hi - lo);

            [Autodiff(nameof(FMean), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            [Autodiff(nameof(RMean), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
            public static double Mean(double a, double b) => Average(t => b * Math.Exp(a * t), 0, 2, 8);

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FMean(double a, double da, double b, double db);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double, double) RMean(double a, double b, double seed);

            public static float IntegrateSingle(Func<float, float> f, float lo, float hi, int n)
            {
                var h = (hi - lo) / n;
                var sum = 0f;
                for (var i = 0; i < n; i++)
                    sum += f(lo + (i + 0.5f) * h);
                return sum * h;
            }

            [Autodiff(nameof(FEnergySingle), Mode.Forward, Activity.Dual, Activity.Dual)]
            [Autodiff(nameof(REnergySingle), Mode.Reverse, Activity.Active, Activity.Active)]
            public static float EnergySingle(float a) => IntegrateSingle(t => MathF.Sin(a * t), 0, 1, 50);

            [GeneratedCode("Autodiff", "1")] public static extern (float, float) FEnergySingle(float a, float da);
            [GeneratedCode("Autodiff", "1")] public static extern (float, float) REnergySingle(float a, float seed);
        }
        """;
}
