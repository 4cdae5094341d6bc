using System.Collections.Generic;

namespace Autodiff.Tests.Decompilation;

/// <summary>
/// The constructs the end-to-end tests weave, one source each: every request form, both modes, Width,
/// elementary functions, branches merging active values, loops (slot and pooled tapes) and shadowed
/// memory (arrays, spans, ref parameters).
/// </summary>
public static class DecompilationCorpus
{
    public static IEnumerable<(string Name, string Source)> Sources()
    {
        yield return ("request forms", """
            using System;
            using System.CodeDom.Compiler;
            using Autodiff;

            public static class Geometry
            {
                public static double Area(double r) => Math.PI * r * r;
            }

            public static class Derivatives
            {
                [Autodiff(typeof(Geometry), nameof(Geometry.Area), Mode.Reverse, Activity.Active, Activity.Active)]
                public static extern (double value, double dr) DArea(double r, double seed);

                [Autodiff(typeof(Geometry), nameof(Geometry.Area), Mode.Forward, Activity.Dual, Activity.Dual, Width = 2)]
                public static extern (double value, double d0, double d1) TwoDirections(double r, double dr0, double dr1);
            }

            public static class Added
            {
                [Autodiff("DCube", Mode.Reverse, Activity.Active, Activity.Active)]
                public static double Cube(double x) => x * x * x;
            }

            public sealed class Spring
            {
                public double Stiffness = 3;

                [Autodiff(nameof(DEnergy), Mode.Reverse, Activity.Const, Activity.Active, Activity.Active)]
                public double Energy(double stretch) => 0.5 * Stiffness * stretch * stretch;

                [GeneratedCode("Autodiff", "1")]
                public extern (double, double) DEnergy(double stretch, double seed);
            }
            """);

        yield return ("elementary functions", """
            using System;
            using System.CodeDom.Compiler;
            using Autodiff;

            public static class Functions
            {
                [Autodiff(nameof(R), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
                [Autodiff(nameof(T), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
                public static double F(double x, double y) =>
                    Math.Sin(x) * Math.Cos(y) + Math.Exp(x * y) + Math.Log(y) + Math.Sqrt(x * x + y * y)
                    + Math.Pow(x, y) + Math.Tanh(x - y) + Math.Atan(x * y) - x * Math.Abs(y) + Math.Floor(y) - x / y;

                [GeneratedCode("Autodiff", "1")] public static extern (double, double, double) R(double x, double y, double seed);
                [GeneratedCode("Autodiff", "1")] public static extern (double, double) T(double x, double dx, double y, double dy);
            }
            """);

        yield return ("branches and loops", """
            using System;
            using System.CodeDom.Compiler;
            using Autodiff;

            public static class Flow
            {
                [Autodiff(nameof(RBranch), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
                [Autodiff(nameof(TBranch), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
                public static double Branch(double x, double y)
                {
                    double r;
                    if (x > y)
                        r = x * x;
                    else
                        r = y * y * x;
                    return r + 1;
                }

                [Autodiff(nameof(RPower), Mode.Reverse, Activity.Active, Activity.Const, Activity.Active)]
                [Autodiff(nameof(TPower), Mode.Forward, Activity.Dual, Activity.Const, Activity.Dual)]
                public static double Power(double x, int n)
                {
                    double p = 1;
                    for (int i = 0; i < n; i++)
                        p *= x;
                    return p;
                }

                [GeneratedCode("Autodiff", "1")] public static extern (double, double, double) RBranch(double x, double y, double seed);
                [GeneratedCode("Autodiff", "1")] public static extern (double, double) TBranch(double x, double dx, double y, double dy);
                [GeneratedCode("Autodiff", "1")] public static extern (double, double) RPower(double x, int n, double seed);
                [GeneratedCode("Autodiff", "1")] public static extern (double, double) TPower(double x, double dx, int n);
            }
            """);
        yield return ("shadowed memory", """
            using System;
            using System.CodeDom.Compiler;
            using Autodiff;

            public static class Memory
            {
                [Autodiff(nameof(DF), Mode.Reverse, Activity.Duplicated, Activity.Active)]
                public static double F(double[] x) => x[0] * x[0] + x[1] * x[0];

                [Autodiff(nameof(GradientOfWeightedSquares), Mode.Reverse, Activity.Duplicated, Activity.Duplicated, Activity.Active)]
                [Autodiff(nameof(TangentOfWeightedSquares), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
                public static double WeightedSquares(ReadOnlySpan<double> x, Span<double> y)
                {
                    var sum = 0.0;
                    for (var i = 0; i < x.Length; i++)
                    {
                        y[i] = (i + 1) * x[i] * x[i];
                        sum += y[i];
                    }
                    return sum;
                }

                [Autodiff(nameof(DScale), Mode.Reverse, Activity.Active, Activity.Duplicated)]
                public static void Scale(double a, ref double y) => y = a * y;

                [GeneratedCode("Autodiff", "1")]
                public static extern double DF(double[] x, double[] dx, double seed);

                [GeneratedCode("Autodiff", "1")]
                public static extern double GradientOfWeightedSquares(ReadOnlySpan<double> x, Span<double> dx, Span<double> y, Span<double> dy, double seed);

                [GeneratedCode("Autodiff", "1")]
                public static extern (double, double) TangentOfWeightedSquares(ReadOnlySpan<double> x, Span<double> dx, Span<double> y, Span<double> dy);

                [GeneratedCode("Autodiff", "1")]
                public static extern double DScale(double a, ref double y, ref double dy);
            }
            """);
    }
}
