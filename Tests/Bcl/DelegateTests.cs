using System;
using System.Linq;
using System.Runtime.CompilerServices;
using Autodiff.Tests.EndToEnd;
using Autodiff.Tests.Memory;
using Autodiff.Weaver.Diagnostics;
using NUnit.Framework;

namespace Autodiff.Tests.Bcl;

/// <summary>
/// Func/Action delegates created inside differentiated code — lambdas, method groups, closures capturing active
/// values — differentiated through their targets in both modes, against closed forms, central differences
/// and each other; a Const delegate whose type has a by-reference parameter is AD3021 (other Const delegates: ConstDelegateTests).
/// </summary>
public sealed class DelegateTests
{
    private const double Step = 1e-6;
    private static WovenAssembly woven = null!;

    [OneTimeSetUp]
    public void Weave() => woven = WovenAssembly.Compile(DelegateSource.Text);

    [OneTimeTearDown]
    public void Unload() => woven.Dispose();

    [Test]
    public void WeavesDecompilesAndJitCompiles()
    {
        Assert.That(woven.Result.Succeeded, Is.True, woven.ErrorText);
        Assert.That(woven.DecompiledCSharp, Does.Contain("RClosure(double x, double y, double seed)"));
    }

    [TestCase("Lambda", 0.7)]
    [TestCase("MethodGroup", -0.4)]
    [TestCase("Accumulated", 1.3)]
    public void OneArgument(string name, double x)
    {
        var derivative = name switch
        {
            "Lambda" => 2 * (2 * x + Math.Cos(x)),
            "MethodGroup" => Math.Exp(x) + 2 * Math.Exp(2 * x),
            _ => 20 * x,
        };
        var forward = (ITuple)woven.Invoke("Delegates", "F" + name, x, 1.0)!;
        var reverse = (ITuple)woven.Invoke("Delegates", "R" + name, x, 1.0)!;
        double Primal(double v) => (double)woven.Invoke("Delegates", name, v)!;
        Assert.Multiple(() =>
        {
            Assert.That(forward[0], Is.EqualTo(Primal(x)));
            Assert.That(reverse[0], Is.EqualTo(Primal(x)));
            Assert.That((double)forward[1]!, Is.EqualTo(derivative).Within(1e-12));
            Assert.That((double)reverse[1]!, Is.EqualTo(derivative).Within(1e-12));
            Assert.That(derivative, Is.EqualTo((Primal(x + Step) - Primal(x - Step)) / (2 * Step)).Within(1e-6));
        });
    }

    [Test]
    public void ClosureCapturingActiveParameters()
    {
        // x·y + exp(x²) + y² + exp(x·y).
        const double x = 0.6, y = -0.9;
        var dx = y + 2 * x * Math.Exp(x * x) + y * Math.Exp(x * y);
        var dy = x + 2 * y + x * Math.Exp(x * y);
        var reverse = (ITuple)woven.Invoke("Delegates", "RClosure", x, y, 1.0)!;
        var alongX = (ITuple)woven.Invoke("Delegates", "FClosure", x, 1.0, y, 0.0)!;
        var alongY = (ITuple)woven.Invoke("Delegates", "FClosure", x, 0.0, y, 1.0)!;
        var central = FiniteDifferences.Gradient(p => (double)woven.Invoke("Delegates", "Closure", p[0], p[1])!, new[] { x, y });
        Assert.Multiple(() =>
        {
            Assert.That(reverse[0], Is.EqualTo(x * y + Math.Exp(x * x) + y * y + Math.Exp(x * y)).Within(1e-14));
            Assert.That((double)reverse[1]!, Is.EqualTo(dx).Within(1e-12));
            Assert.That((double)reverse[2]!, Is.EqualTo(dy).Within(1e-12));
            Assert.That((double)alongX[1]!, Is.EqualTo(dx).Within(1e-12));
            Assert.That((double)alongY[1]!, Is.EqualTo(dy).Within(1e-12));
            FiniteDifferences.AssertClose(central, new[] { dx, dy });
        });
    }

    [Test]
    public void ClosureInvokedInALoopOverAShadowedArray()
    {
        // Σ sin(k·aᵢ) → ∂/∂aᵢ = k·cos(k·aᵢ), ∂/∂k = Σ aᵢ·cos(k·aᵢ).
        var a = new[] { 0.3, -1.1, 0.8 };
        const double k = 1.4;
        var da = new double[a.Length];
        var reverse = (ITuple)woven.Invoke("Delegates", "RMapped", a.ToArray(), da, k, 1.0)!;
        var expectedDa = a.Select(v => k * Math.Cos(k * v)).ToArray();
        var expectedDk = a.Sum(v => v * Math.Cos(k * v));
        var u = new[] { 1.0, 0.5, -2.0 };
        const double dk = 0.25;
        var forward = (ITuple)woven.Invoke("Delegates", "FMapped", a.ToArray(), u.ToArray(), k, dk)!;
        var central = FiniteDifferences.Directional(
            p => new[] { (double)woven.Invoke("Delegates", "Mapped", p.Take(3).ToArray(), p[3])! }, a.Append(k).ToArray(), u.Append(dk).ToArray())[0];
        Assert.Multiple(() =>
        {
            Assert.That(reverse[0], Is.EqualTo(a.Sum(v => Math.Sin(k * v))).Within(1e-14));
            Assert.That(da, Is.EqualTo(expectedDa).Within(1e-12));
            Assert.That((double)reverse[1]!, Is.EqualTo(expectedDk).Within(1e-12));
            Assert.That((double)forward[1]!, Is.EqualTo(expectedDa.Zip(u, (p, q) => p * q).Sum() + expectedDk * dk).Within(1e-12));
            Assert.That((double)forward[1]!, Is.EqualTo(central).Within(1e-6));
        });
    }

    [Test]
    public void TwoArgumentLambdaCallingAHelper()
    {
        // x³·y with y Const → 3x²·y.
        const double x = 1.2, y = -0.5;
        var forward = (ITuple)woven.Invoke("Delegates", "FTwoArguments", x, 1.0, y)!;
        var reverse = (ITuple)woven.Invoke("Delegates", "RTwoArguments", x, y, 1.0)!;
        double Primal(double v) => (double)woven.Invoke("Delegates", "TwoArguments", v, y)!;
        Assert.Multiple(() =>
        {
            Assert.That((double)forward[1]!, Is.EqualTo(3 * x * x * y).Within(1e-12));
            Assert.That((double)reverse[1]!, Is.EqualTo(3 * x * x * y).Within(1e-12));
            Assert.That(3 * x * x * y, Is.EqualTo((Primal(x + Step) - Primal(x - Step)) / (2 * Step)).Within(1e-6));
        });
    }

    [Test]
    public void ConstDelegateWithARefParameterIsAD3021AtTheInvocation()
    {
        using var unknown = WovenAssembly.Compile(DelegateSource.UnknownTarget);
        var error = unknown.Diagnostics.Single(d => d.Severity == DiagnosticSeverity.Error);
        Assert.Multiple(() =>
        {
            Assert.That(error.Code, Is.EqualTo(DiagnosticCode.UnknownDelegateTarget));
            Assert.That(error.Message, Does.Contain("Update.Invoke"));
            Assert.That(error.Message, Does.Contain("[ReverseRule]"));
            Assert.That(error.Location, Is.Not.Null);
        });
    }
}
