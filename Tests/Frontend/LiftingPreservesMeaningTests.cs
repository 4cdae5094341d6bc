using System;
using System.Linq;
using Autodiff.Tests.Infrastructure;
using Autodiff.Tests.Ir;
using Autodiff.Weaver.Frontend;
using Autodiff.Weaver.Ir;
using Mono.Cecil;
using NUnit.Framework;

namespace Autodiff.Tests.Frontend;

/// <summary>
/// Differential tests: each method is run compiled (through reflection) and lifted (through the IR
/// interpreter) on the same inputs; results and array side effects must agree. Exception handling is
/// included: catch, filter, finally, and locals that live across regions.
/// </summary>
public sealed class LiftingPreservesMeaningTests
{
    private const string Source = """
        public static class C
        {
            public static double Sum(double[] xs)
            {
                double s = 0;
                for (int i = 0; i < xs.Length; i++)
                    s += xs[i];
                return s;
            }

            public static int Collatz(int n)
            {
                int steps = 0;
                while (n != 1)
                {
                    n = n % 2 == 0 ? n / 2 : 3 * n + 1;
                    steps++;
                }
                return steps;
            }

            public static double Piecewise(double x, int mode)
            {
                switch (mode)
                {
                    case 0: return x > 0 ? System.Math.Sqrt(x) : -x;
                    case 1: return x * x;
                    case 2: return x < -1 || x > 1 ? 1 / x : x;
                    default: return 0;
                }
            }

            public static int Search(int[] xs, int key)
            {
                int lo = 0, hi = xs.Length - 1;
                while (lo <= hi)
                {
                    int mid = (lo + hi) >>> 1;
                    if (xs[mid] == key) return mid;
                    if (xs[mid] < key) lo = mid + 1; else hi = mid - 1;
                }
                return ~lo;
            }

            public static double Swaps(double[] a, bool reverse)
            {
                for (int i = 0, j = a.Length - 1; i < j; i++, j--)
                {
                    if (!reverse && a[i] <= a[j]) continue;
                    (a[i], a[j]) = (a[j], a[i]);
                }
                double last = 0;
                Accumulate(ref last, a);
                return last;
            }

            private static void Accumulate(ref double total, double[] a)
            {
                foreach (var x in a)
                    total = total * 0.5 + x;
            }

            public static double StackAcross(double x, bool c, bool d) =>
                System.Math.Max(x * 2, (c ? x : -x) * (d ? 3.0 : 4.0)) + (c && d ? 1 : c || d ? 2 : 3);

            public static int SafeDivide(int a, int b)
            {
                int r = 0;
                try { r = a / b; }
                catch (System.DivideByZeroException) { r = -1; }
                finally { r += 100; }
                return r;
            }

            public static int Filtered(int[] xs, int i)
            {
                try { return xs[i] * 2; }
                catch (System.Exception e) when (e is System.IndexOutOfRangeException) { return -1; }
            }

            public static double LoopTry(double[] xs)
            {
                double last = 0;
                foreach (var x in xs)
                {
                    try
                    {
                        if (x < 0) throw new System.ArgumentException("negative");
                        last = last * 2 + x;
                    }
                    catch (System.ArgumentException) { last -= 1; }
                }
                return last;
            }

            public static int NestedFinally(int n)
            {
                int log = 0;
                for (int i = 0; i < n; i++)
                {
                    try
                    {
                        try
                        {
                            if (i == 2) continue;
                            if (i == 4) throw new System.InvalidOperationException();
                            log = log * 10 + i;
                        }
                        finally { log += 1000; }
                    }
                    catch (System.InvalidOperationException) { log = -log; }
                }
                return log;
            }

            public static long Mixed(int a, long b, float f, uint u)
            {
                long r = a * b + (long)f - (u >> 3);
                bool negative = r < 0;
                do { r /= 3; } while (negative ? r < -10 : r > 10);
                return negative ? -r : r + (a & 7);
            }
        }
        """;

