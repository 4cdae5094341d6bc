using System;
using System.Linq;
using Autodiff.Weaver.Ir;
using Mono.Cecil;
using NUnit.Framework;

namespace Autodiff.Tests.Backend;

/// <summary>Protected regions: layout, exception table order, the caught exception on the stack, values live across handlers.</summary>
public sealed class ExceptionLoweringTests
{
    [Test]
    public void TryFinallyRunsTheFinallyOnBothPaths()
    {
        // try { r = a[0] * 2; } finally { log[0]++; } return r;  (values leave a region through phis)
        var harness = new LoweringHarness();
        var t = harness.Types;
        var intArray = new ArrayType(t.Int32);
        var (ir, _, b) = harness.Method("TryFinally", t.Int32, (intArray, "a"), (intArray, "log"));
        var tryRegion = ir.AddRegion(RegionKind.Try, null);
        var finallyRegion = ir.AddRegion(RegionKind.Finally, null);
        tryRegion.Handlers.Add(finallyRegion);
        finallyRegion.Try = tryRegion;
        var body = ir.AddBlock(tryRegion);
        var cleanup = ir.AddBlock(finallyRegion);
        var exit = ir.AddBlock(null);
        tryRegion.Entry = body;
        finallyRegion.Entry = cleanup;
        b.Branch(body);
        var r = b.AtEnd(body).Mul(b.LoadElement(ir.Parameters[0], ir.Int32(0), t.Int32), ir.Int32(2));
        b.Leave(exit);
        var log = ir.Parameters[1];
        b.AtEnd(cleanup).StoreElement(log, ir.Int32(0), b.Add(b.LoadElement(log, ir.Int32(0), t.Int32), ir.Int32(1)), t.Int32);
        b.Emit(Opcode.EndFinally, t.Void);
        var result = b.Phi(exit, t.Int32);
        result.AddPhiIncoming(body, r);
        b.AtEnd(exit).Return(result);

        using var loaded = harness.Load();
        var calls = new int[1];
        Assert.That(loaded.Invoke(LoweringHarness.TypeName, "TryFinally", new[] { 21 }, calls), Is.EqualTo(42));
        Assert.Throws<NullReferenceException>(() => loaded.Invoke(LoweringHarness.TypeName, "TryFinally", null, calls));
        Assert.Throws<IndexOutOfRangeException>(() => loaded.Invoke(LoweringHarness.TypeName, "TryFinally", Array.Empty<int>(), calls));
        Assert.That(calls[0], Is.EqualTo(3));
    }

    [Test]
    public void CatchReadsTheExceptionObject()
    {
        // try { s = ((string)o).ToUpperInvariant(); } catch (InvalidCastException e) { s = e.GetType().Name; } return s;
        var harness = new LoweringHarness();
        var t = harness.Types;
        var (ir, _, b) = harness.Method("Describe", t.String, (t.Object, "o"));
        var tryRegion = ir.AddRegion(RegionKind.Try, null);
        var catchRegion = ir.AddRegion(RegionKind.Catch, null);
        tryRegion.Handlers.Add(catchRegion);
        catchRegion.Try = tryRegion;
        catchRegion.CatchType = harness.Module.ImportReference(typeof(InvalidCastException));
        var body = ir.AddBlock(tryRegion);
        var handler = ir.AddBlock(catchRegion);
        var exit = ir.AddBlock(null);
        tryRegion.Entry = body;
        catchRegion.Entry = handler;
        b.Branch(body);
        var cast = b.AtEnd(body).Emit(Opcode.CastClass, t.String, ir.Parameters[0]);
        cast.TypeOperand = t.String;
        var upper = b.Call(harness.Import(typeof(string).GetMethod(nameof(string.ToUpperInvariant))!), t.String, new Value[] { cast }, isVirtual: true);
        b.Leave(exit);
        var caught = b.AtEnd(handler).Emit(Opcode.ExceptionObject, catchRegion.CatchType);
        var type = b.Call(harness.Import(typeof(object).GetMethod(nameof(GetType))!), harness.Module.ImportReference(typeof(Type)), new Value[] { caught });
        var name = b.Call(harness.Import(typeof(Type).GetProperty(nameof(Type.Name))!.GetMethod!), t.String, new Value[] { type }, isVirtual: true);
        b.Leave(exit);
        var result = b.Phi(exit, t.String);
        result.AddPhiIncoming(body, upper);
        result.AddPhiIncoming(handler, name);
        b.AtEnd(exit).Return(result);

        using var loaded = harness.Load();
        Assert.That(loaded.Invoke(LoweringHarness.TypeName, "Describe", "abc"), Is.EqualTo("ABC"));
        Assert.That(loaded.Invoke(LoweringHarness.TypeName, "Describe", 5), Is.EqualTo(nameof(InvalidCastException)));
        Assert.Throws<NullReferenceException>(() => loaded.Invoke(LoweringHarness.TypeName, "Describe", new object?[] { null }));
    }

