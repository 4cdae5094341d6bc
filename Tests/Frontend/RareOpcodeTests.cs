using System;
using System.Linq;
using Autodiff.Weaver.Frontend;
using Autodiff.Weaver.Ir;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;
using NUnit.Framework;
using Instruction = Autodiff.Weaver.Ir.Instruction;

namespace Autodiff.Tests.Frontend;

/// <summary>Opcodes the C# compiler emits rarely, written directly with Cecil and lifted.</summary>
public sealed class RareOpcodeTests
{
    private const string Helpers = """
        public class C
        {
            public static string? Text;
            public static double Identity(double x) => x;
            public static void Sink(double x) { }
        }
        """;

    private CompiledModule module = null!;
    private TypeDefinition c = null!;

    [SetUp]
    public void Compile()
    {
        module = CompiledModule.Compile(Helpers);
        c = module.Module.GetType("C");
    }

    [TearDown]
    public void Dispose() => module.Dispose();

    private TypeReference Double => module.Module.TypeSystem.Double;

    private MethodDefinition Helper(string name) => c.Methods.Single(m => m.Name == name);

    /// <summary>Adds a static method with the given signature and body to C and lifts it.</summary>
    private IrMethod Lift(TypeReference returnType, TypeReference[] parameters, Action<ILProcessor, MethodDefinition> body)
    {
        var method = new MethodDefinition("Written", MethodAttributes.Public | MethodAttributes.Static, returnType);
        for (var i = 0; i < parameters.Length; i++)
            method.Parameters.Add(new ParameterDefinition("p" + i, ParameterAttributes.None, parameters[i]));
        c.Methods.Add(method);
        body(method.Body.GetILProcessor(), method);
        method.Body.OptimizeMacros();
        var lifted = MethodLifter.Lift(method);
        IrVerifier.Check(lifted);
        return lifted;
    }

    private static Instruction Single(IrMethod method, Opcode opcode) =>
        method.Blocks.SelectMany(b => b.Instructions).Single(i => i.Opcode == opcode);

