using System.Linq;
using Autodiff.Weaver.Ir;
using NUnit.Framework;

namespace Autodiff.Tests.Backend;

/// <summary>Phis leaving SSA: loops, the swap and lost-copy problems, a diamond, a switch with shared targets.</summary>
public sealed class ControlFlowLoweringTests
{
    [Test]
    public void LoopThatSwapsTwoVariablesEachIteration()
    {
        // for (i = 0; i < n; i++) (a, b) = (b, a); return a * 100 + b;
        var harness = new LoweringHarness();
        var t = harness.Types;
        var (ir, _, b) = harness.Method("Swap", t.Int32, (t.Int32, "n"), (t.Int32, "a"), (t.Int32, "b"));
        var header = ir.AddBlock(null);
        var body = ir.AddBlock(null);
        var exit = ir.AddBlock(null);
        b.Branch(header);
        var i = b.Phi(header, t.Int32);
        var a = b.Phi(header, t.Int32);
        var c = b.Phi(header, t.Int32);
        i.Name = "i";
        a.Name = "a";
        c.Name = "b";
        b.AtEnd(header).BranchIf(b.Compare(ComparePredicate.Less, i, ir.Parameters[0]), body, exit);
        var next = b.AtEnd(body).Add(i, ir.Int32(1));
        b.Branch(header);
        i.AddPhiIncoming(ir.Entry, ir.Int32(0));
        i.AddPhiIncoming(body, next);
        a.AddPhiIncoming(ir.Entry, ir.Parameters[1]);
        a.AddPhiIncoming(body, c);
        c.AddPhiIncoming(ir.Entry, ir.Parameters[2]);
        c.AddPhiIncoming(body, a);
        b.AtEnd(exit).Return(b.Add(b.Mul(a, ir.Int32(100)), c));

        using var loaded = harness.Load();
        for (var n = 0; n < 6; n++)
        {
            var expected = n % 2 == 0 ? 100 + 2 : 200 + 1;
            Assert.That(loaded.Invoke(LoweringHarness.TypeName, "Swap", n, 1, 2), Is.EqualTo(expected), $"n = {n}");
        }
    }

    [Test]
    public void FibonacciWithRotatingPhis()
    {
        // (a, b) = (0, 1); while (n-- > 0) (a, b) = (b, a + b); return a;
        var harness = new LoweringHarness();
        var t = harness.Types;
        var (ir, _, b) = harness.Method("Fib", t.Int64, (t.Int32, "n"));
        var header = ir.AddBlock(null);
        var body = ir.AddBlock(null);
        var exit = ir.AddBlock(null);
        b.Branch(header);
        var k = b.Phi(header, t.Int32);
        var a = b.Phi(header, t.Int64);
        var c = b.Phi(header, t.Int64);
        b.AtEnd(header).BranchIf(b.Compare(ComparePredicate.Greater, k, ir.Int32(0)), body, exit);
        var sum = b.AtEnd(body).Add(a, c);
        var decremented = b.Sub(k, ir.Int32(1));
        b.Branch(header);
        k.AddPhiIncoming(ir.Entry, ir.Parameters[0]);
        k.AddPhiIncoming(body, decremented);
        a.AddPhiIncoming(ir.Entry, ir.Int64(0));
        a.AddPhiIncoming(body, c);
        c.AddPhiIncoming(ir.Entry, ir.Int64(1));
        c.AddPhiIncoming(body, sum);
        b.AtEnd(exit).Return(a);

        using var loaded = harness.Load();
        long x = 0, y = 1;
        for (var n = 0; n <= 60; n++)
        {
            Assert.That(loaded.Invoke(LoweringHarness.TypeName, "Fib", n), Is.EqualTo(x), $"fib({n})");
            (x, y) = (y, x + y);
        }
    }

    [Test]
    public void LostCopyOnACriticalBackEdge()
    {
        // do { y = x; x = x + 1; } while (x < n); return y * 1000 + x;  — the exit reads the phi's old value.
        var harness = new LoweringHarness();
        var t = harness.Types;
        var (ir, _, b) = harness.Method("LostCopy", t.Int32, (t.Int32, "n"));
        var loop = ir.AddBlock(null);
        var exit = ir.AddBlock(null);
        b.Branch(loop);
        var x = b.Phi(loop, t.Int32);
        var incremented = b.AtEnd(loop).Add(x, ir.Int32(1));
        b.BranchIf(b.Compare(ComparePredicate.Less, incremented, ir.Parameters[0]), loop, exit);
        x.AddPhiIncoming(ir.Entry, ir.Int32(0));
        x.AddPhiIncoming(loop, incremented);
        b.AtEnd(exit).Return(b.Add(b.Mul(x, ir.Int32(1000)), incremented));

        using var loaded = harness.Load();
        foreach (var n in new[] { -5, 0, 1, 2, 7 })
        {
            int xs = 0, ys;
            do { ys = xs; xs++; } while (xs < n);
            Assert.That(loaded.Invoke(LoweringHarness.TypeName, "LostCopy", n), Is.EqualTo(ys * 1000 + xs), $"n = {n}");
        }
    }

