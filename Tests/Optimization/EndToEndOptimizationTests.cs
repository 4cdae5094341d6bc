using System;
using System.Linq;
using Autodiff.Tests.Differentiation;
using Autodiff.Tests.Infrastructure;
using Autodiff.Weaver.Loading;
using Autodiff.Weaver.Pipeline;
using NUnit.Framework;

namespace Autodiff.Tests.Optimization;

/// <summary>
/// The whole chain on compiled C#, once plain and once with both presets around differentiation
/// (inlining on): lowered, decompiled, JIT-compiled and called, the optimized derivatives return the
/// same bits as the plain ones.
/// </summary>
public sealed class EndToEndOptimizationTests
{
    private const string Source = """
        using System;

        public static class Model
        {
            public static double Energy(double m, double v, double h)
            {
                double g = 9.81, half = 0.5, one = 1;
                double kinetic = half * m * v * v * one;
                return kinetic + m * g * h;
            }

            public static double Power(double x, int n)
            {
                double p = 1;
                double scale = 1;
                for (int i = 0; i < n; i++)
                    p *= x * scale;
                return p;
            }

            public static double Branchy(double x, int n)
            {
                bool positive = n > 0;
                double y = positive ? Square(x) : 3 * x;
                return y + Square(y);
            }

            private static double Square(double v) => v * v;
        }
        """;

    private static readonly (string Primal, DerivativeMode Mode, ActivityKind[] Activities, object[][] Points)[] Derivatives =
    {
        ("Energy", DerivativeMode.Reverse, new[] { ActivityKind.Active, ActivityKind.Active, ActivityKind.Active, ActivityKind.Active },
            new[] { new object[] { 2.0, 3.0, 4.0, 1.0 }, new object[] { -0.0, 1.5, -2.0, 0.5 } }),
        ("Energy", DerivativeMode.Forward, new[] { ActivityKind.Dual, ActivityKind.Const, ActivityKind.Const, ActivityKind.Dual },
            new[] { new object[] { 2.0, 1.0, 3.0, 4.0 } }),
        ("Power", DerivativeMode.Reverse, new[] { ActivityKind.Active, ActivityKind.Const, ActivityKind.Active },
            new[] { new object[] { 2.0, 0, 1.0 }, new object[] { 1.5, 5, 1.0 } }),
        ("Power", DerivativeMode.Forward, new[] { ActivityKind.Dual, ActivityKind.Const, ActivityKind.Dual },
            new[] { new object[] { 1.5, 1.0, 4 } }),
    };

    [Test]
    public void OptimizedDerivativesReturnTheSameBitsAsPlainOnes()
    {
        using var plain = Weave(null, Derivatives);
        using var optimized = Weave(new WeaverOptions { Flags = WeaverFlags.Inline }, Derivatives);

        var compared = 0;
        foreach (var (primal, mode, _, points) in Derivatives)
        {
            foreach (var point in points)
            {
                var name = Name(primal, mode);
                Assert.That(Bits(optimized.Invoke("Model", name, point)), Is.EqualTo(Bits(plain.Invoke("Model", name, point))), $"{name}({string.Join(", ", point)})");
                compared++;
            }
        }
        Assert.That(compared, Is.EqualTo(6));
    }

    /// <summary>
    /// Differentiation does not follow calls to user methods yet; once <c>Square</c> is inlined there is
    /// no call left. f = y + y², y = x² if n > 0 else 3x, so f' = y'(1 + 2y) — exact in binary here.
    /// </summary>
    [Test]
    public void InliningLetsDifferentiationThroughSmallHelpers()
    {
        var branchy = new[]
        {
            ("Branchy", DerivativeMode.Reverse, new[] { ActivityKind.Active, ActivityKind.Const, ActivityKind.Active }, Array.Empty<object[]>()),
            ("Branchy", DerivativeMode.Forward, new[] { ActivityKind.Dual, ActivityKind.Const, ActivityKind.Dual }, Array.Empty<object[]>()),
        };
        using var optimized = Weave(new WeaverOptions { Flags = WeaverFlags.Inline }, branchy);

        Assert.That(optimized.Invoke("Model", "DBranchy", 1.25, 1, 1.0), Is.EqualTo((4.00390625, 10.3125)));
        Assert.That(optimized.Invoke("Model", "DBranchy", 1.25, 0, 1.0), Is.EqualTo((17.8125, 25.5)));
        Assert.That(optimized.Invoke("Model", "TBranchy", -2.0, 1.0, 3), Is.EqualTo((20.0, -36.0)));
    }

    private static LoadedAssembly Weave(WeaverOptions? optimization, (string Primal, DerivativeMode Mode, ActivityKind[] Activities, object[][] Points)[] derivatives)
    {
        using var module = WovenModule.Compile(Source);
        module.Optimization = optimization;
        foreach (var (primal, mode, activities, _) in derivatives)
            module.Differentiate("Model", primal, Name(primal, mode), mode, 1, activities);
        return module.Load();
    }

    private static string Name(string primal, DerivativeMode mode) => (mode == DerivativeMode.Reverse ? "D" : "T") + primal;

    private static string Bits(object? result) =>
        string.Join(",", Differentiation.IrInterpreter.Elements(result).Select(d => BitConverter.DoubleToInt64Bits(d).ToString("x16", System.Globalization.CultureInfo.InvariantCulture)));
}