    private static readonly (string Method, object?[] Arguments)[] Runs =
    {
        ("Sum", new object?[] { new[] { 1.5, -2.0, 4.25 } }),
        ("Sum", new object?[] { Array.Empty<double>() }),
        ("Collatz", new object?[] { 27 }),
        ("Collatz", new object?[] { 1 }),
        ("Piecewise", new object?[] { 4.0, 0 }),
        ("Piecewise", new object?[] { -3.0, 0 }),
        ("Piecewise", new object?[] { 1.5, 1 }),
        ("Piecewise", new object?[] { -0.5, 2 }),
        ("Piecewise", new object?[] { 8.0, 2 }),
        ("Piecewise", new object?[] { 8.0, 7 }),
        ("Search", new object?[] { new[] { 1, 3, 5, 7, 9, 11 }, 7 }),
        ("Search", new object?[] { new[] { 1, 3, 5, 7, 9, 11 }, 4 }),
        ("Swaps", new object?[] { new[] { 3.0, 1.0, 2.0, 5.0, 4.0 }, false }),
        ("Swaps", new object?[] { new[] { 3.0, 1.0, 2.0, 5.0 }, true }),
        ("StackAcross", new object?[] { 1.5, true, true }),
        ("StackAcross", new object?[] { 1.5, true, false }),
        ("StackAcross", new object?[] { -1.5, false, true }),
        ("StackAcross", new object?[] { -1.5, false, false }),
        ("SafeDivide", new object?[] { 7, 2 }),
        ("SafeDivide", new object?[] { 7, 0 }),
        ("Filtered", new object?[] { new[] { 4, 5 }, 1 }),
        ("Filtered", new object?[] { new[] { 4, 5 }, 2 }),
        ("LoopTry", new object?[] { new[] { 1.0, -2.0, 3.0, -0.5, 2.0 } }),
        ("NestedFinally", new object?[] { 6 }),
        ("Mixed", new object?[] { 7, 123456789L, 2.5f, 4000000000u }),
        ("Mixed", new object?[] { -7, 99L, -1.5f, 17u }),
    };

    private static LoadedAssembly loaded = null!;
    private static CompiledModule module = null!;

    [OneTimeSetUp]
    public static void Compile()
    {
        var output = TestCompiler.Compile(Source);
        loaded = new LoadedAssembly(output.Assembly, output.Pdb);
        module = CompiledModule.Compile(Source);
    }

    [OneTimeTearDown]
    public static void Unload()
    {
        module.Dispose();
        loaded.Dispose();
    }

    public static System.Collections.Generic.IEnumerable<TestCaseData> Cases() =>
        Runs.Select((run, i) => new TestCaseData(run.Method, i).SetName($"{run.Method}_{i}"));

    [TestCaseSource(nameof(Cases))]
    public void InterpretedIrMatchesTheCompiledMethod(string name, int run)
    {
        var lifted = MethodLifter.Lift(module.Method("C", name));
        IrVerifier.Check(lifted);
        var compiledArguments = Copy(Runs[run].Arguments);
        var interpretedArguments = Copy(Runs[run].Arguments);

        var expected = loaded.Invoke("C", name, compiledArguments);
        var actual = new IrInterpreter(lifted, ResolveType).Run(interpretedArguments);

        Assert.That(actual, Is.EqualTo(expected is bool b ? (b ? 1 : 0) : expected));
        Assert.That(interpretedArguments, Is.EqualTo(compiledArguments), "side effects on array arguments");
    }

    private static object?[] Copy(object?[] arguments) =>
        arguments.Select(a => a is Array array ? array.Clone() : a).ToArray();

    private static Type ResolveType(TypeReference type) =>
        loaded.Assembly.GetType(type.FullName) ?? typeof(object).Assembly.GetType(type.FullName, throwOnError: true)!;
}
