using System;
using System.Linq;
using System.Runtime.CompilerServices;
using Autodiff.Tests.EndToEnd;
using Autodiff.Tests.Memory;
using Autodiff.Weaver.Diagnostics;
using NUnit.Framework;

namespace Autodiff.Tests.Bcl;

/// <summary>
/// Func delegates received as Const arguments or read from fields — their targets unknown when weaving — differentiated
/// through the derivatives the weaver generated for every method the assembly turns into such a delegate (static and
/// capturing lambdas, method groups of static and instance methods), looked up at run time; both modes, float and
/// double, width 2, against closed forms, central differences and each other.
/// </summary>
public sealed class ConstDelegateTests
{
    private const double Step = 1e-6;
    private static WovenAssembly woven = null!;

    [OneTimeSetUp]
    public void Weave() => woven = WovenAssembly.Compile(ConstDelegateSource.Text);

    [OneTimeTearDown]
    public void Unload() => woven.Dispose();

    [Test]
    public void WeavesDecompilesAndJitCompiles()
    {
        Assert.That(woven.Result.Succeeded, Is.True, woven.ErrorText);
        Assert.That(woven.DecompiledCSharp, Does.Contain("<AutodiffDelegates>.<Invoke>__fwd_const_dual_to_dual(f, ")
            .And.Contain("<AutodiffDelegates>.<Invoke>__aug_const_active(f, ").And.Contain("<AutodiffDelegates>.<Invoke>__rev_const_active(f, "));
    }

    // The Integrands factory that creates the delegate (a method group of a user-ruled P/Invoke for CubeRoot), and its arguments.
    [TestCase("MethodGroup", new double[0])]
    [TestCase("Sine", new double[0])]
    [TestCase("Cosine", new double[0])]
    [TestCase("CubeRoot", new double[0])]
    [TestCase("Scaled", new[] { 1.5 })]
    [TestCase("SpringEnergy", new[] { 2.0 })]
    public void IntegralOfAConstDelegate(string factory, double[] arguments)
    {
        Func<double, double> f, df;
        (f, df) = factory switch
        {
            "MethodGroup" => ((Func<double, double>)(t => t * t * t), (Func<double, double>)(t => 3 * t * t)),
            "Sine" => (Math.Sin, Math.Cos),
            "Cosine" => (Math.Cos, t => -Math.Sin(t)),
            "CubeRoot" => (Math.Cbrt, t => 1 / (3 * Math.Cbrt(t) * Math.Cbrt(t))),
            "Scaled" => (t => 1.5 * t * t, t => 3 * t),
            _ => (t => t * t, t => 2 * t),
        };
        const double a = 0.2, b = 1.1;
        const int n = 7;
        var function = woven.Invoke("Integrands", factory, arguments.Cast<object>().ToArray());
        var (da, db) = MidpointPartials(f, df, a, b, n);
        double Primal(double p, double q) => (double)woven.Invoke("Quadrature", "Integrate", function, p, q, n)!;
        var forwardA = (ITuple)woven.Invoke("Quadrature", "FIntegrate", function, a, 1.0, b, 0.0, n)!;
        var forwardB = (ITuple)woven.Invoke("Quadrature", "FIntegrate", function, a, 0.0, b, 1.0, n)!;
        var reverse = (ITuple)woven.Invoke("Quadrature", "RIntegrate", function, a, b, n, 1.0)!;
        var wide = (ITuple)woven.Invoke("Quadrature", "FIntegrate2", function, a, 1.0, 0.0, b, 0.0, 1.0, n)!;
        var central = FiniteDifferences.Gradient(p => Primal(p[0], p[1]), new[] { a, b });
        Assert.Multiple(() =>
        {
            Assert.That(forwardA[0], Is.EqualTo(Primal(a, b)));
            Assert.That(reverse[0], Is.EqualTo(Primal(a, b)));
            Assert.That((double)forwardA[1]!, Is.EqualTo(da).Within(1e-12));
            Assert.That((double)forwardB[1]!, Is.EqualTo(db).Within(1e-12));
            Assert.That((double)reverse[1]!, Is.EqualTo(da).Within(1e-12));
            Assert.That((double)reverse[2]!, Is.EqualTo(db).Within(1e-12));
            Assert.That((double)wide[1]!, Is.EqualTo(da).Within(1e-12));
            Assert.That((double)wide[2]!, Is.EqualTo(db).Within(1e-12));
            FiniteDifferences.AssertClose(central, new[] { da, db });
        });
    }

