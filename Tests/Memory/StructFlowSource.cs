namespace Autodiff.Tests.Memory;

/// <summary>C# of the struct-value tests: struct locals, phis, nested structs, struct returns, BCL structs, structs in memory.</summary>
internal static class StructFlowSource
{
    public const string Text = """
        using System;
        using System.CodeDom.Compiler;
        using System.Numerics;
        using Autodiff;

        public struct Pair
        {
            public double A;
            public double B;

            public Pair(double a, double b)
            {
                A = a;
                B = b;
            }
        }

        public struct Segment
        {
            public Pair From;
            public Pair To;
        }

        public struct PolarPoint
        {
            public double X;
            public double Y;

            // A constructor that computes: replayed in place, Math calls included.
            public PolarPoint(double r, double t)
            {
                X = r * Math.Cos(t);
                Y = r * Math.Sin(t);
            }
        }

        public sealed class Body
        {
            public Pair Position;
        }

        public static class Structs
        {
            // Locals, a copy mutated apart from its original, a nested struct built field by field:
            // f = (2x + y)·xy − x.
            [Autodiff(nameof(GradientOfLocals), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
            [Autodiff(nameof(TangentOfLocals), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double Locals(double x, double y)
            {
                var p = new Pair(x, y);
                var q = p;
                q.A *= 2;
                Segment s;
                s.From = p;
                s.To = new Pair(q.A + p.B, q.B * p.A);
                return s.To.A * s.To.B - s.From.A;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double, double) GradientOfLocals(double x, double y, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) TangentOfLocals(double x, double dx, double y, double dy);

            // f = r² cos t sin t through a computing constructor.
            [Autodiff(nameof(GradientOfCorner), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
            [Autodiff(nameof(TangentOfCorner), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double Corner(double r, double t)
            {
                var p = new PolarPoint(r, t);
                return p.X * p.Y;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double, double) GradientOfCorner(double r, double t, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) TangentOfCorner(double r, double dr, double t, double dt);

            // A struct chosen by a branch (a phi of structs), float: x > y ? y²·x : x·y.
            [Autodiff(nameof(GradientOfPick), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
            [Autodiff(nameof(TangentOfPick), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static float Pick(float x, float y)
            {
                var v = new Vector2(x, y);
                if (x > y)
                    v = new Vector2(y * y, x);
                return v.X * v.Y;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern (float, float, float) GradientOfPick(float x, float y, float seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (float, float) TangentOfPick(float x, float dx, float y, float dy);

            // A struct carried around a loop.
            [Autodiff(nameof(GradientOfRotate), Mode.Reverse, Activity.Active, Activity.Active, Activity.Const, Activity.Active)]
            [Autodiff(nameof(TangentOfRotate), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Const, Activity.Dual)]
            public static double Rotate(double x, double y, int turns)
            {
                var p = new Pair(x, y);
                for (var i = 0; i < turns; i++)
                    p = new Pair(p.A * 0.6 - p.B * 0.8 * p.A, p.A * 0.8 + p.B * 0.6);
                return p.A * p.A + 3 * p.B;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double, double) GradientOfRotate(double x, double y, int turns, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) TangentOfRotate(double x, double dx, double y, double dy, int turns);

            // A nested struct passed Active (the gradient is a Segment) and Dual.
            [Autodiff(nameof(GradientOfBox), Mode.Reverse, Activity.Active, Activity.Active)]
            [Autodiff(nameof(TangentOfBox), Mode.Forward, Activity.Dual, Activity.Dual)]
            public static double Box(Segment s)
            {
                var to = s.To;
                return (to.A - s.From.A) * (to.B - s.From.B);
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, Segment) GradientOfBox(Segment s, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) TangentOfBox(Segment s, Segment ds);

            // A struct returned Active (the seed is a Pair) and Dual (the tangent is a Pair).
            [Autodiff(nameof(GradientOfPolar), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
            [Autodiff(nameof(TangentOfPolar), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static Pair Polar(double r, double t) => t > 10 ? new Pair(r, t) : new Pair(r * Math.Cos(t), r * Math.Sin(t));

            [GeneratedCode("Autodiff", "1")]
            public static extern (Pair, double, double) GradientOfPolar(double r, double t, Pair seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (Pair, Pair) TangentOfPolar(double r, double dr, double t, double dt);

            // Vector3 fields: length and cross product, computed from X, Y, Z.
            [Autodiff(nameof(GradientOfLength), Mode.Reverse, Activity.Active, Activity.Active)]
            [Autodiff(nameof(TangentOfLength), Mode.Forward, Activity.Dual, Activity.Dual)]
            public static float Length(Vector3 v) => MathF.Sqrt(v.X * v.X + v.Y * v.Y + v.Z * v.Z);

            [GeneratedCode("Autodiff", "1")]
            public static extern (float, Vector3) GradientOfLength(Vector3 v, float seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (float, float) TangentOfLength(Vector3 v, Vector3 dv);

            [Autodiff(nameof(GradientOfCross), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
            [Autodiff(nameof(TangentOfCross), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static Vector3 Cross(Vector3 a, Vector3 b) =>
                new Vector3(a.Y * b.Z - a.Z * b.Y, a.Z * b.X - a.X * b.Z, a.X * b.Y - a.Y * b.X);

            [GeneratedCode("Autodiff", "1")]
            public static extern (Vector3, Vector3, Vector3) GradientOfCross(Vector3 a, Vector3 b, Vector3 seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (Vector3, Vector3) TangentOfCross(Vector3 a, Vector3 da, Vector3 b, Vector3 db);

            // ValueTuple in and out: (ab, a + sin b).
            [Autodiff(nameof(GradientOfSwirl), Mode.Reverse, Activity.Active, Activity.Active)]
            [Autodiff(nameof(TangentOfSwirl), Mode.Forward, Activity.Dual, Activity.Dual)]
            public static (double, double) Swirl((double, double) t) => (t.Item1 * t.Item2, t.Item1 + Math.Sin(t.Item2));

            [GeneratedCode("Autodiff", "1")]
            public static extern ((double, double), (double, double)) GradientOfSwirl((double, double) t, (double, double) seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern ((double, double), (double, double)) TangentOfSwirl((double, double) t, (double, double) dt);

            // Structs copied out of and into an array, in place: each pair becomes (AB, A); returns Σ B.
            [Autodiff(nameof(GradientOfShuffle), Mode.Reverse, Activity.Duplicated, Activity.Active)]
            [Autodiff(nameof(TangentOfShuffle), Mode.Forward, Activity.Dual, Activity.Dual)]
            public static double Shuffle(Pair[] pairs)
            {
                var sum = 0.0;
                for (var i = 0; i < pairs.Length; i++)
                {
                    var p = pairs[i];
                    pairs[i] = new Pair(p.A * p.B, p.A);
                    sum += pairs[i].B;
                }
                return sum;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern double GradientOfShuffle(Pair[] pairs, Pair[] dpairs, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) TangentOfShuffle(Pair[] pairs, Pair[] dpairs);

            // A struct in an object's field, copied out, changed and written back: A += dt·B; returns A·B.
            [Autodiff(nameof(GradientOfMove), Mode.Reverse, Activity.Duplicated, Activity.Active, Activity.Active)]
            [Autodiff(nameof(TangentOfMove), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double Move(Body body, double dt)
            {
                var p = body.Position;
                p.A += dt * p.B;
                body.Position = p;
                return body.Position.A * body.Position.B;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) GradientOfMove(Body body, Body dbody, double dt, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) TangentOfMove(Body body, Body dbody, double dt, double ddt);
        }
        """;
}
