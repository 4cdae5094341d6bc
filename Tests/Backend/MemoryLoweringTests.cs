using System;
using System.Linq;
using Autodiff.Weaver.Ir;
using Mono.Cecil;
using Mono.Cecil.Cil;
using NUnit.Framework;

namespace Autodiff.Tests.Backend;

/// <summary>Stack slots become locals: ldloc/stloc for whole reads and writes, ldloca where the address escapes.</summary>
public sealed class MemoryLoweringTests
{
    private static MethodDefinition AddIncrement(LoweringHarness harness)
    {
        // static void Increment(ref int p) => p = p + 1;
        var t = harness.Types;
        var (ir, increment, b) = harness.Method("Increment", t.Void, (IrTypes.ByReference(t.Int32), "p"));
        var p = ir.Parameters[0];
        b.Store(p, b.Add(b.Load(p, t.Int32), ir.Int32(1)), t.Int32);
        b.Return(null);
        return increment;
    }

    [Test]
    public void StackSlotPassedByReference()
    {
        // static int Twice(int x) { int t = x * 3; Increment(ref t); Increment(ref t); return t; }
        var harness = new LoweringHarness();
        var t = harness.Types;
        var increment = AddIncrement(harness);
        var (ir, twice, b) = harness.Method("Twice", t.Int32, (t.Int32, "x"));
        var slot = b.StackSlot(t.Int32, "t");
        b.Store(slot, b.Mul(ir.Parameters[0], ir.Int32(3)), t.Int32);
        b.Call(increment, t.Void, new Value[] { slot });
        b.Call(increment, t.Void, new Value[] { slot });
        b.Return(b.Load(slot, t.Int32));

        using var loaded = harness.Load();
        Assert.That(loaded.Invoke(LoweringHarness.TypeName, "Twice", 40), Is.EqualTo(122));
        Assert.That(twice.Body.Variables, Has.Count.EqualTo(1));
        Assert.That(twice.Body.Instructions.Count(i => i.OpCode.Code == Code.Ldloca_S), Is.EqualTo(2));
    }

    [Test]
    public void SlotMirroringAnArgumentUsesTheArgument()
    {
        // static int Twice(int x) { Increment(ref x); Increment(ref x); return x; } — lifted as a slot initialized from x.
        var harness = new LoweringHarness();
        var t = harness.Types;
        var increment = AddIncrement(harness);
        var (ir, twice, b) = harness.Method("Twice", t.Int32, (t.Int32, "x"));
        var slot = b.StackSlot(t.Int32, "x");
        b.Store(slot, ir.Parameters[0], t.Int32);
        b.Call(increment, t.Void, new Value[] { slot });
        b.Call(increment, t.Void, new Value[] { slot });
        b.Store(slot, b.Add(b.Load(slot, t.Int32), ir.Int32(10)), t.Int32);
        b.Return(b.Load(slot, t.Int32));

        using var loaded = harness.Load();
        Assert.That(loaded.Invoke(LoweringHarness.TypeName, "Twice", 40), Is.EqualTo(52));
        Assert.That(twice.Body.Variables, Is.Empty);
        Assert.That(twice.Body.Instructions.Select(i => i.OpCode.Code), Is.EqualTo(new[]
        {
            Code.Ldarga_S, Code.Call, Code.Ldarga_S, Code.Call,
            Code.Ldarg_0, Code.Ldc_I4_S, Code.Add, Code.Starg_S,
            Code.Ldarg_0, Code.Ret,
        }));
    }