    [Test]
    public void DiamondJoinsTwoValues()
    {
        // x >= 0 ? x * 2 : -x  (on doubles, NaN takes the else branch)
        var harness = new LoweringHarness();
        var t = harness.Types;
        var (ir, _, b) = harness.Method("Diamond", t.Double, (t.Double, "x"));
        var then = ir.AddBlock(null);
        var otherwise = ir.AddBlock(null);
        var join = ir.AddBlock(null);
        var x = ir.Parameters[0];
        b.BranchIf(b.Compare(ComparePredicate.GreaterOrEqual, x, ir.Float64(0)), then, otherwise);
        var doubled = b.AtEnd(then).Mul(x, ir.Float64(2));
        b.Branch(join);
        var negated = b.AtEnd(otherwise).Neg(x);
        b.Branch(join);
        var result = b.Phi(join, t.Double);
        result.AddPhiIncoming(then, doubled);
        result.AddPhiIncoming(otherwise, negated);
        b.AtEnd(join).Return(result);

        using var loaded = harness.Load();
        foreach (var value in new[] { 3.0, -2.5, 0.0, -0.0, double.NaN })
        {
            var expected = value >= 0 ? value * 2 : -value;
            Assert.That(System.BitConverter.DoubleToInt64Bits((double)loaded.Invoke(LoweringHarness.TypeName, "Diamond", value)!), Is.EqualTo(System.BitConverter.DoubleToInt64Bits(expected)), $"x = {value}");
        }
    }

    [Test]
    public void SwitchWithCasesSharingTheJoin()
    {
        // switch (k) { case 0: case 2: r = 5; break; case 1: r = 20; break; default: r = -1; } return r + k;
        var harness = new LoweringHarness();
        var t = harness.Types;
        var (ir, _, b) = harness.Method("Switch", t.Int32, (t.Int32, "k"));
        var one = ir.AddBlock(null);
        var fallback = ir.AddBlock(null);
        var join = ir.AddBlock(null);
        b.Switch(ir.Parameters[0], new[] { join, one, join }, fallback);
        b.AtEnd(one).Branch(join);
        b.AtEnd(fallback).Branch(join);
        var r = b.Phi(join, t.Int32);
        r.AddPhiIncoming(ir.Entry, ir.Int32(5));
        r.AddPhiIncoming(one, ir.Int32(20));
        r.AddPhiIncoming(fallback, ir.Int32(-1));
        b.AtEnd(join).Return(b.Add(r, ir.Parameters[0]));

        using var loaded = harness.Load();
        foreach (var k in new[] { -1, 0, 1, 2, 3, 100 })
        {
            var expected = (k switch { 0 or 2 => 5, 1 => 20, _ => -1 }) + k;
            Assert.That(loaded.Invoke(LoweringHarness.TypeName, "Switch", k), Is.EqualTo(expected), $"k = {k}");
        }
    }

    [Test]
    public void ReassignedParameterLivesInTheArgument()
    {
        // while (n > 1) n = n / 2 + (n & 1); return n;  — the phi of n is stored back into the argument (starg).
        var harness = new LoweringHarness();
        var t = harness.Types;
        var (ir, method, b) = harness.Method("Halve", t.Int32, (t.Int32, "n"));
        var header = ir.AddBlock(null);
        var body = ir.AddBlock(null);
        var exit = ir.AddBlock(null);
        b.Branch(header);
        var n = b.Phi(header, t.Int32);
        n.Name = "n";
        b.AtEnd(header).BranchIf(b.Compare(ComparePredicate.Greater, n, ir.Int32(1)), body, exit);
        var next = b.AtEnd(body).Add(b.Div(n, ir.Int32(2)), b.Binary(Opcode.And, n, ir.Int32(1)));
        b.Branch(header);
        n.AddPhiIncoming(ir.Entry, ir.Parameters[0]);
        n.AddPhiIncoming(body, next);
        b.AtEnd(exit).Return(n);

        using var loaded = harness.Load();
        foreach (var value in new[] { -4, 0, 1, 2, 7, 1000 })
        {
            var expected = value;
            while (expected > 1)
                expected = expected / 2 + (expected & 1);
            Assert.That(loaded.Invoke(LoweringHarness.TypeName, "Halve", value), Is.EqualTo(expected), $"n = {value}");
        }
        Assert.That(method.Body.Variables, Is.Empty);
        Assert.That(method.Body.Instructions.Select(i => i.OpCode.Code), Does.Contain(Mono.Cecil.Cil.Code.Starg_S));
    }
}
