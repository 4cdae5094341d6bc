using System;
using System.Linq;
using Autodiff.Weaver.Ir;
using Mono.Cecil.Cil;
using NUnit.Framework;

namespace Autodiff.Tests.Backend;

public sealed class CallLoweringTests
{
    [Test]
    public void TailPrefixOnlyRightBeforeReturn()
    {
        // Direct(x) => tail. Math.Abs(x);  Twice(x) => Math.Abs(x) + Math.Abs(x) with the flag on a call whose result is reused.
        var harness = new LoweringHarness();
        var t = harness.Types;
        var abs = harness.Import(typeof(Math).GetMethod(nameof(Math.Abs), new[] { typeof(double) })!);
        var (directIr, direct, b) = harness.Method("Direct", t.Double, (t.Double, "x"));
        b.Call(abs, t.Double, new Value[] { directIr.Parameters[0] }).Flags = InstructionFlags.Tail;
        b.Return(directIr.Entry.Instructions[0]);
        var (reusedIr, reused, r) = harness.Method("Reused", t.Double, (t.Double, "x"));
        var call = r.Call(abs, t.Double, new Value[] { reusedIr.Parameters[0] });
        call.Flags = InstructionFlags.Tail;
        r.Return(r.Add(call, call));

        using var loaded = harness.Load();
        Assert.That(loaded.Invoke(LoweringHarness.TypeName, "Direct", -2.5), Is.EqualTo(2.5));
        Assert.That(loaded.Invoke(LoweringHarness.TypeName, "Reused", -2.5), Is.EqualTo(5.0));
        Assert.That(direct.Body.Instructions.Select(i => i.OpCode.Code), Is.EqualTo(new[] { Code.Ldarg_0, Code.Tail, Code.Call, Code.Ret }));
        Assert.That(reused.Body.Instructions.Any(i => i.OpCode.Code == Code.Tail), Is.False);
    }

    [Test]
    public void ConstrainedVirtualCallOnAGenericStructReceiver()
    {
        // static string Show(int v) { int s = v; return s.ToString(); }  via constrained. callvirt object::ToString
        var harness = new LoweringHarness();
        var t = harness.Types;
        var (ir, method, b) = harness.Method("Show", t.String, (t.Int32, "v"));
        var slot = b.StackSlot(t.Int32, "s");
        b.Store(slot, b.Add(ir.Parameters[0], ir.Int32(1)), t.Int32);
        b.Return(b.Call(harness.Import(typeof(object).GetMethod(nameof(ToString))!), t.String, new Value[] { slot }, isVirtual: true, constrained: t.Int32));

        using var loaded = harness.Load();
        Assert.That(loaded.Invoke(LoweringHarness.TypeName, "Show", 41), Is.EqualTo("42"));
        Assert.That(method.Body.Instructions.Select(i => i.OpCode.Code), Does.Contain(Code.Constrained));
    }
}
