using System.Linq;
using Autodiff.Weaver.Diagnostics;
using Autodiff.Weaver.Frontend;
using Autodiff.Weaver.Ir;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;
using NUnit.Framework;
using Instruction = Autodiff.Weaver.Ir.Instruction;

namespace Autodiff.Tests.Frontend;

/// <summary>What the lifter promises beyond the golden text: types, names, locations, regions and errors.</summary>
public sealed class MethodLifterTests
{
    private static IrMethod Lift(string source, string method, string type = "C")
    {
        using var module = CompiledModule.Compile(source, allowUnsafe: true);
        var lifted = MethodLifter.Lift(module.Method(type, method));
        IrVerifier.Check(lifted);
        return lifted;
    }

    private static Instruction[] All(IrMethod method) => method.Blocks.SelectMany(b => b.Instructions).ToArray();

    [Test]
    public void ParametersMatchCilArgumentsWithThisFirst()
    {
        const string source = """
            public struct S { public double V; public double Get(double k) => V * k; }
            public class K { public double V; public double Get(double k) => V * k; }
            """;
        var onStruct = Lift(source, "Get", "S");
        var onClass = Lift(source, "Get", "K");

        Assert.That(onStruct.Name, Is.EqualTo("S::Get"));
        Assert.That(onStruct.Parameters.Select(p => p.Name), Is.EqualTo(new[] { "this", "k" }));
        Assert.That(onStruct.Parameters[0].Type, Is.InstanceOf<ByReferenceType>());
        Assert.That(((ByReferenceType)onStruct.Parameters[0].Type).ElementType.Name, Is.EqualTo("S"));
        Assert.That(onClass.Parameters[0].Type.Name, Is.EqualTo("K"));
        Assert.That(onClass.Parameters[0].Type.IsByReference, Is.False);
        Assert.That(onClass.ReturnType.MetadataType, Is.EqualTo(MetadataType.Double));
        Assert.That(onClass.Source!.Name, Is.EqualTo("Get"));
    }

    [Test]
    public void BoolLocalKeepsBoolType()
    {
        var lifted = Lift("""
            public static class C
            {
                public static int F(int[] xs, int t)
                {
                    bool any = false;
                    foreach (var x in xs)
                        any |= x > t;
                    return any ? 1 : 0;
                }
            }
            """, "F");
        var merged = All(lifted).Single(i => i.Opcode == Opcode.Phi && i.Name == "any");
        var combined = All(lifted).Single(i => i.Opcode == Opcode.Or);
        Assert.That(merged.Type.MetadataType, Is.EqualTo(MetadataType.Boolean));
        Assert.That(combined.Type.MetadataType, Is.EqualTo(MetadataType.Boolean));
        Assert.That(merged.Operands, Does.Contain(lifted.Boolean(false)));
    }

    [Test]
    public void BoolArgumentAndFieldReadsAreBoolTyped()
    {
        var lifted = Lift("""
            public class C
            {
                private bool flag;
                public bool F(bool a) => a & flag;
            }
            """, "F");
        var load = All(lifted).Single(i => i.Opcode == Opcode.LoadField);
        Assert.That(lifted.Parameters[1].Type.MetadataType, Is.EqualTo(MetadataType.Boolean));
        Assert.That(load.Type.MetadataType, Is.EqualTo(MetadataType.Boolean));
    }

    [Test]
    public void EveryInstructionCarriesTheSequencePointInEffect()
    {
        var lifted = Lift("""
            public static class C
            {
                public static double F(double x)
                {
                    double y = x * x;
                    double z = System.Math.Sin(y);
                    return y + z;
                }
            }
            """, "F");
        int? LineOf(Opcode opcode) => All(lifted).Single(i => i.Opcode == opcode).DebugLocation?.StartLine;
        Assert.That(LineOf(Opcode.Mul), Is.EqualTo(5));
        Assert.That(LineOf(Opcode.Call), Is.EqualTo(6));
        Assert.That(LineOf(Opcode.Add), Is.EqualTo(7));
        Assert.That(LineOf(Opcode.Return), Is.EqualTo(7));
        Assert.That(All(lifted)[0].DebugLocation!.Document.Url, Does.EndWith("TestSubject.cs"));
    }

