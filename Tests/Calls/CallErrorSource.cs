namespace Autodiff.Tests.Calls;

/// <summary>C# whose calls cannot be differentiated yet, one kind per primal; every error is reported in one build.</summary>
internal static class CallErrorSource
{
    public const string Text = """
        using System;
        using System.Numerics;
        using System.Runtime.InteropServices;
        using Autodiff;

        public class Shape
        {
            public virtual double Area(double r) => r * r;
        }

        public static class Box<T> where T : INumber<T>
        {
            public static T Twice(T x) => x + x;
        }

        public static class Broken
        {
            [DllImport("libm", EntryPoint = "cbrt")]
            private static extern double Cbrt(double x);

            private static double total;

            private static double Accumulate(double x)
            {
                total += x;
                return x * x;
            }

            [Autodiff("DNative", Mode.Reverse, Activity.Active, Activity.Active)]
            public static double Native(double x) => Cbrt(x) * 2;

            [Autodiff("DVirtual", Mode.Forward, Activity.Dual, Activity.Const, Activity.Dual)]
            public static double Virtual(double x, Shape s) => s.Area(x);

            // Forward mode runs the callee's derivative beside the call, which would repeat its effect.
            [Autodiff("DEffects", Mode.Forward, Activity.Dual, Activity.Dual)]
            public static double Effects(double x) => Accumulate(x) + 1;

            [Autodiff("DGeneric", Mode.Forward, Activity.Dual, Activity.Dual)]
            public static double Generic(double x) => Box<double>.Twice(x);
        }
        """;
}
