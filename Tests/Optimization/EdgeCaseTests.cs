using System;
using System.Linq;
using Autodiff.Tests.Ir;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Optimization;
using Mono.Cecil;
using NUnit.Framework;

namespace Autodiff.Tests.Optimization;

/// <summary>Hand-built IR for what C# rarely produces but a pass must get exactly right.</summary>
public sealed class EdgeCaseTests
{
    private IrMethod method = null!;
    private IrBuilder builder = null!;
    private Parameter x = null!;

    [SetUp]
    public void NewMethod()
    {
        method = IrFixture.NewMethod();
        x = method.AddParameter(method.Types.Double, "x");
        builder = new IrBuilder(method).AtEnd(method.AddBlock(null));
    }

    private Value Returned => method.Blocks.Last().Terminator!.Operands[0];

    private static bool Run(IIrPass pass, IrMethod target)
    {
        var changed = pass.Run(target);
        IrVerifier.Check(target);
        return changed;
    }

    [TestCase(0.0, false)]
    [TestCase(-0.0, true)]
    public void AddingZeroIsAnIdentityOnlyForNegativeZero(double zero, bool simplified)
    {
        builder.Return(builder.Add(x, method.Float64(zero)));

        Assert.That(Run(new SimplifyAlgebra(), method), Is.EqualTo(simplified));
        Assert.That(ReferenceEquals(Returned, x), Is.EqualTo(simplified), "x + 0.0 is +0.0 for x = -0.0; x + (-0.0) is always x");
    }

    [Test]
    public void FloatIdentitiesThatIeeeForbidsDoNotFire()
    {
        var timesZero = builder.Mul(x, method.Float64(0));
        var zeroPlus = builder.Add(method.Float64(0), x);
        var minusNegativeZero = builder.Sub(x, method.Float64(-0.0));
        var difference = builder.Sub(x, x);
        builder.Return(builder.Add(builder.Add(timesZero, zeroPlus), builder.Add(minusNegativeZero, difference)));
        var before = IrPrinter.Print(method);

        Assert.That(Run(new SimplifyAlgebra(), method), Is.False);
        Assert.That(IrPrinter.Print(method), Is.EqualTo(before));
    }

    [Test]
    public void MultiplyingByMinusOneNegates()
    {
        builder.Return(builder.Mul(method.Float64(-1), x));

        Run(new SimplifyAlgebra(), method);

        Assert.That(Returned, Is.InstanceOf<Instruction>().With.Property("Opcode").EqualTo(Opcode.Neg));
        Assert.That(((Instruction)Returned).Operands[0], Is.SameAs(x));
    }

    [TestCase(-0.0, -0.0, -0.0)]
    [TestCase(-0.0, 0.0, 0.0)]
    [TestCase(double.PositiveInfinity, double.NegativeInfinity, double.NaN)]
    [TestCase(1e308, 1e308, double.PositiveInfinity)]
    public void FoldedFloatAdditionKeepsSignedZerosAndSpecialValues(double left, double right, double sum)
    {
        builder.Return(builder.Add(method.Float64(left), method.Float64(right)));

        Run(new FoldConstants(), method);

        Assert.That(BitConverter.DoubleToInt64Bits((double)((Constant)Returned).Payload!), Is.EqualTo(BitConverter.DoubleToInt64Bits(sum)));
    }

    [TestCase(ComparePredicate.Equal, 0)]
    [TestCase(ComparePredicate.NotEqualUn, 1)]
    [TestCase(ComparePredicate.Less, 0)]
    [TestCase(ComparePredicate.LessUn, 1)]
    [TestCase(ComparePredicate.GreaterOrEqual, 0)]
    [TestCase(ComparePredicate.GreaterOrEqualUn, 1)]
    public void ComparisonsWithNaNAreUnordered(ComparePredicate predicate, int expected)
    {
        var compare = builder.Compare(predicate, method.Float64(double.NaN), method.Float64(1));
        builder.Return(builder.Convert(compare, method.Types.Double));

        Run(new FoldConstants(), method);

        Assert.That(((Constant)Returned).Payload, Is.EqualTo((double)expected));
    }

