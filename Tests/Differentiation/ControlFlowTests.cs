using Autodiff.Weaver.Diagnostics;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Loading;
using NUnit.Framework;

namespace Autodiff.Tests.Differentiation;

/// <summary>
/// Control flow: forward mode follows active phis, in loops too; reverse mode handles inactive branches and
/// several returns without recording anything, and records the path through active phis (slots for
/// acyclic code, list tapes for loops).
/// </summary>
public sealed class ControlFlowTests
{
    /// <summary>f(x, n) = n &gt; 0 ? x·x : 3·x, with a phi merging the active branch values.</summary>
    internal static IrMethod ActivePhi()
    {
        var types = Primals.Types;
        var method = new IrMethod(Primals.Module, "F", types.Double);
        var x = method.AddParameter(types.Double, "x");
        var n = method.AddParameter(types.Int32, "n");
        var entry = method.AddBlock(null);
        var positive = method.AddBlock(null);
        var other = method.AddBlock(null);
        var merge = method.AddBlock(null);
        var b = new IrBuilder(method).AtEnd(entry);
        b.BranchIf(b.Compare(ComparePredicate.Greater, n, method.Int32(0)), positive, other);
        var square = b.AtEnd(positive).Mul(x, x);
        b.Branch(merge);
        var triple = b.AtEnd(other).Mul(method.Float64(3), x);
        b.Branch(merge);
        var phi = b.Phi(merge, types.Double);
        phi.AddPhiIncoming(positive, square);
        phi.AddPhiIncoming(other, triple);
        b.AtEnd(merge).Return(phi);
        return method;
    }

    /// <summary>f(x, n) = x·(n &gt; 0 ? 2 : 5): the phi merges constants, so the branch is inactive.</summary>
    private static IrMethod InactivePhi()
    {
        var types = Primals.Types;
        var method = new IrMethod(Primals.Module, "G", types.Double);
        var x = method.AddParameter(types.Double, "x");
        var n = method.AddParameter(types.Int32, "n");
        var entry = method.AddBlock(null);
        var positive = method.AddBlock(null);
        var merge = method.AddBlock(null);
        var b = new IrBuilder(method).AtEnd(entry);
        var sin = Primals.Call(b, "System.Math", "Sin", x);
        b.BranchIf(b.Compare(ComparePredicate.Greater, n, method.Int32(0)), positive, merge);
        b.AtEnd(positive).Branch(merge);
        var factor = b.Phi(merge, types.Double);
        factor.AddPhiIncoming(entry, method.Float64(5));
        factor.AddPhiIncoming(positive, method.Float64(2));
        b.AtEnd(merge).Return(b.Mul(sin, factor));
        return method;
    }

    /// <summary>f(x, n) = n &gt; 0 ? x·x : sin(x), with a return in each branch.</summary>
    private static IrMethod TwoReturns()
    {
        var types = Primals.Types;
        var method = new IrMethod(Primals.Module, "H", types.Double);
        var x = method.AddParameter(types.Double, "x");
        var n = method.AddParameter(types.Int32, "n");
        var entry = method.AddBlock(null);
        var positive = method.AddBlock(null);
        var other = method.AddBlock(null);
        var b = new IrBuilder(method).AtEnd(entry);
        b.BranchIf(b.Compare(ComparePredicate.Greater, n, method.Int32(0)), positive, other);
        b.AtEnd(positive).Return(b.Mul(x, x));
        b.AtEnd(other).Return(Primals.Call(b, "System.Math", "Sin", x));
        return method;
    }

    /// <summary>f(x, n) = xⁿ by a loop: p = 1; for (i = 0; i &lt; n; i++) p *= x.</summary>
    internal static IrMethod PowerLoop()
    {
        var types = Primals.Types;
        var method = new IrMethod(Primals.Module, "Power", types.Double);
        var x = method.AddParameter(types.Double, "x");
        var n = method.AddParameter(types.Int32, "n");
        var entry = method.AddBlock(null);
        var header = method.AddBlock(null);
        var body = method.AddBlock(null);
        var exit = method.AddBlock(null);
        var b = new IrBuilder(method).AtEnd(entry);
        b.Branch(header);
        var i = b.Phi(header, types.Int32);
        var p = b.Phi(header, types.Double);
        b.AtEnd(header).BranchIf(b.Compare(ComparePredicate.Less, i, n), body, exit);
        var nextP = b.AtEnd(body).Mul(p, x);
        var nextI = b.Add(i, method.Int32(1));
        b.Branch(header);
        i.AddPhiIncoming(entry, method.Int32(0));
        i.AddPhiIncoming(body, nextI);
        p.AddPhiIncoming(entry, method.Float64(1));
        p.AddPhiIncoming(body, nextP);
        b.AtEnd(exit).Return(p);
        return method;
    }

