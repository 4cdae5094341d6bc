namespace Autodiff.Tests.Calls;

/// <summary>
/// The C# the call tests weave: each primal calls helpers (private statics, local functions, instance
/// methods, recursion, mutual recursion) and gets a forward (Dual) and a reverse (Active) derivative.
/// </summary>
internal static class CallSource
{
    public const string Text = """
        using System;
        using System.CodeDom.Compiler;
        using System.Numerics;
        using Autodiff;

        public sealed class Scaler
        {
            private readonly double k;

            public Scaler(double k) => this.k = k;

            public double Apply(double x) => k * x * x;
        }

        public static class Calls
        {
            private static double Square(double x) => x * x;

            private static float SquareF(float x) => x * x;

            private static double Poly(double x, double y) => x * x * y + Math.Sin(y);

            private static double SquareOfSin(double x) => Square(Math.Sin(x));

            private static double Power(double x, int n) => n == 0 ? 1 : x * Power(x, n - 1);

            private static double Even(double x, int n) => n == 0 ? x : Math.Sin(Odd(x, n - 1));

            private static double Odd(double x, int n) => n == 0 ? x : x * Even(x, n - 1);

            private static T Sq<T>(T x) where T : INumber<T> => x * x;

            private static T Wave<T>(T x) where T : IFloatingPointIeee754<T> => T.Sin(x) * Sq(x) + T.One;

            private static int logged;

            public static int Logged => logged;

            [Inactive]
            private static void Log(double x) => logged++;

            private static double Weighted(double x, [Inactive] double w) => w * x;

            [Inactive]
            private static double Rounded(double x) => Math.Floor(x * 1000) / 1000;

            // Log runs once per call and is not differentiated; w of Weighted and Rounded carry no derivative: d/dx = x.
            [Autodiff(nameof(FInactive), Mode.Forward, Activity.Dual, Activity.Dual)]
            [Autodiff(nameof(RInactive), Mode.Reverse, Activity.Active, Activity.Active)]
            public static double InactiveCalls(double x)
            {
                Log(x);
                return Weighted(x, x) + Rounded(x);
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FInactive(double x, double dx);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RInactive(double x, double seed);

            // y·Square(x) + Square(3): the second call has no active argument and runs once, undifferentiated.
            [Autodiff(nameof(FSquare), Mode.Forward, Activity.Dual, Activity.Const, Activity.Dual)]
            [Autodiff(nameof(RSquare), Mode.Reverse, Activity.Active, Activity.Const, Activity.Active)]
            public static double SquareCall(double x, double y) => y * Square(x) + Square(3);

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FSquare(double x, double dx, double y);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RSquare(double x, double y, double seed);

            // Both call sites of Poly with x active in the first argument share one derivative; the third differs.
            [Autodiff(nameof(FPoly), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            [Autodiff(nameof(RPoly), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
            public static double PolyCalls(double x, double y) => Poly(x, 2.0) + Poly(y, x) + Poly(x * y, 0.5) * Poly(1.5, y);

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FPoly(double x, double dx, double y, double dy);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double, double) RPoly(double x, double y, double seed);

            [Autodiff(nameof(FNested), Mode.Forward, Activity.Dual, Activity.Dual)]
            [Autodiff(nameof(RNested), Mode.Reverse, Activity.Active, Activity.Active)]
            public static double Nested(double x) => SquareOfSin(x) * Math.Exp(SquareOfSin(2 * x));

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FNested(double x, double dx);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RNested(double x, double seed);

            [Autodiff(nameof(FLocal), Mode.Forward, Activity.Dual, Activity.Dual)]
            [Autodiff(nameof(RLocal), Mode.Reverse, Activity.Active, Activity.Active)]
            public static double Local(double x)
            {
                return Cube(x) + Cube(2 * x);

                static double Cube(double v) => v * v * v;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FLocal(double x, double dx);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RLocal(double x, double seed);

            [Autodiff(nameof(FInstance), Mode.Forward, Activity.Dual, Activity.Dual)]
            [Autodiff(nameof(RInstance), Mode.Reverse, Activity.Active, Activity.Active)]
            public static double Instance(double x) => new Scaler(3).Apply(x) + new Scaler(2).Apply(x * x);

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FInstance(double x, double dx);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RInstance(double x, double seed);

            [Autodiff(nameof(FRecursive), Mode.Forward, Activity.Dual, Activity.Const, Activity.Dual)]
            [Autodiff(nameof(RRecursive), Mode.Reverse, Activity.Active, Activity.Const, Activity.Active)]
            public static double Recursive(double x, int n) => Power(x, n);

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FRecursive(double x, double dx, int n);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RRecursive(double x, int n, double seed);

            [Autodiff(nameof(FMutual), Mode.Forward, Activity.Dual, Activity.Const, Activity.Dual)]
            [Autodiff(nameof(RMutual), Mode.Reverse, Activity.Active, Activity.Const, Activity.Active)]
            public static double Mutual(double x, int n) => Even(x, n);

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FMutual(double x, double dx, int n);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RMutual(double x, int n, double seed);

            [Autodiff(nameof(FGeneric), Mode.Forward, Activity.Dual, Activity.Dual)]
            [Autodiff(nameof(RGeneric), Mode.Reverse, Activity.Active, Activity.Active)]
            public static double Generic(double x) => Sq(x) + Wave(x);

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FGeneric(double x, double dx);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RGeneric(double x, double seed);

            [Autodiff(nameof(FGenericSingle), Mode.Forward, Activity.Dual, Activity.Dual)]
            [Autodiff(nameof(RGenericSingle), Mode.Reverse, Activity.Active, Activity.Active)]
            public static float GenericSingle(float x) => Wave(x);

            [GeneratedCode("Autodiff", "1")] public static extern (float, float) FGenericSingle(float x, float dx);
            [GeneratedCode("Autodiff", "1")] public static extern (float, float) RGenericSingle(float x, float seed);

            [Autodiff(nameof(FSingle), Mode.Forward, Activity.Dual, Activity.Dual)]
            [Autodiff(nameof(RSingle), Mode.Reverse, Activity.Active, Activity.Active)]
            public static float Single(float x) => SquareF(x) * x;

            [GeneratedCode("Autodiff", "1")] public static extern (float, float) FSingle(float x, float dx);
            [GeneratedCode("Autodiff", "1")] public static extern (float, float) RSingle(float x, float seed);
        }
        """;
}
