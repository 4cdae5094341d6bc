using System;
using System.Runtime.CompilerServices;
using Autodiff.Tests.EndToEnd;
using NUnit.Framework;

namespace Autodiff.Tests.Calls;

/// <summary>Methods of generic types at each instantiation and devirtualized calls, woven end to end in both modes.</summary>
public sealed class CalleeShapeTests
{
    private static WovenAssembly woven = null!;

    [OneTimeSetUp]
    public void Weave() => woven = WovenAssembly.Compile(CalleeShapeSource.Text);

    [OneTimeTearDown]
    public void Unload() => woven.Dispose();

    [Test]
    public void WeavesWithoutErrors() => Assert.That(woven.Result.Succeeded, Is.True, woven.ErrorText);

    [TestCase(0.6)]
    [TestCase(-1.4)]
    public void StaticMethodsOfAGenericTypeAtEachInstantiation(double x)
    {
        // s(x) = sin x·2x + x²/2, f = 2s(x) + s(x) at float: f' = 3(cos x·2x + 2 sin x + x) up to float rounding.
        var derivative = 3 * (Math.Cos(x) * 2 * x + 2 * Math.Sin(x) + x);
        // Float rounding: the modes agree to float precision, and central differences need a wider step.
        AssertBothModes("GenericType", x, derivative, 1e-6, 1e-3, 2e-3);
    }

    [TestCase(0.6)]
    [TestCase(-1.4)]
    public void InstanceMethodOfAGenericType(double x) => AssertBothModes("GenericInstance", x, 3 * x, 1e-12, 1e-6, 1e-6);

    [TestCase(0.6)]
    [TestCase(-1.4)]
    public void VirtualAndInterfaceCallsOnReceiversOfKnownType(double x)
    {
        // 3x² + exp(−x²/2) + x³: 6x − x·exp(−x²/2) + 3x².
        var derivative = 6 * x - x * Math.Exp(-0.5 * x * x) + 3 * x * x;
        AssertBothModes("Devirtualized", x, derivative, 1e-12, 1e-6, 1e-6);
    }

    private static void AssertBothModes(string primal, double x, double derivative, double tolerance, double step, double centralTolerance)
    {
        var forward = (ITuple)woven.Invoke("Shapes", "F" + primal, x, 1.0)!;
        var reverse = (ITuple)woven.Invoke("Shapes", "R" + primal, x, 1.0)!;
        var central = ((double)woven.Invoke("Shapes", primal, x + step)! - (double)woven.Invoke("Shapes", primal, x - step)!) / (2 * step);
        Assert.Multiple(() =>
        {
            Assert.That(forward[0], Is.EqualTo(woven.Invoke("Shapes", primal, x)));
            Assert.That(reverse[0], Is.EqualTo(woven.Invoke("Shapes", primal, x)));
            Assert.That((double)forward[1]!, Is.EqualTo(derivative).Within(tolerance));
            Assert.That((double)reverse[1]!, Is.EqualTo((double)forward[1]!).Within(tolerance));
            Assert.That((double)reverse[1]!, Is.EqualTo(central).Within(centralTolerance));
        });
    }
}