    [TestCase(Opcode.Div, 1, 0)]
    [TestCase(Opcode.Rem, 1, 0)]
    [TestCase(Opcode.DivUn, 1, 0)]
    [TestCase(Opcode.Div, int.MinValue, -1)]
    [TestCase(Opcode.Rem, int.MinValue, -1)]
    [TestCase(Opcode.AddOvf, int.MaxValue, 1)]
    [TestCase(Opcode.SubOvfUn, 0, 1)]
    [TestCase(Opcode.MulOvf, 65536, 65536)]
    [TestCase(Opcode.Shl, 1, 32)]
    [TestCase(Opcode.Shr, 1, -1)]
    public void WhatWouldThrowOrIsUnspecifiedIsNotFolded(Opcode opcode, int left, int right)
    {
        var operation = builder.Binary(opcode, method.Int32(left), method.Int32(right));
        builder.Return(builder.Convert(operation, method.Types.Double));

        Assert.That(Run(new FoldConstants(), method), Is.False);
        Assert.That(((Instruction)Returned).Operands[0], Is.SameAs(operation));
    }

    [TestCase(double.NaN, typeof(int), InstructionFlags.None)]
    [TestCase(3e9, typeof(int), InstructionFlags.None)]
    [TestCase(-1.0, typeof(uint), InstructionFlags.None)]
    [TestCase(300.0, typeof(byte), InstructionFlags.Checked)]
    public void OutOfRangeFloatToIntegerConversionsAreNotFolded(double value, Type target, InstructionFlags flags)
    {
        var conversion = builder.Convert(method.Float64(value), method.Module.ImportReference(target), flags);
        builder.Return(builder.Convert(conversion, method.Types.Double));

        Assert.That(Run(new FoldConstants(), method), Is.False);
    }

    [TestCase(-1, InstructionFlags.UnsignedSource, 4294967295.0)]
    [TestCase(-7, InstructionFlags.None, -7.0)]
    public void IntegerToDoubleConversionsFoldExactly(int value, InstructionFlags flags, double expected)
    {
        builder.Return(builder.Convert(method.Int32(value), method.Types.Double, flags));

        Assert.That(Run(new FoldConstants(), method), Is.True);
        Assert.That(((Constant)Returned).Payload, Is.EqualTo(expected));
    }

    [TestCase(200, InstructionFlags.Checked, 200)]
    [TestCase(-56, InstructionFlags.None, 200)]
    [TestCase(200, InstructionFlags.Checked | InstructionFlags.UnsignedSource, 200)]
    public void InRangeNarrowingConversionsFold(int value, InstructionFlags flags, int expected)
    {
        var narrowed = builder.Convert(method.Int32(value), method.Module.ImportReference(typeof(byte)), flags);
        builder.Return(builder.Convert(narrowed, method.Types.Double));

        Run(new FoldConstants(), method);

        Assert.That(((Constant)Returned).Payload, Is.EqualTo((double)expected));
    }

    [TestCase(typeof(ulong), 4294967295L)]
    [TestCase(typeof(long), -1L)]
    public void WideningAnInt32FollowsTheTargetsSignedness(Type target, long expected)
    {
        var widened = builder.Convert(method.Int32(-1), method.Module.ImportReference(target));
        builder.Return(builder.Convert(widened, method.Types.Double));
        var toDouble = widened.Uses[0].User;

        new FoldConstants().Run(method);

        Assert.That(toDouble.Block, Is.Null, "both conversions fold");
        Assert.That(((Constant)Returned).Payload, Is.EqualTo((double)expected));
    }

    [Test]
    public void DeadPhiCyclesAreRemoved()
    {
        var entry = method.Entry;
        var loop = method.AddBlock(null);
        var exit = method.AddBlock(null);
        builder.Branch(loop);
        var counter = builder.Phi(loop, method.Types.Int32);
        var unused = builder.Phi(loop, method.Types.Double);
        builder.AtEnd(loop);
        var next = builder.Add(counter, method.Int32(1));
        var accumulated = builder.Mul(unused, x);
        builder.BranchIf(builder.Compare(ComparePredicate.Less, next, method.Int32(10)), loop, exit);
        counter.AddPhiIncoming(entry, method.Int32(0));
        counter.AddPhiIncoming(loop, next);
        unused.AddPhiIncoming(entry, method.Float64(1));
        unused.AddPhiIncoming(loop, accumulated);
        builder.AtEnd(exit).Return(x);

        Assert.That(Run(new EliminateDeadCode(), method), Is.True);

        Assert.That(loop.Phis.Single(), Is.SameAs(counter), "the double phi and its multiply only fed each other");
        Assert.That(accumulated.Block, Is.Null);
    }

