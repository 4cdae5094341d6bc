using System.Linq;
using Autodiff.Weaver.Ir;
using Mono.Cecil.Cil;
using NUnit.Framework;

namespace Autodiff.Tests.Backend;

public sealed class DebugInformationLoweringTests
{
    private static SequencePoint Line(Document document, int line) =>
        new(Mono.Cecil.Cil.Instruction.Create(OpCodes.Nop), document) { StartLine = line, StartColumn = 9, EndLine = line, EndColumn = 20 };

    [Test]
    public void SequencePointsFollowSourceLinesAndLocalsKeepTheirNames()
    {
        // line 10: acc = 0; line 11: while (acc < n) line 12: acc += 3; line 13: return acc;
        var harness = new LoweringHarness();
        var t = harness.Types;
        var document = new Document("/src/Loop.cs");
        var (ir, method, b) = harness.Method("Loop", t.Int32, (t.Int32, "n"));
        var header = ir.AddBlock(null);
        var body = ir.AddBlock(null);
        var exit = ir.AddBlock(null);
        b.DebugLocation = Line(document, 10);
        b.Branch(header);
        var acc = b.Phi(header, t.Int32);
        acc.Name = "acc";
        b.DebugLocation = Line(document, 11);
        b.AtEnd(header).BranchIf(b.Compare(ComparePredicate.Less, acc, ir.Parameters[0]), body, exit);
        b.DebugLocation = Line(document, 12);
        var next = b.AtEnd(body).Add(acc, ir.Int32(3));
        b.Branch(header);
        acc.AddPhiIncoming(ir.Entry, ir.Int32(0));
        acc.AddPhiIncoming(body, next);
        b.DebugLocation = Line(document, 13);
        b.AtEnd(exit).Return(acc);

        using var loaded = harness.Load();
        Assert.That(loaded.Invoke(LoweringHarness.TypeName, "Loop", 10), Is.EqualTo(12));
        var points = method.DebugInformation.SequencePoints;
        Assert.That(points.Select(p => p.StartLine).Distinct().OrderBy(l => l), Is.EqualTo(new[] { 10, 11, 12, 13 }));
        Assert.That(points.Select(p => p.Offset), Is.Ordered.Ascending);
        Assert.That(points.All(p => p.Document.Url == "/src/Loop.cs"));
        var names = method.DebugInformation.Scope.Variables.Select(v => v.Name);
        Assert.That(names, Is.EqualTo(new[] { "acc" }));
    }
}
