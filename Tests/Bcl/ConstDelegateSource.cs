namespace Autodiff.Tests.Bcl;

/// <summary>
/// The C# the Const-delegate tests weave: differentiated methods that receive their Func as a Const argument or read
/// it from a field, and the callers that create those delegates (lambdas, closures, method groups) elsewhere.
/// </summary>
internal static class ConstDelegateSource
{
    public const string Text = """
        using System;
        using System.CodeDom.Compiler;
        using Autodiff;

        public sealed class Spring
        {
            private readonly double stiffness;

            public Spring(double stiffness) => this.stiffness = stiffness;

            public double Energy(double x) => 0.5 * stiffness * x * x;
        }

        public static class Quadrature
        {
            // The midpoint rule: h·Σ f(a + (i + ½)h), h = (b − a)/n.
            [Autodiff(nameof(FIntegrate), Mode.Forward, Activity.Const, Activity.Dual, Activity.Dual, Activity.Const, Activity.Dual)]
            [Autodiff(nameof(RIntegrate), Mode.Reverse, Activity.Const, Activity.Active, Activity.Active, Activity.Const, Activity.Active)]
            [Autodiff(nameof(FIntegrate2), Mode.Forward, Activity.Const, Activity.Dual, Activity.Dual, Activity.Const, Activity.Dual, Width = 2)]
            public static double Integrate(Func<double, double> f, double a, double b, int n)
            {
                var h = (b - a) / n;
                var sum = 0.0;
                for (var i = 0; i < n; i++)
                    sum += f(a + (i + 0.5) * h);
                return sum * h;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FIntegrate(Func<double, double> f, double a, double da, double b, double db, int n);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double, double) RIntegrate(Func<double, double> f, double a, double b, int n, double seed);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double, double) FIntegrate2(Func<double, double> f, double a, double da0, double da1, double b, double db0, double db1, int n);

            [Autodiff(nameof(FIntegrateSingle), Mode.Forward, Activity.Const, Activity.Dual, Activity.Dual, Activity.Const, Activity.Dual)]
            [Autodiff(nameof(RIntegrateSingle), Mode.Reverse, Activity.Const, Activity.Active, Activity.Active, Activity.Const, Activity.Active)]
            public static float IntegrateSingle(Func<float, float> f, float a, float b, int n)
            {
                var h = (b - a) / n;
                var sum = 0f;
                for (var i = 0; i < n; i++)
                    sum += f(a + (i + 0.5f) * h);
                return sum * h;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (float, float) FIntegrateSingle(Func<float, float> f, float a, float da, float b, float db, int n);
            [GeneratedCode("Autodiff", "1")] public static extern (float, float, float) RIntegrateSingle(Func<float, float> f, float a, float b, int n, float seed);

            // g(x, y)·x with a two-argument delegate.
            [Autodiff(nameof(FCombine), Mode.Forward, Activity.Const, Activity.Dual, Activity.Dual, Activity.Dual)]
            [Autodiff(nameof(RCombine), Mode.Reverse, Activity.Const, Activity.Active, Activity.Active, Activity.Active)]
            public static double Combine(Func<double, double, double> g, double x, double y) => g(x, y) * x;

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FCombine(Func<double, double, double> g, double x, double dx, double y, double dy);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double, double) RCombine(Func<double, double, double> g, double x, double y, double seed);

            // An energy over an array, passed with its shadow: energy(p) + p[0].
            [Autodiff(nameof(FTotal), Mode.Forward, Activity.Const, Activity.Dual, Activity.Dual)]
            [Autodiff(nameof(RTotal), Mode.Reverse, Activity.Const, Activity.Duplicated, Activity.Active)]
            public static double Total(Func<double[], double> energy, double[] p) => energy(p) + p[0];

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FTotal(Func<double[], double> energy, double[] p, double[] dp);
            [GeneratedCode("Autodiff", "1")] public static extern double RTotal(Func<double[], double> energy, double[] p, double[] dp, double seed);

            // An Action writing an output array: step(x, y) then Σ y.
            [Autodiff(nameof(FStepped), Mode.Forward, Activity.Const, Activity.Dual, Activity.Dual, Activity.Dual)]
            [Autodiff(nameof(RStepped), Mode.Reverse, Activity.Const, Activity.Duplicated, Activity.Duplicated, Activity.Active)]
            public static double Stepped(Action<double[], double[]> step, double[] x, double[] y)
            {
                step(x, y);
                var s = 0.0;
                for (var i = 0; i < y.Length; i++)
                    s += y[i];
                return s;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FStepped(Action<double[], double[]> step, double[] x, double[] dx, double[] y, double[] dy);
            [GeneratedCode("Autodiff", "1")] public static extern double RStepped(Action<double[], double[]> step, double[] x, double[] dx, double[] y, double[] dy, double seed);

            // A delegate read from a static field: shape(x)².
            public static Func<double, double> Shape = Cube;

            [Autodiff(nameof(FShaped), Mode.Forward, Activity.Dual, Activity.Dual)]
            [Autodiff(nameof(RShaped), Mode.Reverse, Activity.Active, Activity.Active)]
            public static double Shaped(double x)
            {
                var s = Shape(x);
                return s * s;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FShaped(double x, double dx);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RShaped(double x, double seed);

            public static double Cube(double x) => x * x * x;

            // Delegates created in a differentiated method and passed to a differentiated callee as its Const argument.
            [Autodiff(nameof(FTwoIntegrals), Mode.Forward, Activity.Dual, Activity.Dual)]
            [Autodiff(nameof(RTwoIntegrals), Mode.Reverse, Activity.Active, Activity.Active)]
            public static double TwoIntegrals(double x)
            {
                var k = 3.0;
                return Integrate(t => k * t * t, 0, x, 4) + Integrate(static t => Math.Exp(t), x, 1, 3);
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FTwoIntegrals(double x, double dx);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RTwoIntegrals(double x, double seed);
        }

        public static class Roots
        {
            [System.Runtime.InteropServices.DllImport("libm.so.6", EntryPoint = "cbrt")]
            public static extern double Cbrt(double x);

            [System.Runtime.InteropServices.DllImport("libm.so.6", EntryPoint = "cbrt")]
            public static extern double Unruled(double x);

            [ForwardRule(typeof(Roots), nameof(Cbrt))]
            public static (double, double) CbrtForward(double x, double dx)
            {
                var y = Cbrt(x);
                return (y, dx / (3 * y * y));
            }

            [ReverseRule(typeof(Roots), nameof(Cbrt))]
            public static (double, double) CbrtReverse(double x, double seed)
            {
                var y = Cbrt(x);
                return (y, seed / (3 * y * y));
            }
        }

        // The callers: where the delegates are created, outside any differentiated method.
        public static class Integrands
        {
            public static Func<double, double> MethodGroup() => Quadrature.Cube;

            public static Func<double, double> Sine() => static t => Math.Sin(t);

            public static Func<double, double> Cosine() => Math.Cos;

            public static Func<double, double> Scaled(double k) => t => k * t * t;

            public static Func<double, double> SpringEnergy(double stiffness) => new Spring(stiffness).Energy;

            public static Func<float, float> SingleSine() => static t => MathF.Sin(t) * t;

            public static Func<double, double, double> Product() => (u, v) => u * v * v;

            public static Func<double[], double> Quadratic() => q => q[0] * q[1] + q[1] * q[1];

            public static Action<double[], double[]> Squares() => (x, y) =>
            {
                for (var i = 0; i < x.Length; i++)
                    y[i] = x[i] * x[i];
            };

            public static Func<double, double> Hidden() =>
                (Func<double, double>)Delegate.CreateDelegate(typeof(Func<double, double>), typeof(Integrands).GetMethod(nameof(NeverConverted))!);

            public static double NeverConverted(double x) => x;

            // Converted, but with no IL the weaver can differentiate (a P/Invoke without a rule).
            public static Func<double, double> Native() => t => Roots.Unruled(t);

            // A method group of a P/Invoke that user rules differentiate.
            public static Func<double, double> CubeRoot() => Roots.Cbrt;
        }
        """;