    [Test]
    public void ValuesTakeLocalNames()
    {
        var lifted = Lift("""
            public static class C
            {
                public static double F(double[] xs, int n)
                {
                    double total = 0;
                    for (int i = 0; i < n; i++)
                        total += xs[i] * xs[i];
                    return total;
                }
            }
            """, "F");
        var names = All(lifted).Where(i => i.Opcode == Opcode.Phi).Select(i => i.Name);
        Assert.That(names, Is.EquivalentTo(new[] { "total", "i" }));
        Assert.That(lifted.Parameters.Select(p => p.Name), Is.EqualTo(new[] { "xs", "n" }));
    }

    [Test]
    public void GenericReturnTypesAreSubstitutedAndConstrainedPrefixIsKept()
    {
        var lifted = Lift("""
            using System.Collections.Generic;
            public static class C
            {
                public static double F(List<double> xs, KeyValuePair<string, double> pair) => xs[0] + pair.Value + Min(1.0, 2.0);
                public static T Min<T>(T a, T b) where T : System.IComparable<T> => a.CompareTo(b) < 0 ? a : b;
            }
            """, "F");
        var calls = All(lifted).Where(i => i.Opcode is Opcode.Call or Opcode.CallVirtual).ToArray();
        Assert.That(calls.Select(c => c.Type.MetadataType), Is.All.EqualTo(MetadataType.Double));

        var min = Lift("""
            public static class C
            {
                public static T Min<T>(T a, T b) where T : System.IComparable<T> => a.CompareTo(b) < 0 ? a : b;
            }
            """, "Min");
        var compareTo = All(min).Single(i => i.Opcode == Opcode.CallVirtual);
        Assert.That(compareTo.TypeOperand!.Name, Is.EqualTo("T"));
        Assert.That(compareTo.Operands[0].Type.IsByReference, Is.True);
    }

    [Test]
    public void TernaryValueOnTheStackBecomesAPhi()
    {
        var lifted = Lift("public static class C { public static double F(bool c, double a, double b) => (c ? a : b) * 2; }", "F");
        var phi = All(lifted).Single(i => i.Opcode == Opcode.Phi);
        Assert.That(phi.Operands, Is.EquivalentTo(new Value[] { lifted.Parameters[1], lifted.Parameters[2] }));
        Assert.That(phi.Type.MetadataType, Is.EqualTo(MetadataType.Double));
        Assert.That(phi.Uses.Single().User.Opcode, Is.EqualTo(Opcode.Mul));
    }

    [Test]
    public void TryCatchBecomesSiblingRegionsWithTheExceptionFirstInTheCatch()
    {
        var lifted = Lift("""
            public static class C
            {
                public static double F(double[] a)
                {
                    try { return a[0]; }
                    catch (System.IndexOutOfRangeException e) { System.Console.WriteLine(e.Message); return 0; }
                }
            }
            """, "F");
        var tryRegion = lifted.Regions.Single(r => r.Kind == RegionKind.Try);
        var catchRegion = lifted.Regions.Single(r => r.Kind == RegionKind.Catch);
        Assert.That(catchRegion.Try, Is.SameAs(tryRegion));
        Assert.That(tryRegion.Handlers, Is.EqualTo(new[] { catchRegion }));
        Assert.That(catchRegion.Parent, Is.SameAs(tryRegion.Parent));
        Assert.That(catchRegion.CatchType!.Name, Is.EqualTo("IndexOutOfRangeException"));
        var first = catchRegion.Entry.Instructions[0];
        Assert.That(first.Opcode, Is.EqualTo(Opcode.ExceptionObject));
        Assert.That(first.Type.Name, Is.EqualTo("IndexOutOfRangeException"));
        Assert.That(tryRegion.Entry.ExceptionalSuccessors, Is.EqualTo(new[] { catchRegion.Entry }));
    }

