using System.Collections.Generic;
using System.Linq;
using System.Text;
using Autodiff.Weaver.Frontend;
using Autodiff.Weaver.Ir;
using NUnit.Framework;

namespace Autodiff.Tests.Frontend;

/// <summary>
/// Golden IR of C# snippets compiled in Release: every method of class <c>C</c> is lifted, verified and
/// printed, and the text compared with <c>Golden/&lt;name&gt;.ir</c>.
/// </summary>
public sealed class LiftingGoldenTests
{
    private static readonly Dictionary<string, string> Cases = new()
    {
        ["StraightLineArithmetic"] = """
            public static class C
            {
                public static double F(double x, int n, long m, uint u, float f) =>
                    x * x + n / 2 - System.Math.Sin(x) + (m << 3) + u * 0.5 - checked(n * 3) + (f % 2f) + (n >> 1) + (u >> 1) + (double)(ulong)m;
            }
            """,
        ["IfElse"] = """
            public static class C
            {
                public static double F(double x)
                {
                    double y;
                    if (x > 0)
                        y = System.Math.Sqrt(x);
                    else
                        y = -x;
                    return y * 2;
                }
            }
            """,
        ["Ternary"] = """
            public static class C
            {
                public static int Conditional(bool c, int a, int b) => (c ? a : b) + 1;
                public static string Coalesce(string? s) => s ?? "none";
                public static double Nested(double x) => x > 0 ? (x > 1 ? x : x * x) : -x;
                public static int Length(bool c, string s) => (c ? null : s)?.Length ?? -1;
            }
            """,
        ["Loops"] = """
            public static class C
            {
                public static double Sum(double[] xs)
                {
                    double s = 0;
                    for (int i = 0; i < xs.Length; i++)
                        s += xs[i];
                    return s;
                }

                public static int Reduce(int n)
                {
                    while (n > 10)
                        n -= 3;
                    return n;
                }

                public static double Product(double[,] m, int n)
                {
                    double p = 1;
                    for (int i = 0; i < n; i++)
                        for (int j = 0; j < n; j++)
                            p *= m[i, j];
                    return p;
                }
            }
            """,
        ["Switch"] = """
            public static class C
            {
                public static double F(int n, double x)
                {
                    switch (n)
                    {
                        case 0: return 1.0;
                        case 1: return x;
                        case 2: return x * x;
                        case 3: return x * x * x;
                        default: return 0;
                    }
                }
            }
            """,
        ["Arrays"] = """
            public static class C
            {
                public static void F(double[] a, int[] b, bool[] c, string[] s, byte[] bytes, long[][] jagged)
                {
                    a[0] = a[1] + b[0];
                    c[1] = !c[0];
                    s[0] = s[1];
                    bytes[2] = (byte)(bytes[3] + 1);
                    jagged[0][1] = jagged[1].Length;
                    var m = new double[3];
                    m[2] = a.Length;
                    a[2] = m[2];
                }
            }
            """,
        ["StructFieldsViaAddress"] = """
            public struct P { public double X, Y; public double Norm() => X * X + Y * Y; }
            public static class C
            {
                public static double F(ref P p, P[] ps)
                {
                    p.X += p.Y;
                    ps[0].Y = 3;
                    var q = new P { X = 1 };
                    return q.X + ps[1].X + p.Norm() + q.Norm();
                }
            }
            """,
        ["TryCatchFinally"] = """
            public static class C
            {
                public static int F(int x)
                {
                    int r = 0;
                    try
                    {
                        r = 10 / x;
                    }
                    catch (System.DivideByZeroException)
                    {
                        r = -1;
                    }
                    finally
                    {
                        System.Console.WriteLine(r);
                    }
                    return r;
                }
            }
            """,
        ["Filter"] = """
            public static class C
            {
                public static int F(int x)
                {
                    try
                    {
                        return 10 / x;
                    }
                    catch (System.Exception e) when (e.Message.Length > 3)
                    {
                        return -1;
                    }
                }
            }
            """,
        ["Using"] = """
            public static class C
            {
                public static string F(string s)
                {
                    using (var reader = new System.IO.StringReader(s))
                        return reader.ReadToEnd();
                }
            }
            """,
        ["AddressTaken"] = """
            public static class C
            {
                private static void Increment(ref double v) => v += 1;
                public static double Local(double x)
                {
                    double y = x * 2;
                    Increment(ref y);
                    return y;
                }
                public static double Argument(double x)
                {
                    Increment(ref x);
                    return x;
                }
            }
            """,
        ["GenericCall"] = """
            using System.Collections.Generic;
            public static class C
            {
                private static T Identity<T>(T x) => x;
                public static double F(List<double> xs, Dictionary<string, double> d) => Identity(xs[0]) + xs.Count + d["a"];
                public static string G<T>(T x) => x!.ToString()!;
            }
            """,
    };

    public static IEnumerable<string> CaseNames => Cases.Keys;

    [TestCaseSource(nameof(CaseNames))]
    public void LiftedIrMatchesGolden(string name)
    {
        using var module = CompiledModule.Compile(Cases[name]);
        var text = new StringBuilder();
        foreach (var method in module.Module.GetType("C").Methods.Where(m => m.HasBody))
        {
            var lifted = MethodLifter.Lift(method);
            IrVerifier.Check(lifted);
            text.Append(IrPrinter.Print(lifted)).Append('\n');
        }
        GoldenFile.AssertMatches("Golden", name + ".ir", text.ToString());
    }
}