    /// <summary>A closure over an active parameter passed to a recursive helper, which is not inlined: its captured derivative would be lost (AD3022).</summary>
    public const string EscapingClosure = """
        using System;
        using System.CodeDom.Compiler;
        using Autodiff;

        public static class Quadrature
        {
            public static double Integrate(Func<double, double> f, double a, double b, int n)
            {
                // Bisects down to single midpoints: recursive, so it is not inlined.
                if (n <= 1)
                    return f((a + b) / 2) * (b - a);
                var m = a + (b - a) * (n / 2) / n;
                return Integrate(f, a, m, n / 2) + Integrate(f, m, b, n - n / 2);
            }

            [Autodiff(nameof(RScaled), Mode.Reverse, Activity.Active, Activity.Active)]
            public static double Scaled(double x) => Integrate(t => t * x, 0, 1, 4);

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RScaled(double x, double seed);
        }
        """;

    public const string LibraryName = "Profiles";

    /// <summary>A library that creates delegates (a closure, a private method group) and integrates them.</summary>
    public const string Library = """
        using System;

        namespace Shapes;

        public static class Profiles
        {
            public static Func<double, double> Bump(double height) => t => height * Math.Exp(-t * t);

            public static Func<double, double> Parabola() => Square;

            private static double Square(double t) => t * t;

            public static double Integrate(Func<double, double> f, double a, double b, int n)
            {
                var h = (b - a) / n;
                var sum = 0.0;
                for (var i = 0; i < n; i++)
                    sum += f(a + (i + 0.5) * h);
                return sum * h;
            }
        }
        """;

    /// <summary>The user's differentiated method, passing a delegate it receives to the library's Integrate.</summary>
    public const string User = """
        using System;
        using System.CodeDom.Compiler;
        using Autodiff;
        using Shapes;

        public static class Areas
        {
            [Autodiff(nameof(FArea), Mode.Forward, Activity.Const, Activity.Dual, Activity.Dual)]
            [Autodiff(nameof(RArea), Mode.Reverse, Activity.Const, Activity.Active, Activity.Active)]
            public static double Area(Func<double, double> profile, double b) => Profiles.Integrate(profile, 0, b, 8);

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FArea(Func<double, double> profile, double b, double db);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RArea(Func<double, double> profile, double b, double seed);
        }
        """;
}
