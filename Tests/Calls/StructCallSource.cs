namespace Autodiff.Tests.Calls;

/// <summary>C# of the struct-call tests: structs passed to and returned from helpers, struct methods, BCL inside callees.</summary>
internal static class StructCallSource
{
    public const string Text = """
        using System;
        using System.CodeDom.Compiler;
        using System.Numerics;
        using Autodiff;

        public struct Vec3
        {
            public double X;
            public double Y;
            public double Z;

            public Vec3(double x, double y, double z)
            {
                X = x;
                Y = y;
                Z = z;
            }

            public double Length() => Math.Sqrt(Dot(this));

            public double Dot(Vec3 other) => X * other.X + Y * other.Y + Z * other.Z;
        }

        public struct Point
        {
            public float X;
            public float Y;

            public float Distance(Point other)
            {
                var dx = X - other.X;
                var dy = Y - other.Y;
                return MathF.Sqrt(dx * dx + dy * dy);
            }
        }

        public static class StructCalls
        {
            private static double Norm(Vec3 v) => Math.Sqrt(v.X * v.X + v.Y * v.Y + v.Z * v.Z);

            private static Vec3 Add(Vec3 a, Vec3 b) => new Vec3(a.X + b.X, a.Y + b.Y, a.Z + b.Z);

            private static Vec3 Scale(Vec3 v, double s)
            {
                var r = v;
                r.X *= s;
                r.Y *= s;
                r.Z *= s;
                return r;
            }

            private static void Shift(ref Vec3 v, double by)
            {
                v.X += by;
                v.Z *= by;
            }

            // A struct local passed by ref to a helper that changes it: f = ‖(x + y, y, z·y)‖.
            [Autodiff(nameof(GradientOfShifted), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active, Activity.Active)]
            [Autodiff(nameof(TangentOfShifted), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double Shifted(double x, double y, double z)
            {
                var v = new Vec3(x, y, z);
                Shift(ref v, y);
                return Norm(v);
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double, double, double) GradientOfShifted(double x, double y, double z, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) TangentOfShifted(double x, double dx, double y, double dy, double z, double dz);

            // f = ‖(x, y, z)‖·x through a static helper taking the struct.
            [Autodiff(nameof(GradientOfNormTimesX), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active, Activity.Active)]
            [Autodiff(nameof(TangentOfNormTimesX), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double NormTimesX(double x, double y, double z) => Norm(new Vec3(x, y, z)) * x;

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double, double, double) GradientOfNormTimesX(double x, double y, double z, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) TangentOfNormTimesX(double x, double dx, double y, double dy, double z, double dz);

            // f = ‖x·(x, y, z) + (y, 1, z)‖ through nested helpers returning structs.
            [Autodiff(nameof(GradientOfNested), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active, Activity.Active)]
            [Autodiff(nameof(TangentOfNested), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double Nested(double x, double y, double z)
            {
                var v = new Vec3(x, y, z);
                return Norm(Add(Scale(v, x), new Vec3(y, 1, z)));
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double, double, double) GradientOfNested(double x, double y, double z, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) TangentOfNested(double x, double dx, double y, double dy, double z, double dz);

            // A struct parameter passed on: f = v.Length()·v.Dot(w) with instance methods of the user struct.
            [Autodiff(nameof(GradientOfMethods), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
            [Autodiff(nameof(TangentOfMethods), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double Methods(Vec3 v, Vec3 w) => v.Length() * v.Dot(w);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, Vec3, Vec3) GradientOfMethods(Vec3 v, Vec3 w, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) TangentOfMethods(Vec3 v, Vec3 dv, Vec3 w, Vec3 dw);

            // Float: the distance between two points, through an instance method called in a loop.
            [Autodiff(nameof(GradientOfPath), Mode.Reverse, Activity.Active, Activity.Active, Activity.Const, Activity.Active)]
            [Autodiff(nameof(TangentOfPath), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Const, Activity.Dual)]
            public static float Path(float a, float b, int steps)
            {
                var total = 0f;
                var from = new Point { X = 0, Y = 0 };
                for (var i = 1; i <= steps; i++)
                {
                    var to = new Point { X = a * i, Y = b * i * i };
                    total += from.Distance(to);
                    from = to;
                }
                return total;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern (float, float, float) GradientOfPath(float a, float b, int steps, float seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (float, float) TangentOfPath(float a, float da, float b, float db, int steps);

            // Vector3 helpers: f = ‖a − b‖ + (a·b) for a = (x, y, 1), b = (y, x, x).
            private static float Spring(Vector3 a, Vector3 b) => (a - b).Length() + Vector3.Dot(a, b);

            [Autodiff(nameof(GradientOfSprings), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
            [Autodiff(nameof(TangentOfSprings), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static float Springs(float x, float y) => Spring(new Vector3(x, y, 1), new Vector3(y, x, x));

            [GeneratedCode("Autodiff", "1")]
            public static extern (float, float, float) GradientOfSprings(float x, float y, float seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (float, float) TangentOfSprings(float x, float dx, float y, float dy);
        }
        """;
}
