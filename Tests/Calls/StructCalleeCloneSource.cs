namespace Autodiff.Tests.Calls;

/// <summary>C# of the struct-callee clone tests: structs passed by value to helpers that are not inlined.</summary>
internal static class StructCalleeCloneSource
{
    public const string Text = """
        using System;
        using System.CodeDom.Compiler;
        using Autodiff;

        public struct Vec2
        {
            public double X;
            public double Y;

            public Vec2(double x, double y)
            {
                X = x;
                Y = y;
            }
        }

        public struct Segment
        {
            public Vec2 A;
            public Vec2 B;
        }

        public struct Poly
        {
            public double A;
            public double B;

            // A recursive instance method: the receiver is read through its address, passed to the clone as leaves.
            public double Eval(double t, int n) => n == 0 ? A : A + t * B * Eval(t, n - 1);
        }

        public struct Cell
        {
            public float U;
            public float V;
        }

        public struct Grower
        {
            public float A;
            public float B;

            // A recursive instance method writing its receiver: A ← A·B, n + 1 times.
            public float Grow(int n)
            {
                A *= B;
                return n == 0 ? A * B : Grow(n - 1);
            }
        }

        public static class Clones
        {
            // Recursive: (x, y) → (y, x²) → (x², y²) → (y², x⁴) → y²·x⁴.
            private static double Fold(Vec2 v, int n) => n == 0 ? v.X * v.Y : Fold(new Vec2(v.Y, v.X * v.X), n - 1);

            [Autodiff(nameof(GradientOfFolded), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
            [Autodiff(nameof(TangentOfFolded), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            [Autodiff(nameof(TangentsOfFolded), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual, Width = 2)]
            [Autodiff(nameof(GradientsOfFolded), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active, Width = 2)]
            public static double Folded(double x, double y) => Fold(new Vec2(x, y), 3);

            [GeneratedCode("Autodiff", "1")] public static extern (double, double, double) GradientOfFolded(double x, double y, double seed);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) TangentOfFolded(double x, double dx, double y, double dy);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double, double, double, double) GradientsOfFolded(double x, double y, double seed0, double seed1);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double, double) TangentsOfFolded(double x, double dx0, double dx1, double y, double dy0, double dy1);

            // A nested struct through a recursive helper with a loop: Σ over n halvings of ‖B − A‖², B scaled by ½ each time.
            private static double Spread(Segment s, int n)
            {
                var dx = s.B.X - s.A.X;
                var dy = s.B.Y - s.A.Y;
                var here = dx * dx + dy * dy;
                if (n == 0)
                    return here;
                var next = s;
                next.B = new Vec2(s.B.X * 0.5, s.B.Y * 0.5);
                return here + Spread(next, n - 1);
            }

            [Autodiff(nameof(GradientOfSpread), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active, Activity.Active)]
            [Autodiff(nameof(TangentOfSpread), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double SpreadOf(double ax, double bx, double by) => Spread(new Segment { A = new Vec2(ax, 0), B = new Vec2(bx, by) }, 2);

            [GeneratedCode("Autodiff", "1")] public static extern (double, double, double, double) GradientOfSpread(double ax, double bx, double by, double seed);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) TangentOfSpread(double ax, double dax, double bx, double dbx, double by, double dby);

            // Generic and recursive: the index type argument is long, the struct passes through as leaves.
            private static double Weighted<TIndex>(Vec2 v, TIndex weight, int n) =>
                n == 0 ? v.X * Convert.ToDouble(weight) : v.Y + Weighted(new Vec2(v.X * v.Y, v.Y), weight, n - 1);

            [Autodiff(nameof(GradientOfWeighted), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
            [Autodiff(nameof(TangentOfWeighted), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double WeightedOf(double x, double y) => Weighted(new Vec2(x, y), 3L, 2);

            [GeneratedCode("Autodiff", "1")] public static extern (double, double, double) GradientOfWeighted(double x, double y, double seed);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) TangentOfWeighted(double x, double dx, double y, double dy);

            // [Checkpoint]: recomputed in the reverse sweep, the clone keeps the attribute.
            [Checkpoint]
            private static double Length(Vec2 v) => Math.Sqrt(v.X * v.X + v.Y * v.Y);

            [Autodiff(nameof(GradientOfLengths), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
            [Autodiff(nameof(TangentOfLengths), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double Lengths(double x, double y) => Length(new Vec2(x, y)) * Length(new Vec2(y, 2 * x));

            [GeneratedCode("Autodiff", "1")] public static extern (double, double, double) GradientOfLengths(double x, double y, double seed);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) TangentOfLengths(double x, double dx, double y, double dy);

            // A recursive instance method: x + 2xy + 4xy².
            [Autodiff(nameof(GradientOfEvaluated), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
            [Autodiff(nameof(TangentOfEvaluated), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double Evaluated(double x, double y) => new Poly { A = x, B = y }.Eval(2, 2);

            [GeneratedCode("Autodiff", "1")] public static extern (double, double, double) GradientOfEvaluated(double x, double y, double seed);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) TangentOfEvaluated(double x, double dx, double y, double dy);

            // An `in` parameter of a recursive helper: x²·(x − y).
            private static double Depth(in Vec2 v, int n) => n == 0 ? v.X - v.Y : v.X * Depth(in v, n - 1);

            [Autodiff(nameof(GradientOfDeep), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
            [Autodiff(nameof(TangentOfDeep), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double Deep(double x, double y)
            {
                var v = new Vec2(x, y);
                return Depth(in v, 2);
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double, double) GradientOfDeep(double x, double y, double seed);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) TangentOfDeep(double x, double dx, double y, double dy);

            // A struct local passed by ref to a recursive helper that writes it: (X, Y) ← (X·s + Y, Y·s), n times.
            private static void Advance(ref Vec2 v, double s, int n)
            {
                if (n == 0)
                    return;
                v.X = v.X * s + v.Y;
                v.Y *= s;
                Advance(ref v, s, n - 1);
            }

            [Autodiff(nameof(GradientOfAdvanced), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active, Activity.Active)]
            [Autodiff(nameof(TangentOfAdvanced), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual, Activity.Dual)]
            [Autodiff(nameof(GradientsOfAdvanced), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active, Activity.Active, Width = 2)]
            public static double Advanced(double x, double y, double s)
            {
                var v = new Vec2(x, y);
                Advance(ref v, s, 2);
                return v.X * v.Y;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double, double, double) GradientOfAdvanced(double x, double y, double s, double seed);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) TangentOfAdvanced(double x, double dx, double y, double dy, double s, double ds);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double, double, double, double, double, double) GradientsOfAdvanced(double x, double y, double s, double seed0, double seed1);

            [Autodiff(nameof(GradientOfGrown), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
            [Autodiff(nameof(TangentOfGrown), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static float Grown(float a, float b) => new Grower { A = a, B = b }.Grow(2);

            [GeneratedCode("Autodiff", "1")] public static extern (float, float, float) GradientOfGrown(float a, float b, float seed);
            [GeneratedCode("Autodiff", "1")] public static extern (float, float) TangentOfGrown(float a, float da, float b, float db);

            // Float struct, mutual recursion: Even/Odd alternate u ← u·v and v ← u + v.
            private static float Even(Cell c, int n) => n == 0 ? c.U + c.V : Odd(new Cell { U = c.U * c.V, V = c.V }, n - 1);

            private static float Odd(Cell c, int n) => n == 0 ? c.U * c.V : Even(new Cell { U = c.U, V = c.U + c.V }, n - 1);

            [Autodiff(nameof(GradientOfAlternating), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
            [Autodiff(nameof(TangentOfAlternating), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static float Alternating(float u, float v) => Even(new Cell { U = u, V = v }, 3);

            [GeneratedCode("Autodiff", "1")] public static extern (float, float, float) GradientOfAlternating(float u, float v, float seed);
            [GeneratedCode("Autodiff", "1")] public static extern (float, float) TangentOfAlternating(float u, float du, float v, float dv);
        }
        """;
}
