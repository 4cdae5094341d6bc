namespace Autodiff.Tests.Calls;

/// <summary>
/// The C# the split-call tests weave: callees with side effects (a run counter), callees that write a
/// Duplicated array, callees with several returns called in a loop, nested callees, and a callee with a loop
/// called in a loop with and without <c>[Checkpoint]</c>.
/// </summary>
internal static class SplitCallSource
{
    public const string Text = """
        using System;
        using System.CodeDom.Compiler;
        using Autodiff;

        public sealed class Body
        {
            public double X;
            public double V;
        }

        public static class Split
        {
            private static void Step(Body b, double dt) => b.X += b.V * dt;

            // Two explicit Euler steps through a helper writing the Duplicated object: X₂ = X + 2·V·dt, f = X₂².
            [Autodiff(nameof(RSimulate), Mode.Reverse, Activity.Duplicated, Activity.Active, Activity.Active)]
            [Autodiff(nameof(FSimulate), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double Simulate(Body b, double dt)
            {
                Step(b, dt);
                Step(b, dt);
                return b.X * b.X;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RSimulate(Body b, Body db, double dt, double seed);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FSimulate(Body b, Body db, double dt, double ddt);

            private static int runs;

            public static int Runs => runs;

            // Counts its runs: an effect reverse mode must not repeat.
            private static double Counted(double x)
            {
                runs++;
                return x * x * Math.Sin(x);
            }

            private static double Outer(double x)
            {
                runs++;
                return Counted(x) * x;
            }

            private static void Scale(double[] a, double k)
            {
                for (var i = 0; i < a.Length; i++)
                    a[i] = k * Math.Sin(a[i]);
            }

            private static double Sum(double[] a)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                    s += a[i];
                return s;
            }

            private static double Piece(double x)
            {
                if (x > 0)
                    return x * x;
                return Math.Sin(x) * x;
            }

            private static double Energy(double[] a, double w)
            {
                var e = 0.0;
                for (var i = 0; i < a.Length; i++)
                    e += Math.Sin(w * a[i]) * a[i];
                return e;
            }

            [Checkpoint]
            private static double EnergyCheckpointed(double[] a, double w)
            {
                var e = 0.0;
                for (var i = 0; i < a.Length; i++)
                    e += Math.Sin(w * a[i]) * a[i];
                return e;
            }

            // f = 3·Counted(x) + Counted(2x) + Outer(x): Counted runs three times per call, Outer once.
            [Autodiff(nameof(RCounted), Mode.Reverse, Activity.Active, Activity.Active)]
            [Autodiff(nameof(FCounted), Mode.Forward, Activity.Dual, Activity.Dual)]
            public static double CountedCalls(double x) => 3 * Counted(x) + Counted(2 * x) + Outer(x);

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RCounted(double x, double seed);

            // Vector mode: one augmented forward per call and a reverse with two seeds; forward, one call with two tangents.
            [Autodiff(nameof(RCountedWide), Mode.Reverse, Activity.Active, Activity.Active, Width = 2)]
            [Autodiff(nameof(FCountedWide), Mode.Forward, Activity.Dual, Activity.Dual, Width = 2)]
            public static double CountedCallsWide(double x) => 3 * Counted(x) + Counted(2 * x) + Outer(x);

            [GeneratedCode("Autodiff", "1")] public static extern (double, double, double) RCountedWide(double x, double seed0, double seed1);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double, double) FCountedWide(double x, double dx0, double dx1);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FCounted(double x, double dx);

            // Scale overwrites x in place: f = k·Σ k·sin(xᵢ) = k²·Σ sin(xᵢ) of the x passed in.
            [Autodiff(nameof(RScaled), Mode.Reverse, Activity.Duplicated, Activity.Active, Activity.Active)]
            [Autodiff(nameof(FScaled), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double Scaled(double[] x, double k)
            {
                Scale(x, k);
                return Sum(x) * k;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RScaled(double[] x, double[] dx, double k, double seed);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FScaled(double[] x, double[] dx, double k, double dk);

            [Autodiff(nameof(RScaledWide), Mode.Reverse, Activity.Duplicated, Activity.Active, Activity.Active, Width = 2)]
            [Autodiff(nameof(FScaledWide), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual, Width = 2)]
            public static double ScaledWide(double[] x, double k)
            {
                Scale(x, k);
                return Sum(x) * k;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double, double) RScaledWide(double[] x, double[] dx0, double[] dx1, double k, double seed0, double seed1);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double, double) FScaledWide(double[] x, double[] dx0, double[] dx1, double k, double dk0, double dk1);

            // A callee with two returns, called on a path that depends on the iteration.
            [Autodiff(nameof(RPieces), Mode.Reverse, Activity.Active, Activity.Const, Activity.Active)]
            [Autodiff(nameof(FPieces), Mode.Forward, Activity.Dual, Activity.Const, Activity.Dual)]
            public static double Pieces(double x, int n)
            {
                var s = x;
                for (var i = 0; i < n; i++)
                    s = Piece(s - i) * 0.5 + x;
                return s;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RPieces(double x, int n, double seed);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FPieces(double x, double dx, int n);

            private static void Accumulate(ref double acc, double x) => acc += x * x;

            // The helper writes through the ref parameter: a ← a + x², f = a·x.
            [Autodiff(nameof(RThroughRef), Mode.Reverse, Activity.Duplicated, Activity.Active, Activity.Active)]
            [Autodiff(nameof(FThroughRef), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double ThroughRef(ref double a, double x)
            {
                Accumulate(ref a, x);
                return a * x;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RThroughRef(ref double a, ref double da, double x, double seed);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FThroughRef(ref double a, ref double da, double x, double dx);

            [Autodiff(nameof(RTotal), Mode.Reverse, Activity.Duplicated, Activity.Active, Activity.Const, Activity.Active)]
            public static double Total(double[] a, double w, int m)
            {
                var t = 0.0;
                for (var j = 0; j < m; j++)
                    t += Energy(a, w + j);
                return t;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RTotal(double[] a, double[] da, double w, int m, double seed);

            [Autodiff(nameof(RTotalCheckpointed), Mode.Reverse, Activity.Duplicated, Activity.Active, Activity.Const, Activity.Active)]
            public static double TotalCheckpointed(double[] a, double w, int m)
            {
                var t = 0.0;
                for (var j = 0; j < m; j++)
                    t += EnergyCheckpointed(a, w + j);
                return t;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RTotalCheckpointed(double[] a, double[] da, double w, int m, double seed);
        }
        """;
}
