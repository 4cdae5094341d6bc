namespace Autodiff.Tests.Calls;

/// <summary>
/// The C# the returned-array tests weave: callees that allocate arrays carrying derivatives and return them
/// (rank 1 of double and float, rank 2, jagged), called once, in a loop, nested and recursively, and callees that
/// allocate scratch arrays of their own (once, and in a loop). Every function has the shape f(x[], a) → double.
/// </summary>
internal static class ReturnedArraySource
{
    public const string Text = """
        using System;
        using System.CodeDom.Compiler;
        using Autodiff;

        public static class Returned
        {
            private static double[] Scale(double[] x, double a)
            {
                var r = new double[x.Length];
                for (var i = 0; i < x.Length; i++)
                    r[i] = a * x[i];
                return r;
            }

            private static double Sum(double[] v)
            {
                var s = 0.0;
                for (var i = 0; i < v.Length; i++)
                    s += v[i];
                return s;
            }

            // f = Σ (a·xᵢ)² = a²·Σ xᵢ².
            [Autodiff(nameof(RScaled), Mode.Reverse, Activity.Duplicated, Activity.Active, Activity.Active)]
            [Autodiff(nameof(FScaled), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double Scaled(double[] x, double a)
            {
                var r = Scale(x, a);
                var s = 0.0;
                for (var i = 0; i < r.Length; i++)
                    s += r[i] * r[i];
                return s;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RScaled(double[] x, double[] dx, double a, double seed);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FScaled(double[] x, double[] dx, double a, double da);

            private static double[] SinScale(double[] x, double c)
            {
                var r = new double[x.Length];
                for (var i = 0; i < x.Length; i++)
                    r[i] = Math.Sin(c * x[i]);
                return r;
            }

            // f = Σₖ₌₀² Σᵢ sin((a + k)·xᵢ): the returned array is read by another callee, once per iteration.
            [Autodiff(nameof(RInLoop), Mode.Reverse, Activity.Duplicated, Activity.Active, Activity.Active)]
            [Autodiff(nameof(FInLoop), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double InLoop(double[] x, double a)
            {
                var s = 0.0;
                for (var k = 0; k < 3; k++)
                    s += Sum(SinScale(x, a + k));
                return s;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RInLoop(double[] x, double[] dx, double a, double seed);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FInLoop(double[] x, double[] dx, double a, double da);

            // InLoop and Jagged at Width = 2: every returned array gets one shadow per lane.
            [Autodiff(nameof(RInLoopWide), Mode.Reverse, Activity.Duplicated, Activity.Active, Activity.Active, Width = 2)]
            [Autodiff(nameof(FInLoopWide), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual, Width = 2)]
            public static double InLoopWide(double[] x, double a)
            {
                var s = 0.0;
                for (var k = 0; k < 3; k++)
                    s += Sum(SinScale(x, a + k));
                return s;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double, double) RInLoopWide(double[] x, double[] dx0, double[] dx1, double a, double seed0, double seed1);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double, double) FInLoopWide(double[] x, double[] dx0, double[] dx1, double a, double da0, double da1);

            [Autodiff(nameof(RJaggedWide), Mode.Reverse, Activity.Duplicated, Activity.Active, Activity.Active, Width = 2)]
            [Autodiff(nameof(FJaggedWide), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual, Width = 2)]
            public static double JaggedWide(double[] x, double a)
            {
                var rows = Rows(x, a);
                var s = 0.0;
                for (var i = 0; i < rows.Length; i++)
                    s += rows[i][0] * rows[i][1];
                return s;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double, double) RJaggedWide(double[] x, double[] dx0, double[] dx1, double a, double seed0, double seed1);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double, double) FJaggedWide(double[] x, double[] dx0, double[] dx1, double a, double da0, double da1);

            private static double[] Twice(double[] x, double a) => Scale(Scale(x, a), a);

            // f = Σ a²·xᵢ·xᵢ = a²·Σ xᵢ²: a callee returning what the callee it calls returned.
            [Autodiff(nameof(RNested), Mode.Reverse, Activity.Duplicated, Activity.Active, Activity.Active)]
            [Autodiff(nameof(FNested), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double Nested(double[] x, double a)
            {
                var r = Twice(x, a);
                var s = 0.0;
                for (var i = 0; i < r.Length; i++)
                    s += r[i] * x[i];
                return s;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RNested(double[] x, double[] dx, double a, double seed);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FNested(double[] x, double[] dx, double a, double da);

            // xᵢⁿ element by element, through n − 1 recursive calls each returning a new array.
            private static double[] Powers(double[] x, int n)
            {
                var q = new double[x.Length];
                if (n == 1)
                {
                    for (var i = 0; i < x.Length; i++)
                        q[i] = x[i];
                    return q;
                }
                var p = Powers(x, n - 1);
                for (var i = 0; i < x.Length; i++)
                    q[i] = p[i] * x[i];
                return q;
            }

            // f = a·Σ xᵢ³.
            [Autodiff(nameof(RRecursive), Mode.Reverse, Activity.Duplicated, Activity.Active, Activity.Active)]
            [Autodiff(nameof(FRecursive), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double Recursive(double[] x, double a) => a * Sum(Powers(x, 3));

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RRecursive(double[] x, double[] dx, double a, double seed);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FRecursive(double[] x, double[] dx, double a, double da);

            private static double[,] Outer(double[] u, double a)
            {
                var m = new double[u.Length, 2];
                for (var i = 0; i < u.Length; i++)
                {
                    m[i, 0] = u[i];
                    m[i, 1] = a * u[i] * u[i];
                }
                return m;
            }

            // f = Σ m[i,0]·m[i,1] = a·Σ xᵢ³, through a returned rank-2 array.
            [Autodiff(nameof(RMatrix), Mode.Reverse, Activity.Duplicated, Activity.Active, Activity.Active)]
            [Autodiff(nameof(FMatrix), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double Matrix(double[] x, double a)
            {
                var m = Outer(x, a);
                var s = 0.0;
                for (var i = 0; i < m.GetLength(0); i++)
                    s += m[i, 0] * m[i, 1];
                return s;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RMatrix(double[] x, double[] dx, double a, double seed);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FMatrix(double[] x, double[] dx, double a, double da);

            private static double[][] Rows(double[] x, double a)
            {
                var rows = new double[x.Length][];
                for (var i = 0; i < x.Length; i++)
                {
                    var row = new double[2];
                    row[0] = Math.Exp(a * x[i]);
                    row[1] = x[i];
                    rows[i] = row;
                }
                return rows;
            }

            // f = Σ exp(a·xᵢ)·xᵢ, through a returned jagged array whose rows the callee allocates in a loop.
            [Autodiff(nameof(RJagged), Mode.Reverse, Activity.Duplicated, Activity.Active, Activity.Active)]
            [Autodiff(nameof(FJagged), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double Jagged(double[] x, double a)
            {
                var rows = Rows(x, a);
                var s = 0.0;
                for (var i = 0; i < rows.Length; i++)
                    s += rows[i][0] * rows[i][1];
                return s;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RJagged(double[] x, double[] dx, double a, double seed);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FJagged(double[] x, double[] dx, double a, double da);

            // A scratch array the callee allocates, fills and reduces: Σ (a·xᵢ)², then its square root.
            private static double Norm(double[] x, double a)
            {
                var t = new double[x.Length];
                for (var i = 0; i < x.Length; i++)
                    t[i] = a * x[i] * x[i];
                var s = 0.0;
                for (var i = 0; i < t.Length; i++)
                    s += t[i] * a;
                return Math.Sqrt(s);
            }

            // f = √(a²·Σ xᵢ²)·(1 + a).
            [Autodiff(nameof(RScratch), Mode.Reverse, Activity.Duplicated, Activity.Active, Activity.Active)]
            [Autodiff(nameof(FScratch), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double Scratch(double[] x, double a) => Norm(x, a) * (1 + a);

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RScratch(double[] x, double[] dx, double a, double seed);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FScratch(double[] x, double[] dx, double a, double da);

            // A scratch array allocated in each iteration of the callee's loop: Σₖ₌₁³ Σᵢ (k·a·xᵢ)² = 14·a²·Σ xᵢ².
            private static double Blend(double[] x, double a)
            {
                var s = 0.0;
                for (var k = 1; k <= 3; k++)
                {
                    var t = new double[x.Length];
                    for (var i = 0; i < x.Length; i++)
                        t[i] = k * a * x[i];
                    for (var i = 0; i < t.Length; i++)
                        s += t[i] * t[i];
                }
                return s;
            }

            [Autodiff(nameof(RScratchInLoop), Mode.Reverse, Activity.Duplicated, Activity.Active, Activity.Active)]
            [Autodiff(nameof(FScratchInLoop), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double ScratchInLoop(double[] x, double a) => Blend(x, a) + Blend(x, 2 * a);

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RScratchInLoop(double[] x, double[] dx, double a, double seed);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FScratchInLoop(double[] x, double[] dx, double a, double da);

            private static float[] ScaleF(float[] x, float a)
            {
                var r = new float[x.Length];
                for (var i = 0; i < x.Length; i++)
                    r[i] = a * x[i] * x[i];
                return r;
            }

            // f = Σ a·xᵢ², in float.
            [Autodiff(nameof(RFloats), Mode.Reverse, Activity.Duplicated, Activity.Active, Activity.Active)]
            [Autodiff(nameof(FFloats), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static float Floats(float[] x, float a)
            {
                var r = ScaleF(x, a);
                var s = 0f;
                for (var i = 0; i < r.Length; i++)
                    s += r[i];
                return s;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (float, float) RFloats(float[] x, float[] dx, float a, float seed);
            [GeneratedCode("Autodiff", "1")] public static extern (float, float) FFloats(float[] x, float[] dx, float a, float da);
        }
        """;
}
