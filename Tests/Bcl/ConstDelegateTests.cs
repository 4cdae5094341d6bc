using System;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using Autodiff.Tests.EndToEnd;
using Autodiff.Tests.Memory;
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
        Assert.That(woven.DecompiledCSharp, Does.Contain("DelegateDerivatives.MethodOf(function)"));
    }

    // The integrand, its derivative, and the Integrands factory that creates the delegate.
    [TestCase("MethodGroup", new double[0])]
    [TestCase("Sine", new double[0])]
    [TestCase("Scaled", new[] { 1.5 })]
    [TestCase("SpringEnergy", new[] { 2.0 })]
    public void IntegralOfAConstDelegate(string factory, double[] arguments)
    {
        Func<double, double> f, df;
        (f, df) = factory switch
        {
            "MethodGroup" => ((Func<double, double>)(t => t * t * t), (Func<double, double>)(t => 3 * t * t)),
            "Sine" => (Math.Sin, Math.Cos),
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

    /// <summary>∂/∂a and ∂/∂b of h·Σ f(xᵢ), xᵢ = a + (i + ½)h, h = (b − a)/n.</summary>
    private static (double Da, double Db) MidpointPartials(Func<double, double> f, Func<double, double> df, double a, double b, int n)
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