    [Test]
    public void SinglePrecisionIntegral()
    {
        // ∫ sin(t)·t over the midpoint rule, in float.
        const float a = 0.3f, b = 1.4f;
        const int n = 5;
        var function = woven.Invoke("Integrands", "SingleSine");
        var (da, db) = MidpointPartials(t => Math.Sin(t) * t, t => Math.Cos(t) * t + Math.Sin(t), a, b, n);
        var forwardA = (ITuple)woven.Invoke("Quadrature", "FIntegrateSingle", function, a, 1f, b, 0f, n)!;
        var forwardB = (ITuple)woven.Invoke("Quadrature", "FIntegrateSingle", function, a, 0f, b, 1f, n)!;
        var reverse = (ITuple)woven.Invoke("Quadrature", "RIntegrateSingle", function, a, b, n, 1f)!;
        Assert.Multiple(() =>
        {
            Assert.That(reverse[0], Is.EqualTo(woven.Invoke("Quadrature", "IntegrateSingle", function, a, b, n)));
            Assert.That((float)forwardA[1]!, Is.EqualTo(da).Within(1e-5));
            Assert.That((float)forwardB[1]!, Is.EqualTo(db).Within(1e-5));
            Assert.That((float)reverse[1]!, Is.EqualTo(da).Within(1e-5));
            Assert.That((float)reverse[2]!, Is.EqualTo(db).Within(1e-5));
        });
    }

    [Test]
    public void TwoArgumentDelegate()
    {
        // g(x, y)·x with g(u, v) = u·v² → x²y²: ∂x = 2xy², ∂y = 2x²y.
        const double x = 0.8, y = -1.3;
        var g = woven.Invoke("Integrands", "Product");
        var reverse = (ITuple)woven.Invoke("Quadrature", "RCombine", g, x, y, 1.0)!;
        var alongX = (ITuple)woven.Invoke("Quadrature", "FCombine", g, x, 1.0, y, 0.0)!;
        var alongY = (ITuple)woven.Invoke("Quadrature", "FCombine", g, x, 0.0, y, 1.0)!;
        var central = FiniteDifferences.Gradient(p => (double)woven.Invoke("Quadrature", "Combine", g, p[0], p[1])!, new[] { x, y });
        Assert.Multiple(() =>
        {
            Assert.That((double)reverse[0]!, Is.EqualTo(x * x * y * y).Within(1e-14));
            Assert.That((double)reverse[1]!, Is.EqualTo(2 * x * y * y).Within(1e-12));
            Assert.That((double)reverse[2]!, Is.EqualTo(2 * x * x * y).Within(1e-12));
            Assert.That((double)alongX[1]!, Is.EqualTo(2 * x * y * y).Within(1e-12));
            Assert.That((double)alongY[1]!, Is.EqualTo(2 * x * x * y).Within(1e-12));
            FiniteDifferences.AssertClose(central, new[] { 2 * x * y * y, 2 * x * x * y });
        });
    }