    [Test]
    public void UnreachableBlocksLoseTheirPhiInputs()
    {
        var entry = method.Entry;
        var unreachable = method.AddBlock(null);
        var join = method.AddBlock(null);
        builder.Branch(join);
        builder.AtEnd(unreachable).Branch(join);
        var phi = builder.Phi(join, method.Types.Double);
        phi.AddPhiIncoming(entry, x);
        phi.AddPhiIncoming(unreachable, method.Float64(2));
        builder.AtEnd(join).Return(phi);

        Run(new EliminateDeadCode(), method);
        Assert.That(method.Blocks, Has.Count.EqualTo(2));
        Assert.That(phi.Targets, Is.EqualTo(new[] { entry }));

        Run(new SimplifyControlFlow(), method);
        Assert.That(method.Blocks, Has.Count.EqualTo(1));
        Assert.That(Returned, Is.SameAs(x));
    }

    [Test]
    public void DeadCodeKeepsWhatMayThrowAndDropsPureMathCalls()
    {
        var n = method.AddParameter(method.Types.Int32, "n");
        var divide = builder.Div(method.Int32(10), n);
        var sin = Call("Sin", typeof(double));
        var abs = Call("Abs", typeof(int));
        var clamp = Call("Clamp", typeof(double), typeof(double), typeof(double));
        builder.Return(x);
        Instruction Call(string name, params Type[] parameters)
        {
            var callee = method.Module.ImportReference(typeof(Math).GetMethod(name, parameters));
            return builder.Call(callee, callee.ReturnType, parameters.Select(p => p == typeof(int) ? (Value)n : x).ToArray());
        }

        Run(new EliminateDeadCode(), method);

        Assert.That(divide.Block, Is.Not.Null, "10 / n throws for n = 0");
        Assert.That(abs.Block, Is.Not.Null, "Math.Abs(int.MinValue) throws");
        Assert.That(clamp.Block, Is.Not.Null, "Math.Clamp throws when min > max");
        Assert.That(sin.Block, Is.Null);
    }

    [Test]
    public void TryRegionsAreLeftInPlace()
    {
        var body = method.AddBlock(null);
        var handler = method.AddBlock(null);
        var after = method.AddBlock(null);
        var tryRegion = method.AddRegion(RegionKind.Try, null);
        var finallyRegion = method.AddRegion(RegionKind.Finally, null);
        tryRegion.Entry = body;
        body.Region = tryRegion;
        finallyRegion.Entry = handler;
        finallyRegion.Try = tryRegion;
        handler.Region = finallyRegion;
        tryRegion.Handlers.Add(finallyRegion);
        builder.Branch(body);
        builder.AtEnd(body).Leave(after);
        builder.AtEnd(handler).Emit(Opcode.EndFinally, method.Types.Void);
        builder.AtEnd(after).Return(builder.Mul(x, x));
        var before = IrPrinter.Print(method);

        foreach (var pass in new IIrPass[] { new SimplifyControlFlow(), new EliminateDeadCode(), new HoistLoopInvariants(), new EliminateCommonSubexpressions() })
            Run(pass, method);

        Assert.That(IrPrinter.Print(method), Is.EqualTo(before));
    }

    [Test]
    public void LoadsAndStackSlotsAreNeverMerged()
    {
        var first = builder.StackSlot(method.Types.Double, "a");
        var second = builder.StackSlot(method.Types.Double, "b");
        builder.Store(first, x, method.Types.Double);
        builder.Store(second, x, method.Types.Double);
        var load = builder.Load(first, method.Types.Double);
        builder.Store(first, load, method.Types.Double);
        var reload = builder.Load(first, method.Types.Double);
        builder.Return(builder.Add(builder.Add(load, reload), builder.Load(second, method.Types.Double)));

        Assert.That(Run(new EliminateCommonSubexpressions(), method), Is.False);
    }

