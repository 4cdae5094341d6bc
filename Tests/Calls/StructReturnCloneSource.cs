namespace Autodiff.Tests.Calls;

/// <summary>C# of the struct-return clone tests: helpers that are not inlined and return structs holding active values.</summary>
internal static class StructReturnCloneSource
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

        public struct Frame
        {
            public Vec2 Origin;
            public double Scale;
        }

        public struct Duo
        {
            public float A;
            public float B;
        }

        public static class Hidden
        {
            private static double scale = 2;

            [Autodiff(nameof(DScaled), Mode.Reverse, Activity.Active, Activity.Active, Activity.ActiveOnly)]
            public static double Scaled(double x, double y) => scale * x * x * y;

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) DScaled(double x, double y, double seed);

            // A loop over active values: its reverse derivative keeps a tape.
            [Autodiff(nameof(DPowered), Mode.Reverse, Activity.Active, Activity.Active, Activity.Const, Activity.ActiveOnly)]
            public static double Powered(double x, double y, int n)
            {
                var p = scale;
                for (var i = 0; i < n; i++)
                    p *= x * y;
                return p;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) DPowered(double x, double y, int n, double seed);
        }

        public static class Returns
        {
            // A woven derivative returning a tuple, which this class cannot inline (it reads a private field of Hidden): its clone.
            [Autodiff(nameof(GradientOfOverHidden), Mode.Reverse, Activity.Active, Activity.Active)]
            [Autodiff(nameof(TangentOfOverHidden), Mode.Forward, Activity.Dual, Activity.Dual)]
            public static double OverHidden(double x)
            {
                var (dx, dy) = Hidden.DScaled(x, x, 1.0);
                return dx + dy;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) GradientOfOverHidden(double x, double seed);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) TangentOfOverHidden(double x, double dx);

            [Autodiff(nameof(TangentOfOverTaped), Mode.Forward, Activity.Dual, Activity.Const, Activity.Dual)]
            public static double OverTaped(double x, int n)
            {
                var (dx, dy) = Hidden.DPowered(x, x, n, 1.0);
                return dx + dy;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) TangentOfOverTaped(double x, double dx, int n);

            private static Vec2 Mul(Vec2 a, Vec2 b) => new Vec2(a.X * b.X - a.Y * b.Y, a.X * b.Y + a.Y * b.X);

            // Recursive, returning a struct: (x + iy)ⁿ as complex multiplication.
            private static Vec2 Pow(Vec2 v, int n) => n == 0 ? new Vec2(1, 0) : Mul(v, Pow(v, n - 1));

            [Autodiff(nameof(GradientOfCubed), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
            [Autodiff(nameof(TangentOfCubed), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            [Autodiff(nameof(TangentsOfCubed), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual, Width = 2)]
            [Autodiff(nameof(GradientsOfCubed), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active, Width = 2)]
            public static double Cubed(double x, double y)
            {
                var p = Pow(new Vec2(x, y), 3);
                return p.X + 2 * p.Y;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double, double) GradientOfCubed(double x, double y, double seed);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) TangentOfCubed(double x, double dx, double y, double dy);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double, double, double, double) GradientsOfCubed(double x, double y, double seed0, double seed1);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double, double) TangentsOfCubed(double x, double dx0, double dx1, double y, double dy0, double dy1);

            // Recursive, returning a nested struct built from scalars only (no struct parameter), called in a loop.
            private static Frame Grow(double s, int n) => n == 0 ? new Frame { Origin = new Vec2(s, 1), Scale = 1 } : Step(Grow(s, n - 1), s);

            private static Frame Step(Frame f, double s) => new Frame { Origin = new Vec2(f.Origin.X * s, f.Origin.Y + s), Scale = f.Scale * s };

            [Autodiff(nameof(GradientOfGrown), Mode.Reverse, Activity.Active, Activity.Const, Activity.Active, Activity.Active)]
            [Autodiff(nameof(TangentOfGrown), Mode.Forward, Activity.Dual, Activity.Const, Activity.Dual, Activity.Dual)]
            public static double Grown(double s, int count, double w)
            {
                var total = 0.0;
                for (var i = 0; i < count; i++)
                {
                    var f = Grow(s, i);
                    total += w * f.Origin.X + f.Origin.Y * f.Scale;
                }
                return total;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double, double) GradientOfGrown(double s, int count, double w, double seed);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) TangentOfGrown(double s, double ds, int count, double w, double dw);

            // Float struct, recursive, swapping and squaring: (a, b) → (b, a²).
            private static Duo Swap(Duo d, int n) => n == 0 ? d : Swap(new Duo { A = d.B, B = d.A * d.A }, n - 1);

            [Autodiff(nameof(GradientOfSwapped), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
            [Autodiff(nameof(TangentOfSwapped), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static float Swapped(float a, float b)
            {
                var d = Swap(new Duo { A = a, B = b }, 3);
                return d.A * d.B;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (float, float, float) GradientOfSwapped(float a, float b, float seed);
            [GeneratedCode("Autodiff", "1")] public static extern (float, float) TangentOfSwapped(float a, float da, float b, float db);
        }
        """;
}