    [Test]
    public void StructSlotWithFieldAccess()
    {
        // (double, double) v = default; v.Item1 = x; v.Item2 = y; return v.Item1 * v.Item2 + v.Item1;
        var harness = new LoweringHarness();
        var t = harness.Types;
        var pair = harness.Module.ImportReference(typeof(ValueTuple<double, double>));
        var item1 = harness.Module.ImportReference(typeof(ValueTuple<double, double>).GetField("Item1")!);
        var item2 = harness.Module.ImportReference(typeof(ValueTuple<double, double>).GetField("Item2")!);
        var (ir, _, b) = harness.Method("Pair", t.Double, (t.Double, "x"), (t.Double, "y"));
        var slot = b.StackSlot(pair, "v");
        b.Emit(Opcode.InitObject, t.Void, slot).TypeOperand = pair;
        b.StoreField(slot, item1, ir.Parameters[0]);
        b.Store(b.FieldAddress(slot, item2), ir.Parameters[1], t.Double);
        // Typed as the frontend types them: the field type with the instance's arguments substituted.
        var whole = b.Load(slot, pair);
        var first = b.Emit(Opcode.LoadField, t.Double, whole);
        first.Member = item1;
        var second = b.Emit(Opcode.LoadField, t.Double, slot);
        second.Member = item2;
        b.Return(b.Add(b.Mul(first, second), first));

        using var loaded = harness.Load();
        Assert.That(loaded.Invoke(LoweringHarness.TypeName, "Pair", 3.0, 4.0), Is.EqualTo(15.0));
    }

    [Test]
    public void ValuesWithDisjointLiveRangesShareOneLocal()
    {
        // Three values, each live across one block boundary only, while x stays live to the end: one local suffices.
        var harness = new LoweringHarness();
        var t = harness.Types;
        var (ir, method, b) = harness.Method("Chain", t.Double, (t.Double, "x"));
        var second = ir.AddBlock(null);
        var third = ir.AddBlock(null);
        var last = ir.AddBlock(null);
        var v1 = b.Mul(ir.Parameters[0], ir.Float64(2));
        b.Branch(second);
        var v2 = b.AtEnd(second).Add(v1, ir.Float64(1));
        b.Branch(third);
        var v3 = b.AtEnd(third).Mul(v2, ir.Float64(3));
        b.Branch(last);
        b.AtEnd(last).Return(b.Add(v3, ir.Parameters[0]));

        using var loaded = harness.Load();
        Assert.That(loaded.Invoke(LoweringHarness.TypeName, "Chain", 1.5), Is.EqualTo((1.5 * 2 + 1) * 3 + 1.5));
        Assert.That(method.Body.Variables, Has.Count.EqualTo(1));
    }

    [Test]
    public void LocallocIsNeverComputedAboveOtherStackValues()
    {
        // p = (nint)0 + localloc(16); *(int*)p = n; return *(int*)p;  — localloc needs an otherwise empty stack.
        var harness = new LoweringHarness();
        var t = harness.Types;
        var (ir, _, b) = harness.Method("Localloc", t.Int32, (t.Int32, "n"));
        var pointer = b.Add(b.Convert(ir.Int32(0), t.IntPtr), b.Emit(Opcode.LocalAlloc, t.IntPtr, ir.Int32(16)));
        b.Store(pointer, ir.Parameters[0], t.Int32);
        b.Return(b.Load(pointer, t.Int32));

        using var loaded = harness.Load();
        Assert.That(loaded.Invoke(LoweringHarness.TypeName, "Localloc", 7), Is.EqualTo(7));
    }

    [Test]
    public void GenericFieldTypedWithTheOpenParameterGetsASubstitutedLocal()
    {
        // IrBuilder.LoadField types a ValueTuple<double, double>.Item1 load as !0 (the field's declared type); the
        // value crosses a block, so it needs a local, which must be typed double. The verifier rejects !0 arithmetic,
        // so this IR is lowered unverified.
        var harness = new LoweringHarness();
        var t = harness.Types;
        var pair = harness.Module.ImportReference(typeof(ValueTuple<double, double>));
        var item1 = harness.Module.ImportReference(typeof(ValueTuple<double, double>).GetField("Item1")!);
        var (ir, method, b) = harness.Method("First", t.Double, (pair, "p"));
        var next = ir.AddBlock(null);
        var first = b.LoadField(ir.Parameters[0], item1);
        b.Branch(next);
        b.AtEnd(next).Return(b.Add(first, first));

        using var loaded = harness.Load(verify: false);
        Assert.That(loaded.Invoke(LoweringHarness.TypeName, "First", (1.25, 0.0)), Is.EqualTo(2.5));
        Assert.That(method.Body.Variables.Single().VariableType.MetadataType, Is.EqualTo(MetadataType.Double));
    }
}
