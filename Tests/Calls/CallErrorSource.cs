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

        public sealed class Holder
        {
            public double V;
        }

        public struct Pair
        {
            public double A;
            public double B;
        }

        public static class Box
        {
            public static double Scaled<T>(double x, T times) where T : INumber<T>
            {
                try
                {
                    return x * double.CreateChecked(times);
                }
                catch (OverflowException)
                {
                    return x;
                }
            }
        }

        public static class Broken
        {
            [DllImport("libm", EntryPoint = "cbrt")]
            private static extern double Cbrt(double x);

            private static int count;

            [Checkpoint]
            private static double Accumulate(double x)
            {
                count++;
                return x * x;
            }

            [Autodiff("DNative", Mode.Reverse, Activity.Active, Activity.Active)]
            public static double Native(double x) => Cbrt(x) * 2;

            [Autodiff("DVirtual", Mode.Forward, Activity.Dual, Activity.Const, Activity.Dual)]
            public static double Virtual(double x, Shape s) => s.Area(x);

            // [Checkpoint] recomputes the callee in the reverse sweep, which would repeat its effect.
            [Autodiff("DEffects", Mode.Reverse, Activity.Active, Activity.Active)]
            public static double Effects(double x) => Accumulate(x) + 1;

            private static double Buffered(double x)
            {
                // A stackalloc'd span's shadow lives in the augmented forward's frame (an array would work).
                Span<double> t = stackalloc double[2];
                for (var i = 0; i < t.Length; i++)
                    t[i] = x * (i + 1);
                return t[0] * t[1];
            }

            private static double[] Either(double[] t, double a) => a > 0 ? t : new[] { a };

            [Autodiff("DUnshadowedReturn", Mode.Reverse, Activity.Const, Activity.Active, Activity.Active)]
            public static double UnshadowedReturn(double[] t, double a) => Either(t, a)[0];

            // Split (it receives the Duplicated x), it returns a new object holding an active value.
            private static Holder Make(double[] x)
            {
                var h = new Holder();
                h.V = x[0] * x[0];
                return h;
            }

            private static double Use(Holder h) => h.V * 2;

            [Autodiff("DMade", Mode.Reverse, Activity.Duplicated, Activity.Active)]
            public static double Made(double[] x) => Use(Make(x));

            [Autodiff("DAllocating", Mode.Reverse, Activity.Active, Activity.Active)]
            public static double Allocating(double x) => Buffered(x) * 2;

            // Recursive with an exception handler, so kept as a call and not cloned: the struct local's fields have no shadow to pass along.
            private static void Fill(ref Pair p, double x, int n)
            {
                try
                {
                    if (n == 0)
                    {
                        p.A = x;
                        p.B = x * x;
                        return;
                    }
                    Fill(ref p, x, n - 1);
                }
                catch (System.ArithmeticException)
                {
                    p.A = 0;
                }
            }

            [Autodiff("DByReference", Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
            public static double ByReference(double x, double y)
            {
                var p = default(Pair);
                Fill(ref p, x * y, 2);
                return p.A * p.B;
            }

            [Autodiff("DGeneric", Mode.Forward, Activity.Dual, Activity.Dual)]
            public static double Generic(double x) => Box.Scaled(x, 3);
        }
        """;
}