    [Test]
    public void CatchNestedInTryFinallyWithUnusedException()
    {
        // try { try { r = ((string)o).Length; } catch (InvalidCastException) { r = -1; } } finally { log[0]++; } return r;
        var harness = new LoweringHarness();
        var t = harness.Types;
        var (ir, method, b) = harness.Method("Nested", t.Int32, (t.Object, "o"), (new ArrayType(t.Int32), "log"));
        var outer = ir.AddRegion(RegionKind.Try, null);
        var finallyRegion = ir.AddRegion(RegionKind.Finally, null);
        var inner = ir.AddRegion(RegionKind.Try, outer);
        var catchRegion = ir.AddRegion(RegionKind.Catch, outer);
        outer.Handlers.Add(finallyRegion);
        finallyRegion.Try = outer;
        inner.Handlers.Add(catchRegion);
        catchRegion.Try = inner;
        catchRegion.CatchType = harness.Module.ImportReference(typeof(InvalidCastException));
        var body = ir.AddBlock(inner);
        var handler = ir.AddBlock(catchRegion);
        var join = ir.AddBlock(outer);
        var cleanup = ir.AddBlock(finallyRegion);
        var exit = ir.AddBlock(null);
        inner.Entry = body;
        outer.Entry = body;
        catchRegion.Entry = handler;
        finallyRegion.Entry = cleanup;
        b.Branch(body);
        var cast = b.AtEnd(body).Emit(Opcode.CastClass, t.String, ir.Parameters[0]);
        cast.TypeOperand = t.String;
        var length = b.Call(harness.Import(typeof(string).GetProperty(nameof(string.Length))!.GetMethod!), t.Int32, new Value[] { cast });
        b.Leave(join);
        b.AtEnd(handler).Leave(join);
        var r = b.Phi(join, t.Int32);
        r.AddPhiIncoming(body, length);
        r.AddPhiIncoming(handler, ir.Int32(-1));
        b.AtEnd(join).Leave(exit);
        var log = ir.Parameters[1];
        b.AtEnd(cleanup).StoreElement(log, ir.Int32(0), b.Add(b.LoadElement(log, ir.Int32(0), t.Int32), ir.Int32(1)), t.Int32);
        b.Emit(Opcode.EndFinally, t.Void);
        var result = b.Phi(exit, t.Int32);
        result.AddPhiIncoming(join, r);
        b.AtEnd(exit).Return(result);

        using var loaded = harness.Load();
        var calls = new int[1];
        Assert.That(loaded.Invoke(LoweringHarness.TypeName, "Nested", "four", calls), Is.EqualTo(4));
        Assert.That(loaded.Invoke(LoweringHarness.TypeName, "Nested", 4.0, calls), Is.EqualTo(-1));
        Assert.Throws<NullReferenceException>(() => loaded.Invoke(LoweringHarness.TypeName, "Nested", null, calls));
        Assert.That(calls[0], Is.EqualTo(3));
        Assert.That(method.Body.ExceptionHandlers[0].HandlerType, Is.EqualTo(Mono.Cecil.Cil.ExceptionHandlerType.Catch), "inner handler first");
    }

