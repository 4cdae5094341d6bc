using System;
using System.Linq;
using Autodiff.Tests.EndToEnd;
using Autodiff.Weaver.Diagnostics;
using NUnit.Framework;

namespace Autodiff.Tests.HigherOrder;

/// <summary>A differentiated call of a derivative that cannot serve is an error at the call, all reported in one build.</summary>
public sealed class HigherOrderErrorTests
{
    private static WovenAssembly woven = null!;

    [OneTimeSetUp]
    public void Weave() => woven = WovenAssembly.Compile(HigherOrderErrorSource.Text);

    [OneTimeTearDown]
    public void Unload() => woven.Dispose();

    [Test]
    public void EveryErrorIsReportedTogether() =>
        Assert.That(woven.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Code), Is.EquivalentTo(new[]
        {
            DiagnosticCode.DerivativeCycle, DiagnosticCode.InnerDerivativeFailed, DiagnosticCode.DerivativeCycle,
            DiagnosticCode.MissingBody, DiagnosticCode.InnerDerivativeFailed,
            DiagnosticCode.ConstDerivativeOutput,
        }), woven.ErrorText);

    [Test]
    public void TwoDerivativesNeedingEachOtherAreACycle()
    {
        // B is built first (A needs DB); B's call of DA meets the cycle, and A then meets B's failure.
        AssertError(DiagnosticCode.DerivativeCycle, "DA(x, 1.0) + x",
            "cannot differentiate call to Cycles.DA: it is the derivative of Cycles.A, which calls the derivative being built here (Cycles.A → Cycles.DB), so each would have to exist before the other");
        AssertError(DiagnosticCode.InnerDerivativeFailed, "DB(x, 1.0) * x", "cannot differentiate call to Cycles.DB: its own synthesis (the derivative of Cycles.B) failed");
    }

    [Test]
    public void ADerivativeNeededToBuildItselfIsACycle() =>
        AssertError(DiagnosticCode.DerivativeCycle, "x * DSelf(x, 1.0)", "cannot differentiate call to Cycles.DSelf: it is the derivative of Cycles.Self, which calls the derivative being built here");

    [Test]
    public void InnerFailureIsReportedOnceAndNamedAtTheOuterCall()
    {
        AssertError(DiagnosticCode.MissingBody, "Cbrt(x) * 2", "cannot differentiate call to Unservable.Cbrt");
        AssertError(DiagnosticCode.InnerDerivativeFailed, "DBroken(x, 1.0)", "cannot differentiate call to Unservable.DBroken: its own synthesis (the derivative of Unservable.Broken) failed");
    }

    // The workaround, the gradient array Dual, is ThirdOrderArrayTests.ForwardOverHessianVectorIsTheThirdDerivativeTensor.
    [Test]
    public void ThirdLevelPassingTheGradientArrayConstNamesTheParameterAndTheFix() =>
        AssertError(DiagnosticCode.ConstDerivativeOutput, "// the gradient store",
            "cannot differentiate Unservable::<GradientOfArrayProduct>__fwd_dual_dual_const again: it writes derivative-carrying values into its parameter 'gradient', but Unservable.ConstGradient passes that array without a shadow (Const); make the parameter it passes there Duplicated (reverse) or Dual (forward)");

    [Test]
    public void ConstantCallOfADerivativeNeedsNothing() =>
        Assert.That(woven.Diagnostics.Select(d => d.Location?.Line), Has.None.EqualTo(LineOf("x * DLoop(0.5, 1.0)")));

    private static void AssertError(DiagnosticCode code, string sourceText, string messageStart)
    {
        var error = woven.Diagnostics.Single(d => d.Code == code && d.Location?.Line == LineOf(sourceText));
        Assert.That(error.Message, Does.StartWith(messageStart));
    }

    private static int LineOf(string sourceText) =>
        HigherOrderErrorSource.Text.Split('\n').ToList().FindIndex(l => l.Contains(sourceText, StringComparison.Ordinal)) + 1;
}
