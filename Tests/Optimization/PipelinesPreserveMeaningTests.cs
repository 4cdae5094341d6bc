using System;
using System.Collections.Generic;
using System.Linq;
using Autodiff.Tests.Frontend;
using Autodiff.Tests.Infrastructure;
using Autodiff.Tests.Ir;
using Autodiff.Weaver.Frontend;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Optimization;
using Autodiff.Weaver.Pipeline;
using Mono.Cecil;
using NUnit.Framework;

namespace Autodiff.Tests.Optimization;

/// <summary>
/// Differential tests: each method runs compiled, lifted (interpreted), after the pre-differentiation
/// preset (with inlining) and after the post-differentiation preset on top; results, thrown exception
/// types and array side effects must agree bit for bit — signed zeros and NaN payloads included. The
/// verifier runs after every pass.
/// </summary>
public sealed class PipelinesPreserveMeaningTests
{
    private const string Source = """
        public static class C
        {
            public static double Identities(double x)
            {
                double one = 1, zero = 0, negativeZero = -0.0, minusOne = -1;
                return (x * one) * 3 + (x + negativeZero) * minusOne - (x - zero) / one;
            }

            public static double AddZero(double x)
            {
                double zero = 0;
                return x + zero;
            }

            public static double TimesZero(double x)
            {
                double zero = 0;
                return x * zero;
            }

            public static int IntegerAlgebra(int n, int m)
            {
                int one = 1, zero = 0, minusOne = -1;
                return n * one + (n + zero) + n * zero + (n - n) + (m ^ m) + (n & minusOne) + n * minusOne + n % one + (m << zero);
            }

            public static int Overflow(int a)
            {
                int big = int.MaxValue;
                try { return checked(big + a); }
                catch (System.OverflowException) { return -1; }
            }

            public static int Divide(int a, int b)
            {
                int zero = 0;
                if (b == 0)
                    return a / zero;
                return a / b + 7 / 2;
            }

            public static double Scaled(double[] xs, double a, double b)
            {
                double s = 0;
                for (int i = 0; i < xs.Length; i++)
                    s += xs[i] * (a * b + 1) / (a - b);
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

            public static double Inlined(double x) => Square(x) + Abs(x - 1) + Clamp(x, -1, 1) + Twice(x);

            public static double RefLocals(double x, bool c)
            {
                double t = x;
                ref double r = ref t;
                if (c)
                    r = r * 2;
                for (int i = 0; i < 3; i++)
                    Add(ref t, i);
                return t;
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

            public static double Norm(double x, double y) => System.Math.Sqrt(x * x + y * y) / (x * x + y * y);

            public static long Mixed(int a, long b, float f, uint u)
            {
                long r = a * b + (long)f - (u >> 3);
                bool negative = r < 0;
                long three = 3;
                do { r /= three; } while (negative ? r < -10 : r > 10);
                return negative ? -r : r + (a & 7);
            }

            public static float Single(float x)
            {
                float half = 0.5f, one = 1f;
                return x * one * half + (float)(double)half;
            }

            public static double TemporaryArray(double x, double y)
            {
                var t = new double[3];
                t[0] = x * y;
                t[1] = System.Math.Sin(x);
                t[2] += t[0] + t[1];
                return t[2] * t[0] + t.Length + At(t, 1);
            }

            public static long FreshArrays(int n)
            {
                long total = 0;
                for (int i = 0; i < n; i++)
                {
                    var counts = new long[2];
                    counts[i & 1] += i;
                    var flags = new int[1];
                    flags[0] += i;
                    total += counts[0] - counts[1] + flags[0];
                }
                return total;
            }

            public static double ArrayOutOfRange(double x, bool read)
            {
                var t = new double[2];
                t[0] = x;
                return read ? t[2] : t[0];
            }

            private static double At(double[] a, int i) => a[i];

            private static double Square(double v) => v * v;

            private static double Abs(double v) => v < 0 ? -v : v;

            private static double Clamp(double v, double lo, double hi) => v < lo ? lo : v > hi ? hi : v;

            private static double Twice(double v)
            {
                double t = v;
                Add(ref t, v);
                return t;
            }

            private static void Add(ref double total, double v) => total += v;
        }
        """;