    [Test]
    public void FilterDecidesAndFaultRunsOnlyOnException()
    {
        // try { try { if (k != 0) throw new ArgumentException(k.ToString()); r = 1; } fault { log[0]++; } }
        // filter (((Exception)e).Message == "2") { r = -2 }  — other exceptions propagate.
        var harness = new LoweringHarness();
        var t = harness.Types;
        var (ir, method, b) = harness.Method("FilterFault", t.Int32, (t.Int32, "k"), (new ArrayType(t.Int32), "log"));
        var outer = ir.AddRegion(RegionKind.Try, null);
        var filter = ir.AddRegion(RegionKind.Filter, null);
        var handler = ir.AddRegion(RegionKind.FilteredCatch, null);
        var inner = ir.AddRegion(RegionKind.Try, outer);
        var fault = ir.AddRegion(RegionKind.Fault, outer);
        outer.Handlers.Add(handler);
        handler.Try = outer;
        handler.Filter = filter;
        filter.Try = outer;
        inner.Handlers.Add(fault);
        fault.Try = inner;
        var check = ir.AddBlock(inner);
        var raise = ir.AddBlock(inner);
        var done = ir.AddBlock(inner);
        var cleanup = ir.AddBlock(fault);
        var after = ir.AddBlock(outer);
        var decide = ir.AddBlock(filter);
        var caught = ir.AddBlock(handler);
        var exit = ir.AddBlock(null);
        inner.Entry = outer.Entry = check;
        fault.Entry = cleanup;
        filter.Entry = decide;
        handler.Entry = caught;
        var k = ir.Parameters[0];
        var slot = b.StackSlot(t.Int32, "k");
        b.Store(slot, k, t.Int32);
        b.Branch(check);
        b.AtEnd(check).BranchIf(b.Compare(ComparePredicate.NotEqualUn, k, ir.Int32(0)), raise, done);
        var text = b.AtEnd(raise).Call(harness.Import(typeof(int).GetMethod(nameof(int.ToString), Type.EmptyTypes)!), t.String, new Value[] { slot });
        b.Emit(Opcode.Throw, t.Void, b.NewObject(harness.Import(typeof(ArgumentException).GetConstructor(new[] { typeof(string) })!), new Value[] { text }));
        b.AtEnd(done).Leave(after);
        var log = ir.Parameters[1];
        b.AtEnd(cleanup).StoreElement(log, ir.Int32(0), b.Add(b.LoadElement(log, ir.Int32(0), t.Int32), ir.Int32(1)), t.Int32);
        b.Emit(Opcode.EndFinally, t.Void);
        b.AtEnd(after).Leave(exit);
        var exception = b.AtEnd(decide).Emit(Opcode.ExceptionObject, t.Object);
        var cast = b.Emit(Opcode.CastClass, harness.Module.ImportReference(typeof(Exception)), exception);
        cast.TypeOperand = harness.Module.ImportReference(typeof(Exception));
        var message = b.Call(harness.Import(typeof(Exception).GetProperty(nameof(Exception.Message))!.GetMethod!), t.String, new Value[] { cast }, isVirtual: true);
        var matches = b.Call(harness.Import(typeof(string).GetMethod("op_Equality", new[] { typeof(string), typeof(string) })!), t.Boolean, new Value[] { message, ir.String("2") });
        b.Emit(Opcode.EndFilter, t.Void, matches);
        b.AtEnd(caught).Emit(Opcode.ExceptionObject, t.Object);
        b.Leave(exit);
        var result = b.Phi(exit, t.Int32);
        result.AddPhiIncoming(after, ir.Int32(1));
        result.AddPhiIncoming(caught, ir.Int32(-2));
        b.AtEnd(exit).Return(result);

        using var loaded = harness.Load();
        var calls = new int[1];
        Assert.That(loaded.Invoke(LoweringHarness.TypeName, "FilterFault", 0, calls), Is.EqualTo(1));
        Assert.That(calls[0], Is.EqualTo(0), "fault handlers run only when an exception leaves their try");
        Assert.That(loaded.Invoke(LoweringHarness.TypeName, "FilterFault", 2, calls), Is.EqualTo(-2));
        Assert.Throws<ArgumentException>(() => loaded.Invoke(LoweringHarness.TypeName, "FilterFault", 3, calls));
        Assert.That(calls[0], Is.EqualTo(2));
        Assert.That(method.Body.ExceptionHandlers.Select(h => h.HandlerType), Is.EqualTo(new[] { Mono.Cecil.Cil.ExceptionHandlerType.Fault, Mono.Cecil.Cil.ExceptionHandlerType.Filter }));
    }
}