    [Test]
    public void PrefixesBecomeFlags()
    {
        var lifted = Lift("""
            public static class C
            {
                private static volatile int counter;
                public static int F(int[] a) { counter = a.Length; return counter; }
            }
            """, "F");
        Assert.That(All(lifted).Where(i => i.Opcode is Opcode.StoreStaticField or Opcode.LoadStaticField).Select(i => i.Flags),
            Is.All.EqualTo(InstructionFlags.Volatile));
    }

    [Test]
    public void UnsafeCodeLiftsPointerOperations()
    {
        var lifted = Lift("""
            public static unsafe class C
            {
                public static double F(double[] a, int n)
                {
                    double* buffer = stackalloc double[n];
                    fixed (double* p = a)
                    {
                        buffer[0] = *p;
                    }
                    return buffer[0] + sizeof(System.Numerics.Vector2);
                }
            }
            """, "F");
        var opcodes = All(lifted).Select(i => i.Opcode).ToList();
        Assert.That(opcodes, Does.Contain(Opcode.LocalAlloc));
        Assert.That(opcodes, Does.Contain(Opcode.SizeOf));
        Assert.That(lifted.Entry.Instructions.Any(i => i.Opcode == Opcode.StackSlot && i.Flags == InstructionFlags.Pinned), Is.True);
    }

    [Test]
    public void UnreachableCodeIsDropped()
    {
        using var module = CompiledModule.Compile("public static class C { public static int F() => 1; }");
        var method = module.Method("C", "F");
        var il = method.Body.GetILProcessor();
        method.Body.Instructions.Clear();
        il.Emit(OpCodes.Ldc_I4_1);
        il.Emit(OpCodes.Ret);
        il.Emit(OpCodes.Ldc_I4_2);
        il.Emit(OpCodes.Ret);
        method.Body.OptimizeMacros();

        var lifted = MethodLifter.Lift(method);

        IrVerifier.Check(lifted);
        Assert.That(lifted.Blocks, Has.Count.EqualTo(1));
        Assert.That(lifted.Entry.Instructions.Single().Operands.Single(), Is.SameAs(lifted.Int32(1)));
    }

    [Test]
    public void UnsupportedOpcodeReportsWhereAndWhat()
    {
        using var module = CompiledModule.Compile("public static class C { public static void F() { } }");
        var method = module.Method("C", "F");
        var il = method.Body.GetILProcessor();
        method.Body.Instructions.Clear();
        il.Emit(OpCodes.Nop);
        il.Emit(OpCodes.Break);
        il.Emit(OpCodes.Ret);
        method.Body.OptimizeMacros();

        var error = Assert.Throws<WeaverException>(() => MethodLifter.Lift(method))!;

        Assert.That(error.Code, Is.EqualTo(DiagnosticCode.UnsupportedInstruction));
        Assert.That(error.Message, Does.StartWith("break at IL_0001 in C::F is not supported: "));
    }

    [Test]
    public void MethodWithoutBodyIsAMissingBody()
    {
        using var module = CompiledModule.Compile("public abstract class C { public abstract double F(double x); }");
        var error = Assert.Throws<WeaverException>(() => MethodLifter.Lift(module.Method("C", "F")))!;
        Assert.That(error.Code, Is.EqualTo(DiagnosticCode.MissingBody));
    }

    [Test]
    public void LocalCarriedAroundALoopThroughATryLivesInASlot()
    {
        var lifted = Lift("""
            public static class C
            {
                public static double F(double[] xs)
                {
                    double last = 0;
                    foreach (var x in xs)
                    {
                        try { last = System.Math.Sqrt(x) + last; }
                        catch (System.ArithmeticException) { }
                    }
                    return last;
                }
            }
            """, "F");
        var slots = lifted.Entry.Instructions.Where(i => i.Opcode == Opcode.StackSlot).Select(i => i.Name);
        Assert.That(slots, Does.Contain("last"));
        Assert.That(All(lifted).Where(i => i.Opcode == Opcode.Phi).All(p => p.Block!.Region == null), Is.True);
    }
}
