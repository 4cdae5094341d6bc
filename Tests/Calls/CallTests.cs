using System;
using System.Linq;
using System.Runtime.CompilerServices;
using Autodiff.Tests.EndToEnd;
using NUnit.Framework;

namespace Autodiff.Tests.Calls;

/// <summary>Derivatives through calls to helpers with IL in the same assembly, woven end to end in both modes.</summary>
public sealed class CallTests
{
    private const double Step = 1e-6;
    private static WovenAssembly woven = null!;

    [OneTimeSetUp]
    public void Weave() => woven = WovenAssembly.Compile(CallSource.Text);

    [OneTimeTearDown]
    public void Unload() => woven.Dispose();

    [Test]
    public void WeavesWithoutErrors() => Assert.That(woven.Result.Succeeded, Is.True, woven.ErrorText);

    [Test]
    public void PrivateHelperBothModes()
    {
        // d/dx y·x² + 9 = 2xy.
        const double x = 1.5, y = -2.0;
        var forward = (ITuple)woven.Invoke("Calls", "FSquare", x, 1.0, y)!;
        var reverse = (ITuple)woven.Invoke("Calls", "RSquare", x, y, 1.0)!;
        Assert.Multiple(() =>
        {
            Assert.That(forward[0], Is.EqualTo(y * x * x + 9));
            Assert.That(forward[1], Is.EqualTo(2 * x * y));
            Assert.That(reverse[0], Is.EqualTo(y * x * x + 9));
            Assert.That(reverse[1], Is.EqualTo(2 * x * y));
        });
    }

    [Test]
    public void HelperDerivativesAreSharedPerActivityPatternAndNamedForIt()
    {
        var helpers = woven.Loaded.Assembly.GetType("Calls")!
            .GetMethods(System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)
            .Select(m => m.Name)
            .Where(n => n.StartsWith("<Poly>__", StringComparison.Ordinal))
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToList();
        Assert.That(helpers, Is.EqualTo(new[]
        {
            "<Poly>__aug_active_active", "<Poly>__aug_active_const", "<Poly>__aug_const_active",
            "<Poly>__fwd_const_dual_to_dual", "<Poly>__fwd_dual_const_to_dual", "<Poly>__fwd_dual_dual_to_dual",
            "<Poly>__rev_active_active", "<Poly>__rev_active_const", "<Poly>__rev_const_active",
        }));
    }

