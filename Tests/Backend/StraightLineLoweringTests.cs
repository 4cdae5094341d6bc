using System;
using Autodiff.Weaver.Ir;
using NUnit.Framework;

namespace Autodiff.Tests.Backend;

public sealed class StraightLineLoweringTests
{
    [Test]
    public void ArithmeticOnDoublesMatchesCSharp()
    {
        // f(x, y) = sqrt(x * y + 3) / (x - y)
        var harness = new LoweringHarness();
        var t = harness.Types;
        var (ir, _, b) = harness.Method("F", t.Double, (t.Double, "x"), (t.Double, "y"));
        var x = ir.Parameters[0];
        var y = ir.Parameters[1];
        var root = b.Call(harness.Import(typeof(Math).GetMethod(nameof(Math.Sqrt))!), t.Double, new Value[] { b.Add(b.Mul(x, y), ir.Float64(3)) });
        b.Return(b.Div(root, b.Sub(x, y)));

        using var loaded = harness.Load();
        foreach (var (px, py) in new[] { (1.0, 2.0), (-3.5, 0.25), (0.0, 0.0), (1e300, -1e300), (double.NaN, 1.0) })
        {
            var expected = Math.Sqrt(px * py + 3) / (px - py);
            Assert.That(loaded.Invoke(LoweringHarness.TypeName, "F", px, py), Is.EqualTo(expected), $"f({px}, {py})");
        }
    }

    [Test]
    public void IntegerOperationsAndConversionsMatchCSharp()
    {
        // g(a, b) = (long)(a >> 2) * b + (a ^ 0x55) - (long)(uint)a % 7 + (long)(float)a
        var harness = new LoweringHarness();
        var t = harness.Types;
        var (ir, _, b) = harness.Method("G", t.Int64, (t.Int32, "a"), (t.Int64, "b"));
        var a = ir.Parameters[0];
        var product = b.Mul(b.Convert(b.Binary(Opcode.Shr, a, ir.Int32(2)), t.Int64), ir.Parameters[1]);
        var mixed = b.Convert(b.Binary(Opcode.Xor, a, ir.Int32(0x55)), t.Int64);
        var unsignedA = b.Convert(a, harness.Module.ImportReference(typeof(ulong)), InstructionFlags.UnsignedSource);
        var remainder = b.Binary(Opcode.RemUn, unsignedA, ir.Int64(7));
        var viaFloat = b.Convert(b.Convert(a, t.Single), t.Int64);
        b.Return(b.Add(b.Sub(b.Add(product, mixed), remainder), viaFloat));

        using var loaded = harness.Load();
        foreach (var (pa, pb) in new[] { (0, 0L), (13, 5L), (-13, 5L), (int.MaxValue, -3L), (int.MinValue, long.MaxValue) })
        {
            var expected = unchecked((long)(pa >> 2) * pb + (pa ^ 0x55) - (long)((ulong)(uint)pa % 7) + (long)(float)pa);
            Assert.That(loaded.Invoke(LoweringHarness.TypeName, "G", pa, pb), Is.EqualTo(expected), $"g({pa}, {pb})");
        }
    }

    [Test]
    public void CheckedConversionThrowsOnOverflow()
    {
        var harness = new LoweringHarness();
        var t = harness.Types;
        var (ir, _, b) = harness.Method("Narrow", harness.Module.ImportReference(typeof(byte)), (t.Int32, "a"));
        b.Return(b.Convert(ir.Parameters[0], harness.Module.ImportReference(typeof(byte)), InstructionFlags.Checked));

        using var loaded = harness.Load();
        Assert.That(loaded.Invoke(LoweringHarness.TypeName, "Narrow", 200), Is.EqualTo((byte)200));
        Assert.Throws<OverflowException>(() => loaded.Invoke(LoweringHarness.TypeName, "Narrow", 300));
    }
}