    [TestCase(0, 0.0)]
    [TestCase(1, 1.0)]
    [TestCase(3, 12.0)]
    public void ForwardFollowsLoopsThroughTangentPhis(int n, double expected)
    {
        var primal = PowerLoop();
        var request = TestRequests.Forward(primal, ActivityKind.Dual, ActivityKind.Const, ActivityKind.Dual);
        Assert.That(Derive.Run(primal, request, 2.0, 1.0, n), Is.EqualTo(new[] { System.Math.Pow(2, n), expected }));
    }

    [TestCase(0, 0.0)]
    [TestCase(1, 1.0)]
    [TestCase(3, 12.0)]
    public void ReverseThroughLoopsTapesEveryIteration(int n, double expected)
    {
        var primal = PowerLoop();
        var request = TestRequests.Create(primal, DerivativeMode.Reverse, 2, ActivityKind.Active, ActivityKind.Const, ActivityKind.Active);
        Assert.That(Derive.Run(primal, request, 2.0, n, 1.0, 0.5), Is.EqualTo(new[] { System.Math.Pow(2, n), expected, 0.5 * expected }));
    }

    [TestCase(1, 6.0)]
    [TestCase(0, 3.0)]
    public void ForwardFollowsTheTakenBranch(int n, double expected)
    {
        var primal = ActivePhi();
        var request = TestRequests.Forward(primal, ActivityKind.Dual, ActivityKind.Const, ActivityKind.DualOnly);
        Assert.That(Derive.Run(primal, request, 3.0, 1.0, n), Is.EqualTo(new[] { expected }));
    }

    [TestCase(1, 2.0)]
    [TestCase(0, 5.0)]
    public void ReverseAcceptsInactiveBranches(int n, double factor)
    {
        var primal = InactivePhi();
        var request = TestRequests.Reverse(primal, ActivityKind.Active, ActivityKind.Const, ActivityKind.Active);
        Assert.That(Derive.Run(primal, request, 0.5, n, 1.0), Is.EqualTo(new[] { factor * System.Math.Sin(0.5), factor * System.Math.Cos(0.5) }));
    }

    [TestCase(1, 9.0, 6.0)]
    [TestCase(0, 0.1411200080598672, -0.9899924966004454)]
    public void ReverseSweepsEachReturnOverTheInstructionsDominatingIt(int n, double value, double gradient)
    {
        var primal = TwoReturns();
        var request = TestRequests.Reverse(primal, ActivityKind.Active, ActivityKind.Const, ActivityKind.Active);
        var result = Derive.Run(primal, request, 3.0, n, 1.0);
        Assert.That(result[0], Is.EqualTo(value).Within(1e-15));
        Assert.That(result[1], Is.EqualTo(gradient).Within(1e-15));
    }

    [TestCase(1, 6.0)]
    [TestCase(0, -0.9899924966004454)]
    public void ForwardReturnsTheTangentOfTheTakenReturn(int n, double expected)
    {
        var primal = TwoReturns();
        var request = TestRequests.Forward(primal, ActivityKind.Dual, ActivityKind.Const, ActivityKind.DualOnly);
        Assert.That(Derive.Run(primal, request, 3.0, 1.0, n)[0], Is.EqualTo(expected).Within(1e-15));
    }

    [TestCase(1, 9.0, 6.0)]
    [TestCase(0, 9.0, 3.0)]
    public void ReverseFollowsTheTakenBranchThroughActivePhis(int n, double value, double gradient)
    {
        var primal = ActivePhi();
        var request = TestRequests.Reverse(primal, ActivityKind.Active, ActivityKind.Const, ActivityKind.Active);
        Assert.That(Derive.Run(primal, request, 3.0, n, 1.0), Is.EqualTo(new[] { value, gradient }));
    }

    [TestCase(1, 6.0)]
    [TestCase(0, 3.0)]
    public void ReverseThroughActivePhisWithTwoLanes(int n, double gradient)
    {
        var primal = ActivePhi();
        var request = TestRequests.Create(primal, DerivativeMode.Reverse, 2, ActivityKind.Active, ActivityKind.Const, ActivityKind.ActiveOnly);
        Assert.That(Derive.Run(primal, request, 3.0, n, 1.0, -2.0), Is.EqualTo(new[] { gradient, -2 * gradient }));
    }
}