    [Test]
    public void CalliTakesArgumentsThenTheFunctionPointer()
    {
        var lifted = Lift(Double, new[] { Double }, (il, _) =>
        {
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldftn, Helper("Identity"));
            var site = new CallSite(Double);
            site.Parameters.Add(new ParameterDefinition(Double));
            il.Emit(OpCodes.Calli, site);
            il.Emit(OpCodes.Ret);
        });
        var call = Single(lifted, Opcode.CallIndirect);
        Assert.That(call.Operands, Is.EqualTo(new Value[] { lifted.Parameters[0], Single(lifted, Opcode.LoadFunction) }));
        Assert.That(call.Signature!.ReturnType.MetadataType, Is.EqualTo(MetadataType.Double));
        Assert.That(call.Type.MetadataType, Is.EqualTo(MetadataType.Double));
    }

    [Test]
    public void TypedReferencesOfAnAddressTakenArgument()
    {
        var lifted = Lift(Double, new[] { Double }, (il, method) =>
        {
            il.Emit(OpCodes.Ldarga, method.Parameters[0]);
            il.Emit(OpCodes.Mkrefany, Double);
            il.Emit(OpCodes.Dup);
            il.Emit(OpCodes.Refanytype);
            il.Emit(OpCodes.Pop);
            il.Emit(OpCodes.Refanyval, Double);
            il.Emit(OpCodes.Ldind_R8);
            il.Emit(OpCodes.Ckfinite);
            il.Emit(OpCodes.Ret);
        });
        var slot = Single(lifted, Opcode.StackSlot);
        Assert.That(lifted.Entry.Instructions[1].Opcode, Is.EqualTo(Opcode.Store), "the argument is copied into its slot at entry");
        Assert.That(Single(lifted, Opcode.MakeTypedReference).Operands.Single(), Is.SameAs(slot));
        Assert.That(Single(lifted, Opcode.TypedReferenceType).Type.Name, Is.EqualTo("RuntimeTypeHandle"));
        Assert.That(Single(lifted, Opcode.TypedReferenceValue).Type.IsByReference, Is.True);
        Assert.That(Single(lifted, Opcode.Load).Type.MetadataType, Is.EqualTo(MetadataType.Double));
        Assert.That(Single(lifted, Opcode.CheckFinite).Type.MetadataType, Is.EqualTo(MetadataType.Double));
    }

    [Test]
    public void BlockCopiesKeepVolatileAndUnalignedPrefixes()
    {
        var pointer = new PointerType(module.Module.TypeSystem.Byte);
        var lifted = Lift(module.Module.TypeSystem.Void, new TypeReference[] { pointer, pointer }, (il, _) =>
        {
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Ldc_I4_8);
            il.Emit(OpCodes.Unaligned, (byte)1);
            il.Emit(OpCodes.Volatile);
            il.Emit(OpCodes.Cpblk);
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldc_I4_0);
            il.Emit(OpCodes.Ldc_I4_8);
            il.Emit(OpCodes.Initblk);
            il.Emit(OpCodes.Ret);
        });
        var copy = Single(lifted, Opcode.CopyBlock);
        Assert.That(copy.Flags, Is.EqualTo(InstructionFlags.Unaligned | InstructionFlags.Volatile));
        Assert.That(copy.Alignment, Is.EqualTo(1));
        Assert.That(copy.Operands, Is.EqualTo(new Value[] { lifted.Parameters[0], lifted.Parameters[1], lifted.Int32(8) }));
        Assert.That(Single(lifted, Opcode.InitBlock).Flags, Is.EqualTo(InstructionFlags.None));
    }

    [Test]
    public void TailCallAndJump()
    {
        var tail = Lift(Double, new[] { Double }, (il, _) =>
        {
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Tail);
            il.Emit(OpCodes.Call, Helper("Identity"));
            il.Emit(OpCodes.Ret);
        });
        Assert.That(Single(tail, Opcode.Call).Flags, Is.EqualTo(InstructionFlags.Tail));

        var jump = Lift(Double, new[] { Double }, (il, _) => il.Emit(OpCodes.Jmp, Helper("Identity")));
        Assert.That(jump.Entry.Terminator!.Opcode, Is.EqualTo(Opcode.Jump));
        Assert.That(jump.Entry.Terminator.Member!.Name, Is.EqualTo("Identity"));
    }

    [Test]
    public void TokensSizesAndStackAllocation()
    {
        var lifted = Lift(module.Module.TypeSystem.Void, Array.Empty<TypeReference>(), (il, _) =>
        {
            il.Emit(OpCodes.Ldtoken, Double);
            il.Emit(OpCodes.Pop);
            il.Emit(OpCodes.Ldtoken, Helper("Identity"));
            il.Emit(OpCodes.Pop);
            il.Emit(OpCodes.Ldtoken, c.Fields.Single());
            il.Emit(OpCodes.Pop);
            il.Emit(OpCodes.Sizeof, Double);
            il.Emit(OpCodes.Localloc);
            il.Emit(OpCodes.Pop);
            il.Emit(OpCodes.Ret);
        });
        var tokens = lifted.Entry.Instructions.Where(i => i.Opcode == Opcode.LoadToken).Select(i => i.Type.Name);
        Assert.That(tokens, Is.EqualTo(new[] { "RuntimeTypeHandle", "RuntimeMethodHandle", "RuntimeFieldHandle" }));
        Assert.That(Single(lifted, Opcode.LocalAlloc).Operands.Single(), Is.SameAs(Single(lifted, Opcode.SizeOf)));
        Assert.That(Single(lifted, Opcode.LocalAlloc).Type.IsPointer, Is.True);
    }

    [Test]
    public void CheckedUnsignedConversionsAndArgumentStores()
    {
        var lifted = Lift(module.Module.TypeSystem.Byte, new[] { module.Module.TypeSystem.Int32 }, (il, method) =>
        {
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldc_I4_1);
            il.Emit(OpCodes.Add_Ovf_Un);
            il.Emit(OpCodes.Starg, method.Parameters[0]);
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Conv_Ovf_U1_Un);
            il.Emit(OpCodes.Ret);
        });
        var add = Single(lifted, Opcode.AddOvfUn);
        var convert = Single(lifted, Opcode.Convert);
        Assert.That(convert.Operands.Single(), Is.SameAs(add));
        Assert.That(convert.Flags, Is.EqualTo(InstructionFlags.Checked | InstructionFlags.UnsignedSource));
        Assert.That(convert.TypeOperand!.MetadataType, Is.EqualTo(MetadataType.Byte));
    }

    [Test]
    public void IndirectReferenceLoadsUseThePointeeType()
    {
        var lifted = Lift(module.Module.TypeSystem.String, Array.Empty<TypeReference>(), (il, _) =>
        {
            il.Emit(OpCodes.Ldsflda, c.Fields.Single());
            il.Emit(OpCodes.Ldind_Ref);
            il.Emit(OpCodes.Ret);
        });
        Assert.That(Single(lifted, Opcode.Load).Type.MetadataType, Is.EqualTo(MetadataType.String));
        Assert.That(Single(lifted, Opcode.StaticFieldAddress).Member!.Name, Is.EqualTo("Text"));
    }

    [Test]
    public void StackDepthMismatchIsReported()
    {
        var error = Assert.Throws<Autodiff.Weaver.Diagnostics.WeaverException>(() => Lift(Double, new[] { Double }, (il, _) =>
        {
            var join = il.Create(OpCodes.Ret);
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldc_R8, 0.0);
            il.Emit(OpCodes.Bgt, join);
            il.Emit(OpCodes.Ldarg_0);
            il.Append(join);
        }))!;
        Assert.That(error.Message, Does.Contain("the evaluation stack has depth"));
    }
}
