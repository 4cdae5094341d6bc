using System;
using Autodiff.Weaver.Ir;
using NUnit.Framework;

namespace Autodiff.Tests.Ir;

/// <summary>Each test breaks one invariant of a small valid method and expects the verifier to name it.</summary>
public sealed class IrVerifierTests
{
    private IrMethod method = null!;
    private Parameter x = null!;
    private IrBuilder b = null!;

    [SetUp]
    public void NewMethod()
    {
        method = IrFixture.NewMethod("Test::M");
        x = method.AddParameter(method.Types.Double, "x");
        b = new IrBuilder(method);
    }

    private void AssertProblem(string expected) =>
        Assert.That(IrVerifier.Verify(method), Has.Some.Contains(expected));

    [Test]
    public void ValidDiamondHasNoProblems()
    {
        var entry = method.AddBlock(null);
        var left = method.AddBlock(null);
        var right = method.AddBlock(null);
        var join = method.AddBlock(null);
        var condition = b.AtEnd(entry).Compare(ComparePredicate.Greater, x, method.Float64(0));
        b.BranchIf(condition, left, right);
        var square = b.AtEnd(left).Mul(x, x);
        b.Branch(join);
        b.AtEnd(right).Branch(join);
        var phi = b.Phi(join, method.Types.Double);
        phi.AddPhiIncoming(left, square);
        phi.AddPhiIncoming(right, x);
        b.AtEnd(join).Return(phi);

        Assert.That(IrVerifier.Verify(method), Is.Empty);
        Assert.DoesNotThrow(() => IrVerifier.Check(method));
    }

    [Test]
    public void MissingTerminator()
    {
        b.AtEnd(method.AddBlock(null)).Mul(x, x);
        AssertProblem("bb0 does not end with a terminator");
    }

    [Test]
    public void TerminatorInTheMiddle()
    {
        var entry = method.AddBlock(null);
        b.AtEnd(entry).Return(x);
        b.Return(x);
        AssertProblem("terminator before the end of the block");
    }

    [Test]
    public void PhiAfterOtherInstructionsAndMissingIncoming()
    {
        var entry = method.AddBlock(null);
        var next = method.AddBlock(null);
        b.AtEnd(entry).Branch(next);
        b.AtEnd(next).Mul(x, x);
        var phi = b.Emit(Opcode.Phi, method.Types.Double);
        b.Return(phi);
        AssertProblem("phi after a non-phi instruction");
        AssertProblem("no incoming value for predecessor bb0");
    }

    [Test]
    public void UseNotDominatedByDefinition()
    {
        var entry = method.AddBlock(null);
        var left = method.AddBlock(null);
        var right = method.AddBlock(null);
        var join = method.AddBlock(null);
        b.AtEnd(entry).BranchIf(method.Int32(1), left, right);
        var square = b.AtEnd(left).Mul(x, x);
        b.Branch(join);
        b.AtEnd(right).Branch(join);
        b.AtEnd(join).Return(square);
        AssertProblem("does not dominate its use");
    }

    [Test]
    public void UseBeforeDefinitionInTheSameBlock()
    {
        var entry = method.AddBlock(null);
        var sum = b.AtEnd(entry).Add(x, x);
        var product = b.Mul(x, x);
        b.Return(sum);
        sum.SetOperand(1, product);
        AssertProblem("operand 1 (mul at bb0[1]) does not dominate its use");
    }

    [Test]
    public void StackSlotOutsideTheEntryBlock()
    {
        var entry = method.AddBlock(null);
        var next = method.AddBlock(null);
        b.AtEnd(entry).Branch(next);
        b.AtEnd(next).Emit(Opcode.StackSlot, IrTypes.ByReference(method.Types.Double)).TypeOperand = method.Types.Double;
        b.Return(x);
        AssertProblem("stack slot outside the entry block");
    }

    [Test]
    public void OperandFromAnotherMethod()
    {
        var other = IrFixture.NewMethod("Other");
        var foreign = other.AddParameter(other.Types.Double, "y");
        b.AtEnd(method.AddBlock(null)).Return(b.Mul(x, foreign));
        AssertProblem("operand 1 is a parameter of another method");
    }

