using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Ir.Construction;
using NUnit.Framework;

namespace Autodiff.Tests.Ir;

public sealed class DominatorTreeTests
{
    [Test]
    public void DiamondAndLoop()
    {
        // entry → header; header → (left | right) → join → header (back edge) | exit
        var method = IrFixture.NewMethod();
        var x = method.AddParameter(method.Types.Int32, "x");
        var entry = method.AddBlock(null);
        var header = method.AddBlock(null);
        var left = method.AddBlock(null);
        var right = method.AddBlock(null);
        var join = method.AddBlock(null);
        var exit = method.AddBlock(null);
        var unreachable = method.AddBlock(null);
        var b = new IrBuilder(method);
        b.AtEnd(entry).Branch(header);
        b.AtEnd(header).BranchIf(x, left, right);
        b.AtEnd(left).Branch(join);
        b.AtEnd(right).Branch(join);
        b.AtEnd(join).BranchIf(x, header, exit);
        b.AtEnd(exit).Return(method.Float64(0));
        b.AtEnd(unreachable).Branch(exit);

        var tree = DominatorTree.Compute(method);

        Assert.That(tree.ImmediateDominator(entry), Is.Null);
        Assert.That(tree.ImmediateDominator(header), Is.SameAs(entry));
        Assert.That(tree.ImmediateDominator(left), Is.SameAs(header));
        Assert.That(tree.ImmediateDominator(join), Is.SameAs(header));
        Assert.That(tree.ImmediateDominator(exit), Is.SameAs(join));
        Assert.That(tree.Dominates(header, exit), Is.True);
        Assert.That(tree.Dominates(left, join), Is.False);
        Assert.That(tree.Dominates(join, join), Is.True);
        Assert.That(tree.Children(header), Is.EquivalentTo(new[] { left, right, join }));
        Assert.That(tree.IsReachable(unreachable), Is.False);
        Assert.That(tree.Dominates(unreachable, exit), Is.False);
        Assert.That(tree.ReversePostorder[0], Is.SameAs(entry));
    }

    [Test]
    public void HandlerEntryIsDominatedByTheTryEntryThroughExceptionalEdges()
    {
        var method = IrFixture.NewMethod();
        var tryRegion = method.AddRegion(RegionKind.Try, null);
        var catchRegion = method.AddRegion(RegionKind.Catch, null);
        catchRegion.Try = tryRegion;
        tryRegion.Handlers.Add(catchRegion);
        var entry = method.AddBlock(null);
        var body = method.AddBlock(tryRegion);
        var second = method.AddBlock(tryRegion);
        var handler = method.AddBlock(catchRegion);
        var after = method.AddBlock(null);
        tryRegion.Entry = body;
        catchRegion.Entry = handler;
        var b = new IrBuilder(method);
        b.AtEnd(entry).Branch(body);
        b.AtEnd(body).Branch(second);
        b.AtEnd(second).Leave(after);
        b.AtEnd(handler).Leave(after);
        b.AtEnd(after).Return(method.Float64(1));

        var tree = DominatorTree.Compute(method);

        Assert.That(tree.IsReachable(handler), Is.True);
        Assert.That(tree.ImmediateDominator(handler), Is.SameAs(body));
        Assert.That(tree.ImmediateDominator(after), Is.SameAs(body));
        Assert.That(tree.Dominates(second, after), Is.False);
    }

    [Test]
    public void FilteredCatchIsReachedFromTheEndOfItsFilter()
    {
        var method = IrFixture.NewMethod();
        var tryRegion = method.AddRegion(RegionKind.Try, null);
        var filterRegion = method.AddRegion(RegionKind.Filter, null);
        var catchRegion = method.AddRegion(RegionKind.FilteredCatch, null);
        filterRegion.Try = tryRegion;
        catchRegion.Try = tryRegion;
        catchRegion.Filter = filterRegion;
        tryRegion.Handlers.Add(catchRegion);
        var entry = method.AddBlock(null);
        var body = method.AddBlock(tryRegion);
        var filter = method.AddBlock(filterRegion);
        var filterEnd = method.AddBlock(filterRegion);
        var handler = method.AddBlock(catchRegion);
        var after = method.AddBlock(null);
        tryRegion.Entry = body;
        filterRegion.Entry = filter;
        catchRegion.Entry = handler;
        var b = new IrBuilder(method);
        b.AtEnd(entry).Branch(body);
        b.AtEnd(body).Leave(after);
        b.AtEnd(filter).Emit(Opcode.ExceptionObject, method.Types.Object);
        b.Branch(filterEnd);
        b.AtEnd(filterEnd).Emit(Opcode.EndFilter, method.Types.Void, method.Int32(1));
        b.AtEnd(handler).Emit(Opcode.ExceptionObject, method.Types.Object);
        b.Leave(after);
        b.AtEnd(after).Return(method.Float64(1));

        var tree = DominatorTree.Compute(method);

        Assert.That(DominatorTree.AllSuccessors(filterEnd), Is.EqualTo(new[] { handler }));
        Assert.That(tree.ImmediateDominator(handler), Is.SameAs(filterEnd));
        Assert.That(tree.Dominates(filter, handler), Is.True);
        Assert.That(IrVerifier.Verify(method), Is.Empty);
    }
}