    [Test]
    public void DelegateOverAShadowedArray()
    {
        // energy(p) + p₀ with energy(q) = q₀q₁ + q₁²: ∇ = (q₁ + 1, q₀ + 2q₁).
        var p = new[] { 0.7, -0.4 };
        var expected = new[] { p[1] + 1, p[0] + 2 * p[1] };
        var energy = woven.Invoke("Integrands", "Quadratic");
        var dp = new double[2];
        var value = (double)woven.Invoke("Quadrature", "RTotal", energy, p.ToArray(), dp, 1.0)!;
        var u = new[] { 0.3, 1.1 };
        var forward = (ITuple)woven.Invoke("Quadrature", "FTotal", energy, p.ToArray(), u.ToArray())!;
        var central = FiniteDifferences.Gradient(q => (double)woven.Invoke("Quadrature", "Total", energy, q)!, p);
        Assert.Multiple(() =>
        {
            Assert.That(value, Is.EqualTo(p[0] * p[1] + p[1] * p[1] + p[0]).Within(1e-14));
            Assert.That(dp, Is.EqualTo(expected).Within(1e-12));
            Assert.That((double)forward[1]!, Is.EqualTo(expected[0] * u[0] + expected[1] * u[1]).Within(1e-12));
            FiniteDifferences.AssertClose(central, expected);
        });
    }

    [Test]
    public void ActionWritingAnOutputArray()
    {
        // yᵢ = xᵢ², Σ yᵢ → ∂/∂xᵢ = 2xᵢ; reverse consumes y's shadow.
        var x = new[] { 0.5, -1.5, 2.0 };
        var step = woven.Invoke("Integrands", "Squares");
        var dx = new double[3];
        var dy = new double[3];
        var value = (double)woven.Invoke("Quadrature", "RStepped", step, x.ToArray(), dx, new double[3], dy, 1.0)!;
        var u = new[] { 1.0, 0.25, -0.5 };
        var tangent = new double[3];
        var forward = (ITuple)woven.Invoke("Quadrature", "FStepped", step, x.ToArray(), u.ToArray(), new double[3], tangent)!;
        var central = FiniteDifferences.Gradient(p => (double)woven.Invoke("Quadrature", "Stepped", step, p, new double[3])!, x);
        Assert.Multiple(() =>
        {
            Assert.That(value, Is.EqualTo(x.Sum(v => v * v)).Within(1e-14));
            Assert.That(dx, Is.EqualTo(x.Select(v => 2 * v).ToArray()).Within(1e-12));
            Assert.That(dy, Is.EqualTo(new double[3]));
            Assert.That((double)forward[1]!, Is.EqualTo(x.Zip(u, (v, w) => 2 * v * w).Sum()).Within(1e-12));
            Assert.That(tangent, Is.EqualTo(x.Zip(u, (v, w) => 2 * v * w).ToArray()).Within(1e-12));
            FiniteDifferences.AssertClose(central, x.Select(v => 2 * v).ToArray());
        });
    }

    [Test]
    public void DelegateReadFromAStaticField()
    {
        // Shape = Cube: (x³)² → 6x⁵.
        const double x = 1.1;
        var forward = (ITuple)woven.Invoke("Quadrature", "FShaped", x, 1.0)!;
        var reverse = (ITuple)woven.Invoke("Quadrature", "RShaped", x, 1.0)!;
        double Primal(double v) => (double)woven.Invoke("Quadrature", "Shaped", v)!;
        Assert.Multiple(() =>
        {
            Assert.That((double)forward[0]!, Is.EqualTo(Math.Pow(x, 6)).Within(1e-14));
            Assert.That((double)forward[1]!, Is.EqualTo(6 * Math.Pow(x, 5)).Within(1e-12));
            Assert.That((double)reverse[1]!, Is.EqualTo(6 * Math.Pow(x, 5)).Within(1e-12));
            Assert.That(6 * Math.Pow(x, 5), Is.EqualTo((Primal(x + Step) - Primal(x - Step)) / (2 * Step)).Within(1e-6));
        });
    }