    [Test]
    public void BranchIntoAHandlerAndReturnInsideARegion()
    {
        var tryRegion = method.AddRegion(RegionKind.Try, null);
        var catchRegion = method.AddRegion(RegionKind.Catch, null);
        catchRegion.Try = tryRegion;
        catchRegion.CatchType = method.Types.Object;
        tryRegion.Handlers.Add(catchRegion);
        var entry = method.AddBlock(null);
        var body = method.AddBlock(tryRegion);
        var handler = method.AddBlock(catchRegion);
        tryRegion.Entry = body;
        catchRegion.Entry = handler;
        b.AtEnd(entry).BranchIf(method.Int32(1), body, handler);
        b.AtEnd(body).Return(x);
        b.AtEnd(handler).Emit(Opcode.ExceptionObject, method.Types.Object);
        b.Leave(entry);
        AssertProblem("target bb2 leaves the region or enters one other than at a try entry");
        AssertProblem("return inside a protected region or handler");
    }

    [Test]
    public void LeaveMayEnterASiblingTryAtItsEntryButNotItsMiddle()
    {
        var first = method.AddRegion(RegionKind.Try, null);
        var firstFault = method.AddRegion(RegionKind.Fault, null);
        var second = method.AddRegion(RegionKind.Try, null);
        var secondFault = method.AddRegion(RegionKind.Fault, null);
        firstFault.Try = first;
        first.Handlers.Add(firstFault);
        secondFault.Try = second;
        second.Handlers.Add(secondFault);
        var entry = method.AddBlock(null);
        var firstBody = method.AddBlock(first);
        var firstHandler = method.AddBlock(firstFault);
        var secondBody = method.AddBlock(second);
        var secondMiddle = method.AddBlock(second);
        var secondHandler = method.AddBlock(secondFault);
        var exit = method.AddBlock(null);
        first.Entry = firstBody;
        firstFault.Entry = firstHandler;
        second.Entry = secondBody;
        secondFault.Entry = secondHandler;
        b.AtEnd(entry).Branch(firstBody);
        b.AtEnd(firstBody).Leave(secondBody);
        b.AtEnd(firstHandler).Emit(Opcode.EndFinally, method.Types.Void);
        b.AtEnd(secondBody).Branch(secondMiddle);
        b.AtEnd(secondMiddle).Leave(exit);
        b.AtEnd(secondHandler).Emit(Opcode.EndFinally, method.Types.Void);
        b.AtEnd(exit).Return(x);
        Assert.That(IrVerifier.Verify(method), Is.Empty);

        firstBody.Terminator!.Targets = new[] { secondMiddle };
        AssertProblem("target bb4 is not in an enclosing region");
    }

    [Test]
    public void ValueDefinedInATryUsedAfterIt()
    {
        var tryRegion = method.AddRegion(RegionKind.Try, null);
        var faultRegion = method.AddRegion(RegionKind.Fault, null);
        faultRegion.Try = tryRegion;
        tryRegion.Handlers.Add(faultRegion);
        var entry = method.AddBlock(null);
        var body = method.AddBlock(tryRegion);
        var fault = method.AddBlock(faultRegion);
        var after = method.AddBlock(null);
        tryRegion.Entry = body;
        faultRegion.Entry = fault;
        b.AtEnd(entry).Branch(body);
        var square = b.AtEnd(body).Mul(x, x);
        b.Leave(after);
        b.AtEnd(fault).Emit(Opcode.EndFinally, method.Types.Void);
        b.AtEnd(after).Return(square);
        AssertProblem("is defined in a region that does not enclose its use");
    }

    [Test]
    public void ExceptionObjectOutsideACatchEntry()
    {
        var entry = method.AddBlock(null);
        b.AtEnd(entry).Emit(Opcode.ExceptionObject, method.Types.Object);
        b.Return(x);
        AssertProblem("exception object is not the first instruction of a catch or filter entry");
    }

    [Test]
    public void IllTypedOperands()
    {
        var entry = method.AddBlock(null);
        var exit = method.AddBlock(null);
        b.AtEnd(entry).Binary(Opcode.Add, x, method.Int32(1));
        b.Binary(Opcode.Xor, x, x);
        b.BranchIf(x, exit, exit);
        b.AtEnd(exit).Return(x);
        AssertProblem("operands of kinds Float64 and Int32 are not compatible");
        AssertProblem("operands of kinds Float64 and Float64 are not compatible");
        AssertProblem("condition of type float64 is not an integer, pointer or reference");
    }

    [Test]
    public void CheckListsEveryProblemWithThePrintedIr()
    {
        var entry = method.AddBlock(null);
        b.AtEnd(entry).Binary(Opcode.Add, x, method.Int32(1));
        var error = Assert.Throws<InvalidOperationException>(() => IrVerifier.Check(method))!;
        Assert.That(error.Message, Does.Contain("IR of Test::M is invalid"));
        Assert.That(error.Message, Does.Contain("bb0 does not end with a terminator"));
        Assert.That(error.Message, Does.Contain("method float64 Test::M(float64 %x)"));
    }
}