    [Test]
    public void NarrowOrEscapingSlotsStayInMemory()
    {
        var byteType = method.Module.ImportReference(typeof(byte));
        var narrow = builder.StackSlot(byteType, "b");
        var wide = builder.StackSlot(method.Types.Double, "d");
        var escaping = builder.StackSlot(method.Types.Double, "e");
        builder.Store(narrow, method.Int32(300), byteType);
        builder.Store(wide, x, method.Types.Double);
        builder.StoreElement(builder.NewArray(new ByReferenceType(method.Types.Double), method.Int32(1)), method.Int32(0), escaping, method.Types.Double);
        var loaded = builder.Load(narrow, byteType);
        builder.Return(builder.Add(builder.Convert(loaded, method.Types.Double), builder.Load(wide, method.Types.Double)));

        Run(new PromoteStackSlots(), method);

        var slots = method.Entry.Instructions.Where(i => i.Opcode == Opcode.StackSlot).ToList();
        Assert.That(slots, Is.EqualTo(new[] { narrow, escaping }), "a store to a byte slot truncates 300 to 44");
    }

    [Test]
    public void InvariantsLeaveNestedLoopsThroughNewPreheaders()
    {
        // entry → outer; outer: br.if c, side, inner; side → inner; inner: square, br.if, inner or latch; latch → outer or exit.
        var c = method.AddParameter(method.Types.Int32, "c");
        var entry = method.Entry;
        var outer = method.AddBlock(null);
        var side = method.AddBlock(null);
        var inner = method.AddBlock(null);
        var latch = method.AddBlock(null);
        var exit = method.AddBlock(null);
        builder.Branch(outer);
        var i = builder.Phi(outer, method.Types.Int32);
        builder.AtEnd(outer).BranchIf(c, side, inner);
        builder.AtEnd(side).Branch(inner);
        var j = builder.Phi(inner, method.Types.Int32);
        builder.AtEnd(inner);
        var square = builder.Mul(x, x);
        var nextJ = builder.Add(j, method.Int32(1));
        builder.BranchIf(builder.Compare(ComparePredicate.Less, builder.Convert(nextJ, method.Types.Double), square), inner, latch);
        j.AddPhiIncoming(outer, method.Int32(0));
        j.AddPhiIncoming(side, method.Int32(1));
        j.AddPhiIncoming(inner, nextJ);
        builder.AtEnd(latch);
        var nextI = builder.Add(i, method.Int32(1));
        builder.BranchIf(builder.Compare(ComparePredicate.Less, nextI, method.Int32(4)), outer, exit);
        i.AddPhiIncoming(entry, method.Int32(0));
        i.AddPhiIncoming(latch, nextI);
        builder.AtEnd(exit).Return(x);

        Assert.That(Run(new HoistLoopInvariants(), method), Is.True);

        Assert.That(square.Block, Is.SameAs(entry), "x*x leaves the inner loop into its new preheader, then the outer loop");
        Assert.That(method.Blocks, Has.Count.EqualTo(7));
    }

    [Test]
    public void FloatDivisionIsHoistedButIntegerDivisionByAVariableIsNot()
    {
        var n = method.AddParameter(method.Types.Int32, "n");
        var entry = method.Entry;
        var loop = method.AddBlock(null);
        var exit = method.AddBlock(null);
        builder.Branch(loop);
        var i = builder.Phi(loop, method.Types.Int32);
        var sum = builder.Phi(loop, method.Types.Double);
        builder.AtEnd(loop);
        var floatQuotient = builder.Div(x, method.Float64(3));
        var intQuotient = builder.Div(method.Int32(100), n);
        var next = builder.Add(i, intQuotient);
        var total = builder.Add(sum, floatQuotient);
        builder.BranchIf(builder.Compare(ComparePredicate.Less, next, method.Int32(1000)), loop, exit);
        i.AddPhiIncoming(entry, method.Int32(0));
        i.AddPhiIncoming(loop, next);
        sum.AddPhiIncoming(entry, method.Float64(0));
        sum.AddPhiIncoming(loop, total);
        builder.AtEnd(exit).Return(total);

        Assert.That(Run(new HoistLoopInvariants(), method), Is.True);

        Assert.That(floatQuotient.Block, Is.SameAs(entry));
        Assert.That(intQuotient.Block, Is.SameAs(loop), "100 / n throws for n = 0 even when the loop would not have run it");
    }
}
