using System;
using System.Linq;
using System.Runtime.CompilerServices;
using Autodiff.Tests.EndToEnd;
using NUnit.Framework;

namespace Autodiff.Tests.ControlFlow;

/// <summary>
/// Loops and branches woven end to end in both modes: long series, deep nests, iterations run to
/// convergence, while/do/break/continue, switch, goto-shaped code, early returns and kinks. Reverse
/// gradients match central differences; forward tangents match reverse gradients.
/// </summary>
public sealed class LoopAndBranchTests
{
    private static readonly (string Name, string Body, double[] Points, int N)[] Functions =
    {
        ("Series", "double term = 1, sum = 1; for (var k = 0; k < n; k++) { term *= x / (k + 1); sum += term; } return sum;", new[] { -1.5, 0.3, 2.0 }, 5000),
        ("Nested", "double s = 0; for (var i = 0; i < n; i++) for (var j = 0; j < n; j++) for (var k = 0; k < n; k++) for (var l = 0; l < 2; l++) s += Math.Sin(x * (i + j - k + l)) * 0.001; return s;", new[] { 0.1, 0.7 }, 12),
        ("Newton", "var g = x; var steps = 0; while (Math.Abs(g * g - x) > 1e-13 * x && steps++ < n) g = 0.5 * (g + x / g); return g;", new[] { 0.5, 2.0, 1e4 }, 100),
        ("DoBreakContinue", "double s = 0; var i = 0; do { i++; if (i % 3 == 0) continue; if (s > 50 * x) break; s += x * i + Math.Sqrt(s + x); } while (i < n); return s;", new[] { 0.5, 1.7 }, 40),
        ("Switch", "double s = x; for (var i = 0; i < n; i++) { switch (i % 4) { case 0: s = s * x; break; case 1: s = Math.Sin(s); break; case 2: s += x * x; break; default: continue; } } return s;", new[] { 0.4, 1.1 }, 9),
        ("Goto", "var i = 0; var s = x; top: if (i >= n) goto end; s = s * x * 0.5 + 1; i++; goto top; end: return s;", new[] { 0.4, 1.3 }, 7),
        ("EarlyReturn", "var s = 0.0; for (var i = 0; i < n; i++) { if (s > 10.5 * x) return s * s; s += x * i; } return -s;", new[] { 0.5, 3.0 }, 30),
        ("Kink", "return x > 1 ? x * x : 2 * x - 1 + 0 * n;", new[] { 0.5, 1 - 1e-9, 1 + 1e-9, 2.0 }, 0),
        ("BreakOutOfHugeLoop", "var s = x; for (var i = 0; i < int.MaxValue - n; i++) { s = s * 1.1 + Math.Sin(x); if (s > 100) break; } return s;", new[] { 0.5, 2.0 }, 3),
        ("Irreducible", "var i = 0; var s = x; if (n > 2) goto inside; top: s = s * x * 0.5; inside: s = Math.Sin(s) + x; i++; if (i < n) goto top; return s;", new[] { 0.4, 1.3 }, 6),
        ("While", "var s = x; var k = 0; while (s < n) { s = s * 1.5 + x; k++; } return s + k;", new[] { 0.3, 2.0 }, 1000),
    };

    private static WovenAssembly woven = null!;

    [OneTimeSetUp]
    public void Weave()
    {
        var methods = Functions.Select(f => $$"""
                [Autodiff(nameof(R{{f.Name}}), Mode.Reverse, Activity.Active, Activity.Const, Activity.Active)]
                [Autodiff(nameof(T{{f.Name}}), Mode.Forward, Activity.Dual, Activity.Const, Activity.Dual)]
                public static double {{f.Name}}(double x, int n) { {{f.Body}} }
                [GeneratedCode("Autodiff", "1")] public static extern (double, double) R{{f.Name}}(double x, int n, double seed);
                [GeneratedCode("Autodiff", "1")] public static extern (double, double) T{{f.Name}}(double x, double dx, int n);
            """);
        woven = WovenAssembly.Compile($$"""
            using System;
            using System.CodeDom.Compiler;
            using Autodiff;

            public static class Flow
            {
            {{string.Join("\n", methods)}}
            }
            """);
    }

    [OneTimeTearDown]
    public void Unload() => woven.Dispose();

    private static object[] Cases() =>
        Functions.SelectMany(f => f.Points.Select(x => new object[] { f.Name, x, f.N })).ToArray();

    [TestCaseSource(nameof(Cases))]
    public void ReverseMatchesCentralDifferences(string name, double x, int n)
    {
        double F(double a) => (double)woven.Invoke("Flow", name, a, n)!;
        var gradient = (ITuple)woven.Invoke("Flow", "R" + name, x, n, 1.0)!;
        var h = 1e-6 * Math.Max(1, Math.Abs(x));
        if (name == "Kink")
            h = 1e-11;
        var expected = (F(x + h) - F(x - h)) / (2 * h);
        Assert.That((double)gradient[0]!, Is.EqualTo(F(x)));
        Assert.That((double)gradient[1]!, Is.EqualTo(expected).Within(1e-5 * (1 + Math.Abs(expected))));
    }

    [TestCaseSource(nameof(Cases))]
    public void ForwardMatchesReverse(string name, double x, int n)
    {
        var gradient = (ITuple)woven.Invoke("Flow", "R" + name, x, n, 1.0)!;
        var tangent = (ITuple)woven.Invoke("Flow", "T" + name, x, 1.0, n)!;
        Assert.That((double)tangent[0]!, Is.EqualTo((double)gradient[0]!));
        Assert.That((double)tangent[1]!, Is.EqualTo((double)gradient[1]!).Within(1e-11 * (1 + Math.Abs((double)gradient[1]!))));
    }

    [Test]
    public void SeriesOfThousandsOfTermsIsTheExponential()
    {
        var gradient = (ITuple)woven.Invoke("Flow", "RSeries", 1.3, 5000, 1.0)!;
        Assert.That((double)gradient[1]!, Is.EqualTo(Math.Exp(1.3)).Within(1e-12 * Math.Exp(1.3)));
    }

    [Test]
    public void NewtonToConvergenceDifferentiatesTheSquareRoot()
    {
        var gradient = (ITuple)woven.Invoke("Flow", "RNewton", 7.0, 100, 1.0)!;
        Assert.That((double)gradient[0]!, Is.EqualTo(Math.Sqrt(7.0)).Within(1e-12));
        Assert.That((double)gradient[1]!, Is.EqualTo(0.5 / Math.Sqrt(7.0)).Within(1e-9));
    }

    [Test]
    public void AtTheSwitchingPointTheTakenBranchDecides()
    {
        // x > 1 is false at 1: the branch 2x − 1 is taken, slope 2, while just above the slope is 2x ≈ 2 too.
        var atKink = (ITuple)woven.Invoke("Flow", "RKink", 1.0, 0, 1.0)!;
        var above = (ITuple)woven.Invoke("Flow", "RKink", 1.5, 0, 1.0)!;
        Assert.That((double)atKink[1]!, Is.EqualTo(2.0));
        Assert.That((double)above[1]!, Is.EqualTo(3.0));
    }
}