    private static readonly (string Method, object?[] Arguments)[] Runs =
    {
        ("Identities", new object?[] { 2.5 }),
        ("Identities", new object?[] { -0.0 }),
        ("Identities", new object?[] { double.NaN }),
        ("Identities", new object?[] { double.NegativeInfinity }),
        ("AddZero", new object?[] { -0.0 }),
        ("AddZero", new object?[] { 0.0 }),
        ("TimesZero", new object?[] { -3.0 }),
        ("TimesZero", new object?[] { double.PositiveInfinity }),
        ("IntegerAlgebra", new object?[] { 17, -5 }),
        ("IntegerAlgebra", new object?[] { int.MinValue, int.MaxValue }),
        ("Overflow", new object?[] { 0 }),
        ("Overflow", new object?[] { 1 }),
        ("Divide", new object?[] { 9, 2 }),
        ("Divide", new object?[] { 9, 0 }),
        ("Divide", new object?[] { int.MinValue, -1 }),
        ("Scaled", new object?[] { new[] { 1.5, -2.0, 4.25 }, 0.5, 3.0 }),
        ("Scaled", new object?[] { new[] { 1.0 }, 2.0, 2.0 }),
        ("Scaled", new object?[] { Array.Empty<double>(), 1.0, 1.0 }),
        ("Nested", new object?[] { new[] { 1.0, 2.0, -0.5 }, 1.25, 4 }),
        ("Nested", new object?[] { new[] { 1.0 }, -0.0, 0 }),
        ("Inlined", new object?[] { 0.25 }),
        ("Inlined", new object?[] { -3.0 }),
        ("Inlined", new object?[] { double.NaN }),
        ("RefLocals", new object?[] { 1.5, true }),
        ("RefLocals", new object?[] { -0.0, false }),
        ("ConstantSwitch", new object?[] { 14 }),
        ("Norm", new object?[] { 3.0, 4.0 }),
        ("Norm", new object?[] { 0.0, 0.0 }),
        ("Mixed", new object?[] { 7, 123456789L, 2.5f, 4000000000u }),
        ("Mixed", new object?[] { -7, 99L, -1.5f, 17u }),
        ("TemporaryArray", new object?[] { 1.5, -2.0 }),
        ("TemporaryArray", new object?[] { -0.0, 0.0 }),
        ("FreshArrays", new object?[] { 7 }),
        ("ArrayOutOfRange", new object?[] { 2.0, true }),
        ("ArrayOutOfRange", new object?[] { 2.0, false }),
        ("Single", new object?[] { 3.25f }),
        ("Single", new object?[] { float.NaN }),
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

    public static IEnumerable<TestCaseData> Cases() =>
        Runs.Select((run, i) => new TestCaseData(run.Method, i).SetName($"{run.Method}_{i}"));

    [TestCaseSource(nameof(Cases))]
    public void OptimizedIrComputesWhatTheCompiledMethodComputes(string name, int run)
    {
        var options = new WeaverOptions { Flags = WeaverFlags.Inline };
        var ir = MethodLifter.Lift(module.Method("C", name));
        var expected = Outcome(() => loaded.Invoke("C", name, Copy(Runs[run].Arguments)), Runs[run].Arguments);
        Assert.That(Interpret(ir, run), Is.EqualTo(expected), "lifted");

        var passes = new List<string>();
        OptimizationPipelines.PreDifferentiation(options).Run(ir, (pass, m) =>
        {
            passes.Add(pass);
            IrVerifier.Check(m);
        });
        Assert.That(Interpret(ir, run), Is.EqualTo(expected), "after " + OptimizationPipelines.PreDifferentiation(options).Name);

        OptimizationPipelines.RunPostDifferentiation(ir, options, (_, m) => IrVerifier.Check(m));
        Assert.That(Interpret(ir, run), Is.EqualTo(expected), "after PostDifferentiation");
        Assert.That(passes, Does.Contain("InlineCalls").And.Contain("HoistLoopInvariants"));
    }

    [Test]
    public void PresetsListTheirPassesInOrder()
    {
        var inline = new WeaverOptions { Flags = WeaverFlags.Inline };
        var names = OptimizationPipelines.PreDifferentiation(inline).Passes.Select(p => p.Name).ToList();

        Assert.That(names.First(), Is.EqualTo("InlineCalls"));
        Assert.That(names.IndexOf("PromoteStackSlots"), Is.LessThan(names.IndexOf("FoldConstants")));
        Assert.That(names.Skip(1).Take(3), Is.EqualTo(new[] { "ScalarizeStructLocals", "ScalarizeShortLivedArrays", "PromoteStackSlots" }));
        Assert.That(OptimizationPipelines.PostDifferentiation(new WeaverOptions()).Passes.Take(3).Select(p => p.Name), Is.EqualTo(names.Skip(1).Take(3)));
        Assert.That(names.IndexOf("EliminateCommonSubexpressions"), Is.LessThan(names.IndexOf("HoistLoopInvariants")));
        Assert.That(OptimizationPipelines.PreDifferentiation(new WeaverOptions()).Passes.Select(p => p.Name), Does.Not.Contain("InlineCalls"));
        Assert.That(OptimizationPipelines.PostDifferentiation(new WeaverOptions { Flags = WeaverFlags.NoPostOpt }).Passes, Is.Empty);
    }

    [Test]
    public void NoPostOptLeavesThePostDifferentiationPresetEmpty()
    {
        var ir = MethodLifter.Lift(module.Method("C", "Identities"));
        var before = IrPrinter.Print(ir);

        var changed = OptimizationPipelines.RunPostDifferentiation(ir, new WeaverOptions { Flags = WeaverFlags.NoPostOpt });

        Assert.That(changed, Is.False);
        Assert.That(IrPrinter.Print(ir), Is.EqualTo(before));
    }

    private static string Interpret(IrMethod ir, int run)
    {
        var arguments = Copy(Runs[run].Arguments);
        return Outcome(() => new IrInterpreter(ir, ResolveType).Run(arguments), arguments);
    }

    /// <summary>The result (floats by their bits) or the exception type, then the arrays' contents after the call.</summary>
    private static string Outcome(Func<object?> call, object?[] arguments)
    {
        string result;
        try
        {
            result = Bits(call());
        }
        catch (InterpretedThrowException e)
        {
            result = "throws " + e.Thrown?.GetType().Name;
        }
        catch (Exception e) when (e is ArithmeticException or IndexOutOfRangeException)
        {
            result = "throws " + e.GetType().Name;
        }
        var effects = arguments.OfType<Array>().Select(a => string.Join(",", a.Cast<object?>().Select(Bits)));
        return result + " | " + string.Join(" | ", effects);
    }

    private static string Bits(object? value) => value switch
    {
        double d => "d:" + BitConverter.DoubleToInt64Bits(d).ToString("x16", System.Globalization.CultureInfo.InvariantCulture),
        float f => "f:" + BitConverter.SingleToInt32Bits(f).ToString("x8", System.Globalization.CultureInfo.InvariantCulture),
        bool b => b ? "1" : "0",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "null",
    };

    private static object?[] Copy(object?[] arguments) =>
        arguments.Select(a => a is Array array ? array.Clone() : a).ToArray();

    private static Type ResolveType(TypeReference type) =>
        loaded.Assembly.GetType(type.FullName) ?? typeof(object).Assembly.GetType(type.FullName, throwOnError: true)!;
}
