using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Ir.Construction;
using NUnit.Framework;

namespace Autodiff.Tests.Ir;

/// <summary>Braun et al.'s construction on a hand-built loop: entry → header ⇄ body, header → exit.</summary>
public sealed class SsaConstructionTests
{
    private IrMethod method = null!;
    private Block entry = null!, header = null!, body = null!, exit = null!;
    private Dictionary<Block, IReadOnlyList<Block>> predecessors = null!;

    [SetUp]
    public void BuildLoop()
    {
        method = IrFixture.NewMethod();
        entry = method.AddBlock(null);
        header = method.AddBlock(null);
        body = method.AddBlock(null);
        exit = method.AddBlock(null);
        predecessors = new Dictionary<Block, IReadOnlyList<Block>>
        {
            [entry] = new Block[0],
            [header] = new[] { entry, body },
            [body] = new[] { header },
            [exit] = new[] { header },
        };
    }

    private SsaConstruction<string> NewConstruction() =>
        new(method, b => predecessors[b], _ => method.Types.Double, _ => method.Float64(0), v => v);

    [Test]
    public void VariableRedefinedInTheLoopGetsAPhiAtTheHeader()
    {
        var ssa = NewConstruction();
        var b = new IrBuilder(method);
        var x = method.AddParameter(method.Types.Double, "x");
        ssa.SealBlock(entry);
        ssa.WriteVariable("s", entry, x);
        b.AtEnd(entry).Branch(header);

        var atHeader = ssa.ReadVariable("s", header);   // header is not sealed: incomplete phi
        b.AtEnd(header).BranchIf(method.Int32(1), body, exit);
        ssa.SealBlock(body);
        var next = b.AtEnd(body).Add(ssa.ReadVariable("s", body), method.Float64(1));
        ssa.WriteVariable("s", body, next);
        b.Branch(header);
        ssa.SealBlock(header);
        ssa.SealBlock(exit);
        b.AtEnd(exit).Return(ssa.ReadVariable("s", exit));

        var phi = (Instruction)atHeader;
        Assert.That(phi.Opcode, Is.EqualTo(Opcode.Phi));
        Assert.That(phi.Name, Is.EqualTo("s"));
        Assert.That(phi.Targets, Is.EqualTo(new[] { entry, body }));
        Assert.That(phi.Operands, Is.EqualTo(new Value[] { x, next }));
        Assert.That(next.Operands[0], Is.SameAs(phi));
        Assert.That(exit.Terminator!.Operands[0], Is.SameAs(phi));
        Assert.That(IrVerifier.Verify(method), Is.Empty);
    }

    [Test]
    public void VariableNotRedefinedInTheLoopNeedsNoPhi()
    {
        var ssa = NewConstruction();
        var b = new IrBuilder(method);
        var x = method.AddParameter(method.Types.Double, "x");
        ssa.SealBlock(entry);
        ssa.WriteVariable("s", entry, x);
        b.AtEnd(entry).Branch(header);
        var atHeader = ssa.ReadVariable("s", header);
        var use = b.AtEnd(header).Mul(atHeader, atHeader);
        b.BranchIf(method.Int32(1), body, exit);
        ssa.SealBlock(body);
        b.AtEnd(body).Branch(header);
        ssa.SealBlock(header);
        ssa.SealBlock(exit);
        b.AtEnd(exit).Return(ssa.ReadVariable("s", exit));

        Assert.That(method.Blocks.SelectMany(bl => bl.Instructions).Any(i => i.Opcode == Opcode.Phi), Is.False);
        Assert.That(use.Operands, Is.EqualTo(new Value[] { x, x }));
        Assert.That(ssa.Resolve(atHeader), Is.SameAs(x));
        Assert.That(exit.Terminator!.Operands[0], Is.SameAs(x));
    }

    [Test]
    public void ReadWithoutDefinitionIsUndefined()
    {
        var ssa = NewConstruction();
        ssa.SealBlock(entry);
        Assert.That(ssa.ReadVariable("never", entry), Is.SameAs(method.Float64(0)));
    }
}
