using System.Linq;
using Autodiff.Tests.EndToEnd;
using Autodiff.Weaver.Diagnostics;
using NUnit.Framework;

namespace Autodiff.Tests.Calls;

/// <summary>Calls that cannot be differentiated are errors at the call's source line, all reported in one build.</summary>
public sealed class CallErrorTests
{
    private static WovenAssembly woven = null!;

    [OneTimeSetUp]
    public void Weave() => woven = WovenAssembly.Compile(CallErrorSource.Text);

    [OneTimeTearDown]
    public void Unload() => woven.Dispose();

    [Test]
    public void EveryErrorIsReportedTogether() =>
        Assert.That(woven.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Code),
            Is.EquivalentTo(new[]
            {
                DiagnosticCode.MissingBody, DiagnosticCode.UnknownCallTarget, DiagnosticCode.CalleeWritesMemory, DiagnosticCode.UnsupportedCall,
                DiagnosticCode.SplitCalleeAllocates, DiagnosticCode.LocalPassedByReference, DiagnosticCode.ReturnedArrayWithoutShadow,
                DiagnosticCode.ReturnedObjectWithShadow,
            }));

    [Test]
    public void CalleeWithoutBodyOrRule() =>
        AssertError(DiagnosticCode.MissingBody, "Cbrt(x) * 2", "cannot differentiate call to Broken.Cbrt: no IL body and no rule; add [ReverseRule]/[ForwardRule] or mark it [Inactive]");

    [Test]
    public void VirtualCallWithUnknownTarget() =>
        AssertError(DiagnosticCode.UnknownCallTarget, "s.Area(x)", "cannot differentiate call to Shape.Area: it is virtual and its target is chosen at run time");

    [Test]
    public void CheckpointedCalleeThatWritesMemory() =>
        AssertError(DiagnosticCode.CalleeWritesMemory, "Accumulate(x) + 1", "cannot differentiate call to Broken.Accumulate: Broken.Accumulate writes memory (stsfld); [Checkpoint] recomputes the callee");

    [Test]
    public void MethodOfAGenericType() =>
        AssertError(DiagnosticCode.UnsupportedCall, "Box.Scaled(x, 3)", "cannot differentiate call to Box.Scaled<Int32>: exception handlers in generic callees are not supported yet");

    [Test]
    public void SplitCalleeAllocatingAnActiveArray() =>
        AssertError(DiagnosticCode.SplitCalleeAllocates, "Buffered(x) * 2", "cannot differentiate call to Broken.Buffered in reverse mode: it stackallocs memory that carries derivatives");

    [Test]
    public void CalleeReturningAnArrayWithoutShadow() =>
        AssertError(DiagnosticCode.ReturnedArrayWithoutShadow, "a > 0 ? t : new[] { a }", "cannot differentiate Broken::Either through its returned array: the array it returns here has no shadow");

    [Test]
    public void SplitCalleeReturningAnObjectCarryingDerivatives() =>
        AssertError(DiagnosticCode.ReturnedObjectWithShadow, "return h;", "cannot differentiate Broken::Make in reverse mode: it returns an object or reference that carries derivatives");

    [Test]
    public void LocalPassedByReference() =>
        AssertError(DiagnosticCode.LocalPassedByReference, "Fill(ref p, x * y, 2);", "cannot differentiate call to Broken.Fill: it receives struct local");

    private static void AssertError(DiagnosticCode code, string sourceText, string messageStart)
    {
        var line = CallErrorSource.Text.Split('\n').ToList().FindIndex(l => l.Contains(sourceText)) + 1;
        // One error of that code at the call's line.
        var error = woven.Diagnostics.Single(d => d.Code == code && d.Location?.Line == line);
        Assert.That(error.Message, Does.StartWith(messageStart));
    }
}
