namespace Autodiff.Tests.RoundTrip;

/// <summary>C# covering the constructs round-trip mode must preserve: loops, switches, every kind of handler, refs, structs, closures, iterators, unsafe code.</summary>
internal static class SnippetSubject
{
    public const string Source = """
        using System;
        using System.Collections.Generic;
        using System.Linq;

        public struct Point
        {
            public double X, Y;
            public Point(double x, double y) { X = x; Y = y; }
            public double Norm() => Math.Sqrt(X * X + Y * Y);
        }

        sealed class Disposable : IDisposable
        {
            public static int Count;
            public void Dispose() => Count++;
        }

        public static class Subject
        {
            public static int Counter;
            static readonly int[] Data = { 5, 6 };

            public static double Poly(double x) { double r = 0; for (int i = 0; i < 5; i++) r = r * x + i; return r; }
            public static int Collatz(int n) { int steps = 0; while (n > 1 && steps < 1000) { n = (n & 1) == 0 ? n / 2 : 3 * n + 1; steps++; } return steps; }
            public static int Gcd(int a, int b) { while (b != 0) (a, b) = (b, a % b); return a; }
            public static long Fib(int n) { long a = 0, b = 1; for (int i = 0; i < Math.Min(n, 90); i++) (a, b) = (b, a + b); return a; }
            public static string Classify(int k) => k switch { < 0 => "negative", 0 => "zero", 1 or 2 or 3 => "small", _ when k % 2 == 0 => "even", _ => "odd" };
            public static int Dense(int k) { switch (k) { case 0: return 10; case 1: return 11; case 2: return 12; case 3: return 13; case 5: return 15; default: return -1; } }
            public static double SumArray(double[] values) { double s = 0; foreach (var v in values) s += v; return s; }
            public static int CountList(int n) { var list = new List<int>(); for (int i = 0; i < Math.Min(n, 1000); i++) list.Add(i * i); int c = 0; foreach (var x in list) if (x % 3 == 1) c++; return c; }
            public static string Parse(string s)
            {
                try { return int.Parse(s).ToString(); }
                catch (FormatException e) { return "format:" + e.GetType().Name; }
                catch (OverflowException) { return "overflow"; }
                finally { Counter++; }
            }
            public static int Filtered(int k)
            {
                try { if (k > 2) throw new ArgumentException("k" + k); return k; }
                catch (ArgumentException e) when (e.Message.EndsWith("3")) { return -3; }
                catch (ArgumentException) { return -1; }
            }
            public static int Checked(int a, int b) { try { return checked(a * b); } catch (OverflowException) { return int.MinValue; } }
            public static double Norm(double x, double y) { var p = new Point(x, y); return p.Norm(); }
            static void Swap(ref double a, ref double b) { (a, b) = (b, a); }
            public static double UseRef(double x, double y) { Swap(ref x, ref y); return x - 2 * y; }
            public static int Lambda(int n) => Enumerable.Range(0, Math.Max(0, Math.Min(n, 50))).Where(i => i % 3 != 0).Select(i => i * n).Sum();
            static IEnumerable<int> Squares(int n) { for (int i = 0; i < n; i++) yield return i * i; }
            public static int SumSquares(int n) => Squares(Math.Min(n, 50)).Sum();
            public static unsafe int Unsafe(int n)
            {
                int* p = stackalloc int[8];
                for (int i = 0; i < 8; i++) p[i] = i * n;
                int s = 0;
                fixed (int* q = &Data[0]) s += *q + q[1];
                return p[7] + s;
            }
            public static ulong Mix(ulong a, int s) => (a >> (s & 63)) ^ (a << 3) ^ (ulong)(uint)s;
            public static float Floats(float x) => MathF.Sqrt(Math.Abs(x)) + (float)(double)x;
            public static double Conversions(long a) => (double)(ulong)a + (float)a + (int)a + (byte)a;
            public static bool Compare(double a, double b) => a >= b || !(a < b) && a != b;
            public static int Nested(int n)
            {
                int total = 0;
                for (int i = 0; i < Math.Min(n, 200); i++)
                {
                    for (int j = 0; j < i; j++)
                    {
                        if (j == 3) continue;
                        if (i * j > 50) break;
                        total += i ^ j;
                    }
                }
                return total;
            }
            public static string Strings(string s) => s == null ? "null" : s.Length > 3 ? s.Substring(1, 2).ToUpperInvariant() + s[0] : string.Concat(s, s);
            public static object Boxing(int k) { object o = k; if (o is int i && i > 2) return (long)i; return o.ToString(); }
            public static decimal Money(int a) => a * 1.5m;
            public static int Span(int n) { Span<int> s = stackalloc int[4]; for (int i = 0; i < s.Length; i++) s[i] = n + i; int t = 0; foreach (var v in s) t += v; return t; }
            public static double Generic(double x) => Max(x, 2.0) + Max(3, (int)Math.Clamp(x, -100, 100));
            static T Max<T>(T a, T b) where T : IComparable<T> => a.CompareTo(b) > 0 ? a : b;
            public static int Using(int n) { using (var d = new Disposable()) { return n + Disposable.Count; } }
            public static int Closure(int n) { int captured = n; Func<int, int> add = x => x + captured++; return add(1) + add(2) + captured; }
            public static string Interpolate(double x, int k) => $"{x:F2}|{k,4}|{(k > 2 ? "big" : "small")}";
        }
        """;
}