    [Test]
    public void HelpersAreCompilerGeneratedAndInternal()
    {
        var helper = woven.Loaded.Assembly.GetType("Calls")!.GetMethod("<Square>__fwd_dual_to_dual", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;
        Assert.Multiple(() =>
        {
            Assert.That(helper.IsAssembly, Is.True);
            Assert.That(helper.GetCustomAttributes(typeof(CompilerGeneratedAttribute), false), Is.Not.Empty);
        });
    }

    [TestCase(0.7, -1.3)]
    [TestCase(-2.0, 0.25)]
    public void SeveralCallSitesAgainstClosedFormAndCentralDifferences(double x, double y)
    {
        // f = Poly(x, 2) + Poly(y, x) + Poly(xy, 0.5)·Poly(1.5, y), Poly(a, b) = a²b + sin b.
        double Poly(double a, double b) => a * a * b + Math.Sin(b);
        double F(double u, double v) => Poly(u, 2.0) + Poly(v, u) + Poly(u * v, 0.5) * Poly(1.5, v);
        var p3 = Poly(x * y, 0.5);
        var p4 = Poly(1.5, y);
        var dx = 4 * x + (y * y + Math.Cos(x)) + (2 * x * y * y * 0.5) * p4;
        var dy = 2 * y * x + (2 * x * x * y * 0.5) * p4 + p3 * (1.5 * 1.5 + Math.Cos(y));
        var reverse = (ITuple)woven.Invoke("Calls", "RPoly", x, y, 1.0)!;
        var forwardX = (ITuple)woven.Invoke("Calls", "FPoly", x, 1.0, y, 0.0)!;
        var forwardY = (ITuple)woven.Invoke("Calls", "FPoly", x, 0.0, y, 1.0)!;
        Assert.Multiple(() =>
        {
            Assert.That(reverse[0], Is.EqualTo(F(x, y)).Within(1e-12));
            Assert.That((double)reverse[1]!, Is.EqualTo(dx).Within(1e-12));
            Assert.That((double)reverse[2]!, Is.EqualTo(dy).Within(1e-12));
            Assert.That((double)forwardX[1]!, Is.EqualTo(dx).Within(1e-12));
            Assert.That((double)forwardY[1]!, Is.EqualTo(dy).Within(1e-12));
            Assert.That(dx, Is.EqualTo(Central(u => F(u, y), x)).Within(1e-6));
            Assert.That(dy, Is.EqualTo(Central(v => F(x, v), y)).Within(1e-6));
        });
    }

    [TestCase("Nested", 0.4)]
    [TestCase("Local", -1.1)]
    [TestCase("Instance", 0.9)]
    public void ForwardAgreesWithReverseAndCentralDifferences(string name, double x)
    {
        var forward = (ITuple)woven.Invoke("Calls", "F" + name, x, 1.0)!;
        var reverse = (ITuple)woven.Invoke("Calls", "R" + name, x, 1.0)!;
        var primal = (double)woven.Invoke("Calls", name, x)!;
        Assert.Multiple(() =>
        {
            Assert.That(forward[0], Is.EqualTo(primal));
            Assert.That(reverse[0], Is.EqualTo(primal));
            Assert.That((double)reverse[1]!, Is.EqualTo((double)forward[1]!).Within(1e-12));
            Assert.That((double)forward[1]!, Is.EqualTo(Central(v => (double)woven.Invoke("Calls", name, v)!, x)).Within(1e-6));
        });
    }

    [Test]
    public void LocalFunctionClosedForm()
    {
        // x³ + 8x³ = 9x³ → 27x².
        var reverse = (ITuple)woven.Invoke("Calls", "RLocal", 2.0, 1.0)!;
        Assert.That(reverse[1], Is.EqualTo(108.0));
    }

    [Test]
    public void InstanceMethodClosedForm()
    {
        // 3x² + 2x⁴ → 6x + 8x³.
        var forward = (ITuple)woven.Invoke("Calls", "FInstance", 1.5, 1.0)!;
        Assert.That(forward[1], Is.EqualTo(36.0));
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(6)]
    public void RecursionBothModes(int n)
    {
        // xⁿ → n·xⁿ⁻¹.
        const double x = 1.3;
        var expected = n * Math.Pow(x, n - 1);
        var forward = (ITuple)woven.Invoke("Calls", "FRecursive", x, 1.0, n)!;
        var reverse = (ITuple)woven.Invoke("Calls", "RRecursive", x, n, 1.0)!;
        Assert.Multiple(() =>
        {
            Assert.That((double)forward[0]!, Is.EqualTo(Math.Pow(x, n)).Within(1e-12));
            Assert.That((double)forward[1]!, Is.EqualTo(expected).Within(1e-12));
            Assert.That((double)reverse[1]!, Is.EqualTo(expected).Within(1e-12));
        });
    }

    [TestCase(0)]
    [TestCase(3)]
    [TestCase(4)]
    public void MutualRecursionBothModes(int n)
    {
        const double x = 0.8;
        double Even(double v, int k) => k == 0 ? v : Math.Sin(Odd(v, k - 1));
        double Odd(double v, int k) => k == 0 ? v : v * Even(v, k - 1);
        var forward = (ITuple)woven.Invoke("Calls", "FMutual", x, 1.0, n)!;
        var reverse = (ITuple)woven.Invoke("Calls", "RMutual", x, n, 1.0)!;
        Assert.Multiple(() =>
        {
            Assert.That(forward[0], Is.EqualTo(Even(x, n)));
            Assert.That((double)reverse[1]!, Is.EqualTo((double)forward[1]!).Within(1e-12));
            Assert.That((double)forward[1]!, Is.EqualTo(Central(v => Even(v, n), x)).Within(1e-6));
        });
    }

    [Test]
    public void SingleHelperBothModes()
    {
        // x³ → 3x².
        var forward = (ITuple)woven.Invoke("Calls", "FSingle", 1.5f, 1.0f)!;
        var reverse = (ITuple)woven.Invoke("Calls", "RSingle", 1.5f, 1.0f)!;
        Assert.Multiple(() =>
        {
            Assert.That(forward[1], Is.EqualTo(6.75f));
            Assert.That(reverse[1], Is.EqualTo(6.75f));
        });
    }

    [TestCase(0.6)]
    [TestCase(-1.7)]
    public void GenericMathAtItsInstantiation(double x)
    {
        // Sq(x) + sin(x)·x² + 1 → 2x + cos(x)·x² + 2x·sin(x).
        var expected = 2 * x + Math.Cos(x) * x * x + 2 * x * Math.Sin(x);
        var forward = (ITuple)woven.Invoke("Calls", "FGeneric", x, 1.0)!;
        var reverse = (ITuple)woven.Invoke("Calls", "RGeneric", x, 1.0)!;
        Assert.Multiple(() =>
        {
            Assert.That(forward[0], Is.EqualTo(woven.Invoke("Calls", "Generic", x)));
            Assert.That((double)forward[1]!, Is.EqualTo(expected).Within(1e-12));
            Assert.That((double)reverse[1]!, Is.EqualTo(expected).Within(1e-12));
            Assert.That(expected, Is.EqualTo(Central(v => (double)woven.Invoke("Calls", "Generic", v)!, x)).Within(1e-6));
        });
    }

    [Test]
    public void GenericMathAtAFloatInstantiation()
    {
        // sin(x)·x² + 1 → cos(x)·x² + 2x·sin(x), in float.
        const float x = 0.8f;
        var expected = MathF.Cos(x) * x * x + 2 * x * MathF.Sin(x);
        var forward = (ITuple)woven.Invoke("Calls", "FGenericSingle", x, 1.0f)!;
        var reverse = (ITuple)woven.Invoke("Calls", "RGenericSingle", x, 1.0f)!;
        Assert.Multiple(() =>
        {
            Assert.That((float)forward[1]!, Is.EqualTo(expected).Within(1e-6f));
            Assert.That((float)reverse[1]!, Is.EqualTo(expected).Within(1e-6f));
        });
    }

    [Test]
    public void InactiveMethodsAndParametersCarryNoDerivativeAndRunOnce()
    {
        const double x = 1.2345;
        var before = (int)woven.Invoke("Calls", "get_Logged")!;
        var forward = (ITuple)woven.Invoke("Calls", "FInactive", x, 1.0)!;
        var reverse = (ITuple)woven.Invoke("Calls", "RInactive", x, 1.0)!;
        var after = (int)woven.Invoke("Calls", "get_Logged")!;
        Assert.Multiple(() =>
        {
            Assert.That(forward[0], Is.EqualTo(x * x + Math.Floor(x * 1000) / 1000));
            Assert.That(forward[1], Is.EqualTo(x));
            Assert.That(reverse[1], Is.EqualTo(x));
            Assert.That(after - before, Is.EqualTo(2));
        });
    }

    private static double Central(Func<double, double> f, double x) => (f(x + Step) - f(x - Step)) / (2 * Step);
}