    [Test]
    public void DelegateTheWeaverNeverSawThrowsNamingItsMethod()
    {
        var hidden = woven.Invoke("Integrands", "Hidden");
        var error = Assert.Throws<NotSupportedException>(() => woven.Invoke("Quadrature", "FIntegrate", hidden, 0.0, 1.0, 1.0, 0.0, 3))!;
        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Does.Contain("Integrands.NeverConverted").And.Contain("Create the delegate in a woven assembly"));
            Assert.That(woven.Invoke("Quadrature", "Integrate", hidden, 0.0, 1.0, 3), Is.EqualTo(0.5).Within(1e-14));
        });
    }

    [Test]
    public void MulticastDelegateThrows()
    {
        var twice = Delegate.Combine((Delegate)woven.Invoke("Integrands", "Sine")!, (Delegate)woven.Invoke("Integrands", "Cosine")!);
        var error = Assert.Throws<NotSupportedException>(() => woven.Invoke("Quadrature", "FIntegrate", twice, 0.0, 1.0, 1.0, 0.0, 3))!;
        Assert.That(error.Message, Does.Contain("multicast"));
    }

    [Test]
    public void MethodTheWeaverCouldNotDifferentiateThrowsItsDiagnostic()
    {
        var native = woven.Invoke("Integrands", "Native");
        var error = Assert.Throws<NotSupportedException>(() => woven.Invoke("Quadrature", "RIntegrate", native, 0.0, 1.0, 3, 1.0))!;
        Assert.That(error.Message, Does.Contain("could not differentiate Integrands+<>c.<Native>b__").And.Contain("AD3001").And.Contain("Roots.Unruled"));
    }

    [Test]
    public void DelegatesCreatedInADifferentiatedMethodAndPassedToACallee()
    {
        // Midpoint sums of 3t² over [0, x] and of exp over [x, 1].
        const double x = 0.6;
        var expected = MidpointPartials(t => 3 * t * t, t => 6 * t, 0, x, 4).Db + MidpointPartials(Math.Exp, Math.Exp, x, 1, 3).Da;
        var forward = (ITuple)woven.Invoke("Quadrature", "FTwoIntegrals", x, 1.0)!;
        var reverse = (ITuple)woven.Invoke("Quadrature", "RTwoIntegrals", x, 1.0)!;
        double Primal(double v) => (double)woven.Invoke("Quadrature", "TwoIntegrals", v)!;
        Assert.Multiple(() =>
        {
            Assert.That(reverse[0], Is.EqualTo(Primal(x)));
            Assert.That((double)forward[1]!, Is.EqualTo(expected).Within(1e-12));
            Assert.That((double)reverse[1]!, Is.EqualTo(expected).Within(1e-12));
            Assert.That(expected, Is.EqualTo((Primal(x + Step) - Primal(x - Step)) / (2 * Step)).Within(1e-6));
        });
    }

    [Test]
    public void ClosureOverAnActiveValuePassedToARecursiveHelperIsAD3022()
    {
        using var escaping = WovenAssembly.Compile(ConstDelegateSource.EscapingClosure);
        var error = escaping.Diagnostics.First(d => d.Severity == DiagnosticSeverity.Error);
        Assert.Multiple(() =>
        {
            Assert.That(error.Code, Is.EqualTo(DiagnosticCode.DelegateCapturesActiveValues));
            Assert.That(error.Message, Does.Contain("System.Func`2<System.Double,System.Double>").And.Contain("passed to Quadrature.Integrate, which is not inlined: it is recursive")
                .And.Contain("a loop or an explicit stack instead of recursion"));
            Assert.That(error.Location?.Line, Is.EqualTo(17));
        });
    }

    /// <summary>∂/∂a and ∂/∂b of h·Σ f(xᵢ), xᵢ = a + (i + ½)h, h = (b − a)/n.</summary>
    internal static (double Da, double Db) MidpointPartials(Func<double, double> f, Func<double, double> df, double a, double b, int n)
    {
        var h = (b - a) / n;
        double da = 0, db = 0;
        for (var i = 0; i < n; i++)
        {
            var x = a + (i + 0.5) * h;
            var weight = (i + 0.5) / n;
            da += -f(x) / n + h * df(x) * (1 - weight);
            db += f(x) / n + h * df(x) * weight;
        }
        return (da, db);
    }
}
