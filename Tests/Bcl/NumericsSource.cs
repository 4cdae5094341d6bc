namespace Autodiff.Tests.Bcl;

/// <summary>The C# the numerics tests weave: System.Numerics.Vector2/3 and Complex inside differentiated code.</summary>
internal static class NumericsSource
{
    public const string Text = """
        using System;
        using System.CodeDom.Compiler;
        using System.Numerics;
        using Autodiff;

        public static class Vectors
        {
            [Autodiff(nameof(RNorm), Mode.Reverse, Activity.Active, Activity.Active)]
            [Autodiff(nameof(FNorm), Mode.Forward, Activity.Dual, Activity.Dual)]
            public static float Norm(Vector3 a) => a.Length();

            [GeneratedCode("Autodiff", "1")] public static extern (float, Vector3) RNorm(Vector3 a, float seed);
            [GeneratedCode("Autodiff", "1")] public static extern (float, float) FNorm(Vector3 a, Vector3 da);

            // (a × b) · c.
            [Autodiff(nameof(RTriple), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active, Activity.Active)]
            [Autodiff(nameof(FTriple), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static float Triple(Vector3 a, Vector3 b, Vector3 c) => Vector3.Dot(Vector3.Cross(a, b), c);

            [GeneratedCode("Autodiff", "1")] public static extern (float, Vector3, Vector3, Vector3) RTriple(Vector3 a, Vector3 b, Vector3 c, float seed);
            [GeneratedCode("Autodiff", "1")] public static extern (float, float) FTriple(Vector3 a, Vector3 da, Vector3 b, Vector3 db, Vector3 c, Vector3 dc);

            // â · u.
            [Autodiff(nameof(RAlong), Mode.Reverse, Activity.Active, Activity.Const, Activity.Active)]
            [Autodiff(nameof(FAlong), Mode.Forward, Activity.Dual, Activity.Const, Activity.Dual)]
            public static float Along(Vector3 a, Vector3 u) => Vector3.Dot(Vector3.Normalize(a), u);

            [GeneratedCode("Autodiff", "1")] public static extern (float, Vector3) RAlong(Vector3 a, Vector3 u, float seed);
            [GeneratedCode("Autodiff", "1")] public static extern (float, float) FAlong(Vector3 a, Vector3 da, Vector3 u);

            // Every operator and method at once, with locals, a constructor on a local and field writes.
            [Autodiff(nameof(RMixed), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active, Activity.Active)]
            [Autodiff(nameof(FMixed), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static float Mixed(Vector3 a, Vector3 b, float k)
            {
                var c = a + b * k;
                var d = Vector3.Cross(a, c) - c / 2f + 3f * (a - b);
                var e = -Vector3.Normalize(d) / new Vector3(1f, 2f, k);
                var v = new Vector3(k, a.Y, 1f);
                v.X += b.Z;
                v.Z *= k;
                return Vector3.Dot(e, b) + c.Length() + Vector3.Distance(a, b) + (a * b).LengthSquared() + Vector3.DistanceSquared(v, a) + v.X;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (float, Vector3, Vector3, float) RMixed(Vector3 a, Vector3 b, float k, float seed);
            [GeneratedCode("Autodiff", "1")] public static extern (float, float) FMixed(Vector3 a, Vector3 da, Vector3 b, Vector3 db, float k, float dk);

            // A Vector2 carried around a loop: p ← p/2 + (x, y·p.X), n times; then p.X·p.Y.
            [Autodiff(nameof(RIterated), Mode.Reverse, Activity.Active, Activity.Active, Activity.Const, Activity.Active)]
            [Autodiff(nameof(FIterated), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Const, Activity.Dual)]
            public static float Iterated(float x, float y, int n)
            {
                var p = Vector2.Zero;
                for (var i = 0; i < n; i++)
                    p = p / 2f + new Vector2(x, y * p.X);
                return p.X * p.Y;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (float, float, float) RIterated(float x, float y, int n, float seed);
            [GeneratedCode("Autodiff", "1")] public static extern (float, float) FIterated(float x, float dx, float y, float dy, int n);

            // p₀ ← k·p₀ in a Duplicated Vector3[], then Σ ‖pᵢ₊₁ − pᵢ‖².
            [Autodiff(nameof(RPolyline), Mode.Reverse, Activity.Duplicated, Activity.Active, Activity.Active)]
            [Autodiff(nameof(FPolyline), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static float Polyline(Vector3[] pts, float k)
            {
                pts[0] = pts[0] * k;
                var s = 0f;
                for (var i = 0; i + 1 < pts.Length; i++)
                    s += Vector3.DistanceSquared(pts[i + 1], pts[i]);
                return s;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (float, float) RPolyline(Vector3[] pts, Vector3[] dpts, float k, float seed);
            [GeneratedCode("Autodiff", "1")] public static extern (float, float) FPolyline(Vector3[] pts, Vector3[] dpts, float k, float dk);

            // ‖k·a − 1‖² + a·e_w.
            [Autodiff(nameof(RSpread), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
            [Autodiff(nameof(FSpread), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static float Spread(Vector4 a, float k) => (a * k - Vector4.One).LengthSquared() + Vector4.Dot(a, Vector4.UnitW);

            [GeneratedCode("Autodiff", "1")] public static extern (float, Vector4, float) RSpread(Vector4 a, float k, float seed);
            [GeneratedCode("Autodiff", "1")] public static extern (float, float) FSpread(Vector4 a, Vector4 da, float k, float dk);
        }

        public static class Complexes
        {
            // |exp z| = e^re.
            [Autodiff(nameof(RExpMagnitude), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
            [Autodiff(nameof(FExpMagnitude), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double ExpMagnitude(double re, double im) => Complex.Exp(new Complex(re, im)).Magnitude;

            [GeneratedCode("Autodiff", "1")] public static extern (double, double, double) RExpMagnitude(double re, double im, double seed);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FExpMagnitude(double re, double dre, double im, double dim);

            // Re(1/z) = re/(re² + im²).
            [Autodiff(nameof(RReciprocalReal), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
            [Autodiff(nameof(FReciprocalReal), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double ReciprocalReal(double re, double im) => (1 / new Complex(re, im)).Real;

            [GeneratedCode("Autodiff", "1")] public static extern (double, double, double) RReciprocalReal(double re, double im, double seed);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FReciprocalReal(double re, double dre, double im, double dim);

            // Everything: products, quotients, exp, sqrt, conjugate, Abs, Phase, implicit conversion.
            [Autodiff(nameof(RMixed), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active, Activity.Active)]
            [Autodiff(nameof(FMixed), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double Mixed(double re, double im, double w)
            {
                var z = new Complex(re, im);
                var q = z * z + new Complex(w, 1) - z * w;
                var r = Complex.Exp(q) / (z + 2) + w / z;
                var s = Complex.Sqrt(r);
                Complex t = w;
                return s.Magnitude + s.Real * Complex.Conjugate(z).Imaginary + Complex.Abs(z - t) + (-s).Phase;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double, double, double) RMixed(double re, double im, double w, double seed);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FMixed(double re, double dre, double im, double dim, double w, double dw);
        }
        """;
}
