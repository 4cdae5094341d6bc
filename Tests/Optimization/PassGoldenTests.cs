using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Autodiff.Tests.Frontend;
using Autodiff.Weaver.Frontend;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Optimization;
using Autodiff.Weaver.Pipeline;
using NUnit.Framework;

namespace Autodiff.Tests.Optimization;

/// <summary>
/// Golden IR before and after one pass (or preset) on C# snippets compiled in Release: every method of
/// class <c>C</c> is lifted, transformed, verified and printed, and the text compared with
/// <c>Golden/&lt;name&gt;.ir</c>. Locals holding constants are how C# leaves foldable work in the IL
/// (Roslyn folds constant expressions, not constant locals).
/// </summary>
public sealed class PassGoldenTests
{
    private static readonly Dictionary<string, (Func<OptimizationPipeline> Pipeline, string Source)> Cases = new()
    {
        ["FoldConstants"] = (() => Single(new FoldConstants()), """
            public static class C
            {
                public static int Integers(int x)
                {
                    int a = 6, b = 7, zero = 0, big = int.MaxValue, min = int.MinValue, minusOne = -1;
                    long l = a;
                    return x + a * b - (a << 2) + (b >> 1) + (int)(l * 1000000000000L / 7)
                        + x / zero + min / minusOne + checked(big + 1) + unchecked(big + 1) + (a < b ? 1 : 2);
                }

                public static double Floats(double x)
                {
                    double a = 0.1, b = 0.2, zero = 0.0, negativeZero = -0.0;
                    float f = 1.5f;
                    return x + (a + b) + 1 / zero + (negativeZero + zero) + f * f + (double)(a * 3) + (int)(b * 1e3) + (a < b ? 1.0 : 2.0);
                }

                public static int Conversions(double x)
                {
                    double nan = double.NaN, huge = 1e20, fine = -3.75;
                    long wide = 300;
                    return (int)nan + (int)huge + (int)fine + (byte)wide + (sbyte)wide + (int)x + checked((byte)wide);
                }
            }
            """),
        ["SimplifyAlgebra"] = (() => Single(new SimplifyAlgebra()), """
            public static class C
            {
                public static double Floats(double x)
                {
                    double one = 1, zero = 0, negativeZero = -0.0, minusOne = -1;
                    // Simplified: *1, /1, +(-0.0), -0.0, *(-1). Kept: +0.0, *0, -(-0.0).
                    return x * one + x / one + (x + negativeZero) + (x - zero) + x * minusOne
                        + (x + zero) + x * zero + (x - negativeZero);
                }

                // x + (-y) is x - y and x - (-y) is x + y, for floats and integers alike.
                public static double Negations(double x, double y, int n, int m) => (x + -y) * (x - -y) + (n + -m) * (n - -m);

                public static int Integers(int n, int m)
                {
                    int one = 1, zero = 0, minusOne = -1;
                    return n * one + (n + zero) + n * zero + (n - n) + (m ^ m) + (n & minusOne) + n * minusOne + (n | zero) + n % one + -(-m);
                }
            }
            """),
        ["EliminateCommonSubexpressions"] = (() => Single(new EliminateCommonSubexpressions()), """
            public static class C
            {
                public static double Norm(double x, double y) => System.Math.Sqrt(x * x + y * y) / (x * x + y * y);

                public static int Branches(int a, int b, bool c)
                {
                    int s = a * b;
                    if (c)
                        s += b * a + (a * b);
                    else
                        s -= a + b;
                    return s + (a + b);
                }

                public static double Loads(double[] xs, int i) => xs[i] * xs[i];
            }
            """),
        ["EliminateDeadCode"] = (() => Single(new EliminateDeadCode()), """
            public static class C
            {
                public static double Unused(double x, int n, int[] xs)
                {
                    double s = System.Math.Sin(x);
                    int q = n * 3;
                    int r = 10 / n;
                    int l = xs[n];
                    return x;
                }

                public static double DeadLoopVariable(double[] xs)
                {
                    double total = 0;
                    int count = 0;
                    for (int i = 0; i < xs.Length; i++)
                    {
                        total += xs[i];
                        count = count * 2 + 1;
                    }
                    return total;
                }
            }
            """),
        ["SimplifyControlFlow"] = (() => Single(new FoldConstants(), new SimplifyControlFlow()), """
            public static class C
            {
                public static double ConstantCondition(double x)
                {
                    bool flag = true;
                    double y;
                    if (flag)
                        y = x * 2;
                    else
                        y = -x;
                    return y + 1;
                }

                public static int ConstantSwitch(int x)
                {
                    int mode = 2;
                    switch (mode)
                    {
                        case 0: return x;
                        case 1: return x + 1;
                        case 2: return x * 3;
                        default: return 0;
                    }
                }

                public static int ShortCircuit(int a, int b, bool c)
                {
                    bool any = a > 0 || b > 0 && c;
                    if (any)
                        return a;
                    return b;
                }

                public static double KeepsTry(double x)
                {
                    try { x = System.Math.Log(x); }
                    finally { x += 1; }
                    return x;
                }
            }
            """),
        ["HoistLoopInvariants"] = (() => Single(new HoistLoopInvariants()), """
            public static class C
            {
                public static double Scaled(double[] xs, double a, double b)
                {
                    double s = 0;
                    for (int i = 0; i < xs.Length; i++)
                        s += xs[i] * (a * b + 1);
                    return s;
                }

                public static double Nested(double[] xs, double a, int n)
                {
                    double s = 0;
                    for (int j = 0; j < n; j++)
                        for (int i = 0; i < xs.Length; i++)
                            s += xs[i] * (a * a) + j * (a + 1);
                    return s;
                }
            }
            """),
        ["ForwardMemoryInBlocks"] = (() => Single(new ForwardMemoryInBlocks(), new EliminateDeadCode()), """
            public static class C
            {
                // One load of x[i]; the three read-modify-writes of d[i] become one load and one store.
                public static void Accumulate(double[] x, double[] d, int i, double g)
                {
                    double v = x[i] * x[i];
                    d[i] += g * v;
                    d[i] += g;
                    d[i] += v;
                }

                // Kept: the store to b[j] may be a[i], so a[i] is loaded again; the first store to a[i] is read by that load.
                public static double MayAlias(double[] a, double[] b, int i, int j)
                {
                    a[i] = 1;
                    b[j] = 2;
                    return a[i];
                }

                // Kept: b[j] may throw between the two stores to a[i], and the caller could see the first one.
                public static void ThrowBetween(double[] a, double[] b, int i, int j)
                {
                    a[i] = 1;
                    double t = b[j];
                    a[i] = t;
                }

                // Kept: a byte element truncates what is stored, so the load is not the stored int.
                public static int Truncates(byte[] a, int v)
                {
                    a[0] = (byte)v;
                    return a[0] + 1;
                }
            }
            """),
        ["ScalarizeStructLocals"] = (() => Single(new InlineCalls(), new ScalarizeStructLocals(), new PromoteStackSlots(), new EliminateDeadCode()), """
            public struct Point
            {
                public double X;
                public double Y;
                public Point(double x, double y) { X = x; Y = y; }
                public double Dot(Point other) => X * other.X + Y * other.Y;
            }

            [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Explicit)]
            public struct Overlapping
            {
                [System.Runtime.InteropServices.FieldOffset(0)] public long Bits;
                [System.Runtime.InteropServices.FieldOffset(0)] public double Value;
            }

            public static class C
            {
                // Replaced: an initializer (initobj and field stores into a temporary, copied whole), a compound field
                // assignment, an inlined constructor.
                public static double Fields(double x, double y)
                {
                    var p = new Point { X = x };
                    p.Y += y;
                    var q = new Point(y, x);
                    q.X *= p.Y;
                    return p.X * q.X + q.Y;
                }

                // Kept: the whole struct is copied into a call's argument.
                public static double Copied(double x)
                {
                    var p = new Point { X = x, Y = 1 };
                    p.Y += x;
                    return Length(p);
                }

                // Kept: its address is passed to a call that is not inlined.
                public static double AddressPassed(double x, double y)
                {
                    var p = new Point(x, y);
                    p.X += 1;
                    return System.Runtime.CompilerServices.Unsafe.SizeOf<Point>() + Twice(ref p);
                }

                // Kept: fields may overlap.
                public static double Overlaps(double x)
                {
                    var o = new Overlapping();
                    o.Value = x;
                    return o.Bits + o.Value;
                }

                [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
                private static double Length(Point p) => System.Math.Sqrt(p.X * p.X + p.Y * p.Y);

                [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
                private static double Twice(ref Point p)
                {
                    for (int i = 0; i < 2; i++)
                        p.X += p.Y;
                    return p.X;
                }
            }
            """),
        ["ScalarizeShortLivedArrays"] = (() => Single(new ScalarizeShortLivedArrays(), new PromoteStackSlots(), new EliminateDeadCode()), """
            public static class C
            {
                // Replaced: constant indices (a compound assignment goes through an element address), the length.
                public static double Temporary(double x, double y)
                {
                    var t = new double[3];
                    t[0] = x * y;
                    t[1] = System.Math.Sin(x);
                    t[2] += t[0] + t[1];
                    return t[2] * t[0] + t.Length;
                }

                // Replaced: an element never written reads the zero every new array holds; every iteration gets a fresh one.
                public static long FreshEachIteration(int n)
                {
                    long total = 0;
                    for (int i = 0; i < n; i++)
                    {
                        var counts = new long[2];
                        counts[1] += i;
                        total += counts[0] + counts[1];
                    }
                    return total;
                }

                // Replaced: references are elements like numbers (null before the first store).
                public static string Names(string first, bool twice)
                {
                    var names = new string[2];
                    names[0] = first;
                    if (twice)
                        names[1] = first;
                    return names[1] ?? names[0];
                }

                // Kept: a non-constant index.
                public static double VariableIndex(double x, int i)
                {
                    var t = new double[2];
                    t[i] = x;
                    return t[0];
                }

                // Kept: t[2] must throw IndexOutOfRangeException.
                public static double OutOfRange(double x)
                {
                    var t = new double[2];
                    t[0] = x;
                    return t[2];
                }

                // Kept: the array escapes into a call, a return, and another array.
                public static double Passed(double x)
                {
                    var t = new double[2];
                    t[0] = x;
                    return System.Linq.Enumerable.Sum(t);
                }

                public static double[] Returned(double x)
                {
                    var t = new double[2];
                    t[1] = x;
                    return t;
                }

                public static void StoredInto(double[][] rows, double x)
                {
                    var t = new double[1];
                    t[0] = x;
                    rows[0] = t;
                }

                // Kept: indexed by a loop counter.
                public static double Looped(double x)
                {
                    var t = new double[3];
                    for (int i = 0; i < t.Length; i++)
                        t[i] = x * i;
                    return t[1];
                }

                // Kept: an element's address passed by ref.
                public static double ByRef(double x)
                {
                    var t = new double[1];
                    System.Threading.Interlocked.Exchange(ref t[0], x);
                    return t[0];
                }
            }
            """),
        ["PromoteStackSlots"] = (() => Single(new PromoteStackSlots()), """
            public static class C
            {
                public static double RefLocal(double x, bool c)
                {
                    double t = x;
                    ref double r = ref t;
                    if (c)
                        r = r * 2;
                    for (int i = 0; i < 3; i++)
                        r += i;
                    return t;
                }

                public static double Escapes(double x)
                {
                    double t = x;
                    Twice(ref t);
                    return t;
                }

                private static void Twice(ref double v) => v *= 2;
            }
            """),
        ["InlineCalls"] = (() => Single(new InlineCalls()), """
            public static class C
            {
                public static double Caller(double x) => Square(x) + Abs(x - 1) + System.Math.Sin(x);

                public static double ByRef(double x)
                {
                    double t = x;
                    Twice(ref t);
                    return t;
                }

                public static int Recursion(int n) => Factorial(n);

                public static int Initializer(int n) => Counter.Id(n) + Hidden.Secret(n);

                private static double Square(double v) => v * v;

                private static double Abs(double v) => v < 0 ? -v : v;

                private static void Twice(ref double v) => v *= 2;

                private static int Factorial(int n) => n <= 1 ? 1 : n * Factorial(n - 1);
            }

            public static class Counter
            {
                public static int Created;

                static Counter() => Created = 1;

                public static int Id(int x) => x;
            }

            public static class Hidden
            {
                private static int secret = 3;

                public static int Secret(int x) => x + secret;
            }
            """),
        ["PreDifferentiationPipeline"] = (() => OptimizationPipelines.PreDifferentiation(new WeaverOptions { Flags = WeaverFlags.Inline }), """
            public static class C
            {
                public static double Polynomial(double[] xs, double a)
                {
                    double s = 0;
                    double scale = 2;
                    bool square = true;
                    for (int i = 0; i < xs.Length; i++)
                    {
                        double v = xs[i];
                        if (square)
                            v = Square(v);
                        Add(ref s, v * (a * scale) * 1.0);
                    }
                    return s;
                }

                private static double Square(double v) => v * v;

                private static void Add(ref double total, double v) => total += v;
            }
            """),
    };

