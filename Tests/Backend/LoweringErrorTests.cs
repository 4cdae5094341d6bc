using Autodiff.Weaver.Backend;
using Autodiff.Weaver.Diagnostics;
using Autodiff.Weaver.Ir;
using NUnit.Framework;

namespace Autodiff.Tests.Backend;

/// <summary>IR the backend cannot lower is reported as a diagnostic, and the target method keeps its body.</summary>
public sealed class LoweringErrorTests
{
    [Test]
    public void MalformedIrIsReportedAndLeavesTheTargetUnchanged()
    {
        var harness = new LoweringHarness();
        var t = harness.Types;
        var (ir, method, b) = harness.Method("Broken", t.Int32, (t.Int32, "n"));
        b.Add(ir.Parameters[0], ir.Int32(1));
        var original = method.Body;

        var error = Assert.Throws<WeaverException>(() => MethodLowerer.Lower(ir, method))!;
        Assert.That(error.Code, Is.EqualTo(DiagnosticCode.MalformedIrForLowering));
        Assert.That(method.Body, Is.SameAs(original));
        Assert.That(method.Body.Instructions, Is.Empty);
    }

    [Test]
    public void UnanticipatedFailureIsReportedAsADiagnostic()
    {
        // A try region whose entry was never set: the backend does not check for this and trips over it.
        var harness = new LoweringHarness();
        var t = harness.Types;
        var (ir, method, b) = harness.Method("NoEntry", t.Int32, (t.Int32, "n"));
        var region = ir.AddRegion(RegionKind.Try, null);
        var inside = ir.AddBlock(region);
        var exit = ir.AddBlock(null);
        b.Branch(inside);
        b.AtEnd(inside).Leave(exit);
        b.AtEnd(exit).Return(ir.Parameters[0]);
        var original = method.Body;

        var error = Assert.Throws<WeaverException>(() => MethodLowerer.Lower(ir, method))!;
        Assert.That(error.Code, Is.EqualTo(DiagnosticCode.LoweringFailed));
        Assert.That(error.Message, Does.Contain("NoEntry"));
        Assert.That(method.Body, Is.SameAs(original));
    }
}
