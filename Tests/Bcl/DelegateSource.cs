namespace Autodiff.Tests.Bcl;

/// <summary>The C# the delegate tests weave: lambdas, method groups and closures invoked inside differentiated code.</summary>
internal static class DelegateSource
{
    public const string Text = """
        using System;
        using System.CodeDom.Compiler;
        using Autodiff;

        public static class Delegates
        {
            // A non-capturing lambda (cached by C# in a static field): 2·(x² + sin x).
            [Autodiff(nameof(FLambda), Mode.Forward, Activity.Dual, Activity.Dual)]
            [Autodiff(nameof(RLambda), Mode.Reverse, Activity.Active, Activity.Active)]
            public static double Lambda(double x)
            {
                Func<double, double> f = t => t * t + Math.Sin(t);
                return 2 * f(x);
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FLambda(double x, double dx);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RLambda(double x, double seed);

            // A method group of the BCL (reaches the rule table): exp x + exp 2x.
            [Autodiff(nameof(FMethodGroup), Mode.Forward, Activity.Dual, Activity.Dual)]
            [Autodiff(nameof(RMethodGroup), Mode.Reverse, Activity.Active, Activity.Active)]
            public static double MethodGroup(double x)
            {
                Func<double, double> g = Math.Exp;
                return g(x) + g(2 * x);
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FMethodGroup(double x, double dx);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RMethodGroup(double x, double seed);

            // A closure capturing both active parameters: f(t) = t·y + exp(x·t); f(x) + f(y).
            [Autodiff(nameof(FClosure), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            [Autodiff(nameof(RClosure), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
            public static double Closure(double x, double y)
            {
                Func<double, double> f = t => t * y + Math.Exp(x * t);
                return f(x) + f(y);
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FClosure(double x, double dx, double y, double dy);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double, double) RClosure(double x, double y, double seed);

            // An Action writing a captured local: acc = x² + 9x².
            [Autodiff(nameof(FAccumulated), Mode.Forward, Activity.Dual, Activity.Dual)]
            [Autodiff(nameof(RAccumulated), Mode.Reverse, Activity.Active, Activity.Active)]
            public static double Accumulated(double x)
            {
                var acc = 0.0;
                Action<double> add = v => acc += v * v;
                add(x);
                add(3 * x);
                return acc;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FAccumulated(double x, double dx);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RAccumulated(double x, double seed);

            // A closure over an active scalar invoked in a loop over a shadowed array: Σ sin(k·aᵢ).
            [Autodiff(nameof(FMapped), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            [Autodiff(nameof(RMapped), Mode.Reverse, Activity.Duplicated, Activity.Active, Activity.Active)]
            public static double Mapped(double[] a, double k)
            {
                Func<double, double> scale = v => Math.Sin(k * v);
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                    s += scale(a[i]);
                return s;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FMapped(double[] a, double[] da, double k, double dk);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RMapped(double[] a, double[] da, double k, double seed);

            // A Func of two arguments calling a private helper: h(x, y) = helper(x)·y with helper(u) = u³.
            [Autodiff(nameof(FTwoArguments), Mode.Forward, Activity.Dual, Activity.Const, Activity.Dual)]
            [Autodiff(nameof(RTwoArguments), Mode.Reverse, Activity.Active, Activity.Const, Activity.Active)]
            public static double TwoArguments(double x, double y)
            {
                Func<double, double, double> h = (u, w) => Cube(u) * w;
                return h(x, y);
            }

            private static double Cube(double u) => u * u * u;

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FTwoArguments(double x, double dx, double y);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RTwoArguments(double x, double y, double seed);
        }
        """;

    /// <summary>A delegate received as a Const argument whose type has a by-reference parameter: its derivatives cannot be looked up.</summary>
    public const string UnknownTarget = """
        using System;
        using System.CodeDom.Compiler;
        using Autodiff;

        public delegate double Update(ref double state, double x);

        public static class Delegates
        {
            [Autodiff(nameof(RApply), Mode.Reverse, Activity.Const, Activity.Active, Activity.Active)]
            public static double Apply(Update f, double x)
            {
                var state = 0.0;
                return f(ref state, x) * x;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RApply(Update f, double x, double seed);
        }
        """;
}