    public static IEnumerable<string> CaseNames() => Cases.Keys;

    [Test]
    public void EveryGoldenFileHasACase()
    {
        var folder = System.IO.Path.Combine(TestContext.CurrentContext.TestDirectory, "Optimization", "Golden");
        var files = System.IO.Directory.GetFiles(folder, "*.ir").Select(System.IO.Path.GetFileNameWithoutExtension);
        var cases = Cases.Keys.Concat(PostDifferentiationTests.CaseNames());

        Assert.That(files, Is.EquivalentTo(cases), "a golden file without a case is never checked; a case without a file fails");
    }

    private static OptimizationPipeline Single(params IIrPass[] passes)
    {
        var pipeline = new OptimizationPipeline(string.Join("+", passes.Select(p => p.Name)));
        foreach (var pass in passes)
            pipeline.Then(pass);
        return pipeline;
    }

    [TestCaseSource(nameof(CaseNames))]
    public void OptimizedIrMatchesGolden(string name)
    {
        var (pipeline, source) = Cases[name];
        using var module = CompiledModule.Compile(source);
        var text = new StringBuilder();
        foreach (var method in module.Module.GetType("C").Methods.Where(m => m.HasBody && m.IsPublic))
        {
            var ir = MethodLifter.Lift(method);
            IrVerifier.Check(ir);
            text.Append("; before\n").Append(IrPrinter.Print(ir));
            var run = pipeline();
            var changed = run.Run(ir, (_, m) => IrVerifier.Check(m));
            text.Append("; after ").Append(run.Name).Append(changed ? "" : " (unchanged)").Append('\n').Append(IrPrinter.Print(ir)).Append('\n');
        }
        GoldenFile.AssertMatches("Golden", name + ".ir", text.ToString());
    }
}
