using System;
using System.Runtime.CompilerServices;
using Autodiff.Tests.EndToEnd;
using Autodiff.Weaver.Diagnostics;
using Autodiff.Weaver.Pipeline;
using NUnit.Framework;

namespace Autodiff.Tests.Calls;

/// <summary>[ForwardRule]/[ReverseRule] override body differentiation and the rule table wherever their target is called.</summary>
public sealed class CustomRuleTests
{
    private static WovenAssembly woven = null!;

    [OneTimeSetUp]
    public void Weave() => woven = WovenAssembly.Compile(CustomRuleSource.Text);

    [OneTimeTearDown]
    public void Unload() => woven.Dispose();

    [Test]
    public void WeavesWithoutErrors() => Assert.That(woven.Result.Succeeded, Is.True, woven.ErrorText);

    [TestCase(0.25f)]
    [TestCase(4.0f)]
    [TestCase(10.0f)]
    public void FastInverseSquareRootThroughItsRulesInBothModes(float x)
    {
        // √x → 1/(2√x), within the estimate's relative error (≈ 0.2 % after one Newton step, squared by y³).
        var expected = 1 / (2 * MathF.Sqrt(x));
        var forward = (ITuple)woven.Invoke("UsesRules", "FRoot", x, 1.0f)!;
        var reverse = (ITuple)woven.Invoke("UsesRules", "RRoot", x, 1.0f)!;
        Assert.Multiple(() =>
        {
            Assert.That(forward[0], Is.EqualTo(woven.Invoke("UsesRules", "Root", x)));
            Assert.That((float)forward[1]!, Is.EqualTo(expected).Within(1).Percent);
            Assert.That((float)reverse[1]!, Is.EqualTo((float)forward[1]!));
        });
    }

    [Test]
    public void RuleOverridesTheTableForABclMethodInBothModes()
    {
        // Helper(x) = 3·exp(x) with the rule's "derivative" of exp being 2: 6, not 3·exp(x).
        var forward = (ITuple)woven.Invoke("UsesRules", "FOverride", 0.7, 1.0)!;
        var reverse = (ITuple)woven.Invoke("UsesRules", "ROverride", 0.7, 1.0)!;
        Assert.Multiple(() =>
        {
            Assert.That(forward[0], Is.EqualTo(3 * Math.Exp(0.7)));
            Assert.That(forward[1], Is.EqualTo(6.0));
            Assert.That(reverse[1], Is.EqualTo(6.0));
        });
    }

    [Test]
    public void InliningKeepsTheCallsRulesApplyTo()
    {
        // Inlining Fast.InvSqrt into Root would leave its integer bit tricks instead of the rule.
        using var inlined = WovenAssembly.Compile(CustomRuleSource.Text, new WeaverOptions { VerifyIr = true, Flags = WeaverFlags.Inline });
        var forward = (ITuple)inlined.Invoke("UsesRules", "FRoot", 4.0f, 1.0f)!;
        Assert.That((float)forward[1]!, Is.EqualTo(0.25f).Within(1).Percent);
    }

    [Test]
    public void WithoutItsRulesTheFastInverseSquareRootIsAnError()
    {
        using var withoutRules = WovenAssembly.Compile(CustomRuleSource.Text.Replace("[ForwardRule(typeof(Fast)", "[Obsolete").Replace("[ReverseRule(typeof(Fast)", "[Obsolete").Replace(", nameof(Fast.InvSqrt))]", "]"));
        Assert.That(withoutRules.Result.Succeeded, Is.False);
        Assert.That(withoutRules.ErrorText, Does.Contain("cannot differentiate call to System.BitConverter.SingleToInt32Bits"));
    }

    [Test]
    public void ARuleWhoseSignatureFitsNoOverloadPrintsTheExpectedOne()
    {
        using var wrong = WovenAssembly.Compile(CustomRuleSource.Text.Replace("public static (float, float) InvSqrtTangent(float x, float dx)", "public static float InvSqrtTangent(float x, float dx)").Replace("return (y, -0.5f * y * y * y * dx);", "return -0.5f * y * y * y * dx;"));
        Assert.Multiple(() =>
        {
            Assert.That(wrong.Result.Succeeded, Is.False);
            Assert.That(wrong.ErrorText, Does.Contain("AD3005"));
            Assert.That(wrong.ErrorText, Does.Contain("expected public static (float, float) InvSqrtTangent(float x, float dx)"));
        });
    }
}
