using Autodiff.Weaver.Diagnostics;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Loading;
using Mono.Cecil.Cil;
using NUnit.Framework;

namespace Autodiff.Tests.Differentiation;

/// <summary>Operations without a rule on active values are errors at the operation's source line, never wrong output.</summary>
public sealed class UnsupportedOperationTests
{
    private static readonly SequencePoint Line12 = new(Mono.Cecil.Cil.Instruction.Create(OpCodes.Nop), new Document("/src/Model.cs")) { StartLine = 12, StartColumn = 9, EndLine = 12, EndColumn = 30 };

    [Test]
    public void ActiveCallWithoutBodyOrRuleIsReportedAtItsLine()
    {
        var primal = Primals.Binary(Primals.Types.Double, (b, x, y) =>
        {
            b.DebugLocation = Line12;
            return Primals.Call(b, "Demo.Model", "Custom", x, y);
        });
        var error = Assert.Throws<WeaverException>(() => Derive.Synthesize(primal, TestRequests.Reverse(primal, ActivityKind.Active, ActivityKind.Active, ActivityKind.Active)))!;
        Assert.That(error.Code, Is.EqualTo(DiagnosticCode.MissingBody));
        Assert.That(error.Message, Is.EqualTo("cannot differentiate call to Demo.Model.Custom: no IL body and no rule; add [ReverseRule]/[ForwardRule] or mark it [Inactive]"));
        Assert.That(error.Location, Is.SameAs(Line12));
    }

    [Test]
    public void ActiveCallWithoutBodyOrRuleNamesTheCallee()
    {
        var primal = Primals.Unary(Primals.Types.Double, (b, x) => Primals.Call(b, "Demo.Model", "Custom", x));
        var error = Assert.Throws<WeaverException>(() => Derive.Synthesize(primal, TestRequests.Forward(primal, ActivityKind.Dual, ActivityKind.Dual)))!;
        Assert.That(error.Code, Is.EqualTo(DiagnosticCode.MissingBody));
        Assert.That(error.Message, Does.StartWith("cannot differentiate call to Demo.Model.Custom: no IL body"));
    }

    [Test]
    public void InactiveOperationWithoutRuleIsFine()
    {
        // y is Const, so y % 2 is never varied and needs no rule.
        var primal = Primals.Binary(Primals.Types.Double, (b, x, y) => b.Mul(x, b.Binary(Opcode.Rem, y, b.Method.Float64(2))));
        var request = TestRequests.Reverse(primal, ActivityKind.Active, ActivityKind.Const, ActivityKind.Active);
        Assert.That(Derive.Run(primal, request, 4.0, 5.0, 1.0), Is.EqualTo(new[] { 4.0, 1.0 }));
    }

    [Test]
    public void VariedButUselessOperationWithoutRuleIsFine()
    {
        // x % 2 depends on x but does not reach the result.
        var primal = Primals.Binary(Primals.Types.Double, (b, x, y) =>
        {
            b.Binary(Opcode.Rem, x, b.Method.Float64(2));
            return b.Mul(x, y);
        });
        var request = TestRequests.Reverse(primal, ActivityKind.Active, ActivityKind.Active, ActivityKind.Active);
        Assert.That(Derive.Run(primal, request, 4.0, 5.0, 1.0), Is.EqualTo(new[] { 20.0, 5.0, 4.0 }));
    }

    [Test]
    public void ZeroDerivativeOperationEndsActivity()
    {
        var primal = Primals.Unary(Primals.Types.Double, (b, x) => b.Mul(x, Primals.Call(b, "System.Math", "Floor", x)));
        var request = TestRequests.Reverse(primal, ActivityKind.Active, ActivityKind.Active);
        Assert.That(Derive.Run(primal, request, 2.5, 1.0), Is.EqualTo(new[] { 5.0, 2.0 }));
    }

    [Test]
    public void ActiveValueStoredToALocalSlotIsDifferentiated()
    {
        // A double local whose address is taken is a memory cell with a shadow local: f = 3x through it.
        var primal = Primals.Unary(Primals.Types.Double, (b, x) =>
        {
            var slot = b.StackSlot(Primals.Types.Double, "t");
            b.Store(slot, x, Primals.Types.Double);
            return b.Mul(b.Load(slot, Primals.Types.Double), b.Method.Float64(3.0));
        });
        Assert.That(Derive.Run(primal, TestRequests.Reverse(primal, ActivityKind.Active, ActivityKind.Active), 2.0, 1.0), Is.EqualTo(new[] { 6.0, 3.0 }));
    }
}
