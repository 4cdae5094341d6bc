using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Autodiff.Tests.Infrastructure;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;
using NUnit.Framework;

// FodyHelpers marks Cecil's TypeSystem obsolete in favour of Fody's; these tests run outside Fody.
#pragma warning disable CS0618

namespace Autodiff.Tests.RoundTrip;

/// <summary>
/// Opcodes and prefixes the C# compiler rarely emits, written with Cecil, round-tripped, and checked twice: the
/// rewritten method behaves like the original, and keeps every prefix and special opcode it had (ldobj/stobj of a
/// whole local are canonicalized to ldloc/stloc, so they are not among them).
/// </summary>
public sealed class RareOpcodeRoundTripTests
{
    private const string Helpers = """
        public class C
        {
            public static string? Text = "text";
            public static double Identity(double x) => x;
        }
        """;

    private static readonly HashSet<Code> Preserved = new()
    {
        Code.Volatile, Code.Unaligned, Code.Readonly, Code.Tail, Code.Constrained, Code.Calli, Code.Mkrefany,
        Code.Refanyval, Code.Refanytype, Code.Ckfinite, Code.Cpblk, Code.Initblk, Code.Cpobj, Code.Sizeof, Code.Localloc,
        Code.Jmp, Code.Ldtoken, Code.Ldvirtftn, Code.Ldftn, Code.Conv_Ovf_I1_Un, Code.Conv_R_Un, Code.Conv_Ovf_U_Un,
        Code.Conv_Ovf_I2, Code.Unbox, Code.Ldelema, Code.Ldsfld, Code.Stelem_Ref, Code.Ldind_U1,
        Code.Ldind_I2, Code.Stind_I2,
    };

    private delegate void Body(ILProcessor il, MethodDefinition method, ModuleDefinition module);

    private static readonly (string Name, Func<ModuleDefinition, TypeReference> Return, Func<ModuleDefinition, TypeReference[]> Parameters, Body Body, object?[][] Inputs)[] Methods =
    {
        ("Calli", m => m.TypeSystem.Double, m => new[] { m.TypeSystem.Double }, (il, _, m) =>
        {
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldftn, Identity(m));
            var site = new CallSite(m.TypeSystem.Double);
            site.Parameters.Add(new ParameterDefinition(m.TypeSystem.Double));
            il.Emit(OpCodes.Calli, site);
            il.Emit(OpCodes.Ret);
        }, new[] { new object?[] { 2.5 } }),
        ("TypedReference", m => m.TypeSystem.Double, m => new[] { m.TypeSystem.Double }, (il, method, m) =>
        {
            il.Emit(OpCodes.Ldarga, method.Parameters[0]);
            il.Emit(OpCodes.Mkrefany, m.TypeSystem.Double);
            il.Emit(OpCodes.Dup);
            il.Emit(OpCodes.Refanytype);
            il.Emit(OpCodes.Call, m.ImportReference(typeof(Type).GetMethod(nameof(Type.GetTypeFromHandle))!));
            il.Emit(OpCodes.Pop);
            il.Emit(OpCodes.Refanyval, m.TypeSystem.Double);
            il.Emit(OpCodes.Ldind_R8);
            il.Emit(OpCodes.Ckfinite);
            il.Emit(OpCodes.Ret);
        }, new[] { new object?[] { 1.5 }, new object?[] { double.NaN } }),
        ("Blocks", m => m.TypeSystem.Int32, _ => Array.Empty<TypeReference>(), (il, method, m) =>
        {
            // p = localloc 16; initblk(p, 7, 16); q = localloc 16; unaligned. volatile. cpblk(q, p, 8); *(short*)q = 258; return *(byte*)q + *(byte*)(q + 7) + *(short*)q
            method.Body.InitLocals = true;
            var p = new VariableDefinition(new PointerType(m.TypeSystem.Byte));
            var q = new VariableDefinition(new PointerType(m.TypeSystem.Byte));
            method.Body.Variables.Add(p);
            method.Body.Variables.Add(q);
            il.Emit(OpCodes.Ldc_I4, 16);
            il.Emit(OpCodes.Conv_U);
            il.Emit(OpCodes.Localloc);
            il.Emit(OpCodes.Stloc, p);
            il.Emit(OpCodes.Ldloc, p);
            il.Emit(OpCodes.Ldc_I4_7);
            il.Emit(OpCodes.Ldc_I4, 16);
            il.Emit(OpCodes.Volatile);
            il.Emit(OpCodes.Initblk);
            il.Emit(OpCodes.Ldc_I4, 16);
            il.Emit(OpCodes.Conv_U);
            il.Emit(OpCodes.Localloc);
            il.Emit(OpCodes.Stloc, q);
            il.Emit(OpCodes.Ldloc, q);
            il.Emit(OpCodes.Ldloc, p);
            il.Emit(OpCodes.Ldc_I4_8);
            il.Emit(OpCodes.Unaligned, (byte)1);
            il.Emit(OpCodes.Volatile);
            il.Emit(OpCodes.Cpblk);
            il.Emit(OpCodes.Ldloc, q);
            il.Emit(OpCodes.Ldc_I4, 258);
            il.Emit(OpCodes.Stind_I2);
            il.Emit(OpCodes.Ldloc, q);
            il.Emit(OpCodes.Ldind_U1);
            il.Emit(OpCodes.Ldloc, q);
            il.Emit(OpCodes.Ldc_I4_7);
            il.Emit(OpCodes.Add);
            il.Emit(OpCodes.Ldind_U1);
            il.Emit(OpCodes.Add);
            il.Emit(OpCodes.Ldloc, q);
            il.Emit(OpCodes.Ldind_I2);
            il.Emit(OpCodes.Add);
            il.Emit(OpCodes.Ret);
        }, new[] { Array.Empty<object?>() }),
        ("TailCall", m => m.TypeSystem.Double, m => new[] { m.TypeSystem.Double }, (il, _, m) =>
        {
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Tail);
            il.Emit(OpCodes.Call, Identity(m));
            il.Emit(OpCodes.Ret);
        }, new[] { new object?[] { -3.0 } }),
        ("Jump", m => m.TypeSystem.Double, m => new[] { m.TypeSystem.Double }, (il, _, m) => il.Emit(OpCodes.Jmp, Identity(m)), new[] { new object?[] { 4.25 } }),
        ("ReadOnlyPrefix", m => m.TypeSystem.Int32, m => new TypeReference[] { new ArrayType(m.TypeSystem.Int32), new ArrayType(m.TypeSystem.Object) }, (il, _, m) =>
        {
            // b[0] = "x"; return a[1] + 1 with a[1] read through a readonly. address. (CoreCLR rejects the no. prefix.)
            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Ldc_I4_0);
            il.Emit(OpCodes.Ldstr, "x");
            il.Emit(OpCodes.Stelem_Ref);
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldc_I4_1);
            il.Emit(OpCodes.Readonly);
            il.Emit(OpCodes.Ldelema, m.TypeSystem.Int32);
            il.Emit(OpCodes.Ldind_I4);
            il.Emit(OpCodes.Ldc_I4_1);
            il.Emit(OpCodes.Add);
            il.Emit(OpCodes.Ret);
        }, new[] { new object?[] { new[] { 1, 2 }, new object[1] }, new object?[] { new[] { 1 }, new object[1] } }),
        ("VolatileStatic", m => m.TypeSystem.String, _ => Array.Empty<TypeReference>(), (il, method, m) =>
        {
            il.Emit(OpCodes.Volatile);
            il.Emit(OpCodes.Ldsfld, method.DeclaringType.Fields.Single(f => f.Name == "Text"));
            il.Emit(OpCodes.Ret);
        }, new[] { Array.Empty<object?>() }),
        ("Conversions", m => m.TypeSystem.Double, m => new[] { m.TypeSystem.UInt64, m.TypeSystem.Int32 }, (il, _, m) =>
        {
            // (double)a (conv.r.un) + checked((sbyte)(uint)b) (conv.ovf.i1.un) + checked((short)b) + (double)checked((nuint)(ulong)a)
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Conv_R_Un);
            il.Emit(OpCodes.Conv_R8);
            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Conv_Ovf_I1_Un);
            il.Emit(OpCodes.Conv_R8);
            il.Emit(OpCodes.Add);
            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Conv_Ovf_I2);
            il.Emit(OpCodes.Conv_R8);
            il.Emit(OpCodes.Add);
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Conv_Ovf_U_Un);
            il.Emit(OpCodes.Conv_R_Un);
            il.Emit(OpCodes.Conv_R8);
            il.Emit(OpCodes.Add);
            il.Emit(OpCodes.Ret);
        }, new[] { new object?[] { 5UL, 7 }, new object?[] { ulong.MaxValue, 100 }, new object?[] { 3UL, 200 }, new object?[] { 3UL, -40000 } }),
        ("Constrained", m => m.TypeSystem.String, m => new[] { m.TypeSystem.Int32 }, (il, method, m) =>
        {
            il.Emit(OpCodes.Ldarga, method.Parameters[0]);
            il.Emit(OpCodes.Constrained, m.TypeSystem.Int32);
            il.Emit(OpCodes.Callvirt, m.ImportReference(typeof(object).GetMethod(nameof(ToString))!));
            il.Emit(OpCodes.Ret);
        }, new[] { new object?[] { 42 } }),
        ("TokensAndFunctions", m => m.TypeSystem.String, m => new[] { m.TypeSystem.Object }, (il, _, m) =>
        {
            // typeof(Guid).Name + sizeof(Guid) + new Func<string>(o.ToString)() via ldvirtftn
            il.Emit(OpCodes.Ldtoken, m.ImportReference(typeof(Guid)));
            il.Emit(OpCodes.Call, m.ImportReference(typeof(Type).GetMethod(nameof(Type.GetTypeFromHandle))!));
            il.Emit(OpCodes.Callvirt, m.ImportReference(typeof(System.Reflection.MemberInfo).GetProperty(nameof(Type.Name))!.GetMethod!));
            il.Emit(OpCodes.Sizeof, m.ImportReference(typeof(Guid)));
            il.Emit(OpCodes.Box, m.TypeSystem.UInt32);
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Dup);
            il.Emit(OpCodes.Ldvirtftn, m.ImportReference(typeof(object).GetMethod(nameof(ToString))!));
            il.Emit(OpCodes.Newobj, m.ImportReference(typeof(Func<string>).GetConstructors().Single()));
            il.Emit(OpCodes.Callvirt, m.ImportReference(typeof(Func<string>).GetMethod("Invoke")!));
            il.Emit(OpCodes.Call, m.ImportReference(typeof(string).GetMethod(nameof(string.Concat), new[] { typeof(object), typeof(object), typeof(object) })!));
            il.Emit(OpCodes.Ret);
        }, new[] { new object?[] { 12.5 }, new object?[] { "s" } }),
        ("Objects", m => m.TypeSystem.Int32, m => new[] { m.TypeSystem.Int32 }, (il, method, m) =>
        {
            // int a = x; int b; cpobj(&b, &a); return unbox<int>(box(b)) + ldobj(&b)
            var a = new VariableDefinition(m.TypeSystem.Int32);
            var b = new VariableDefinition(m.TypeSystem.Int32);
            method.Body.Variables.Add(a);
            method.Body.Variables.Add(b);
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Stloc, a);
            il.Emit(OpCodes.Ldloca, b);
            il.Emit(OpCodes.Ldloca, a);
            il.Emit(OpCodes.Cpobj, m.TypeSystem.Int32);
            il.Emit(OpCodes.Ldloc, b);
            il.Emit(OpCodes.Box, m.TypeSystem.Int32);
            il.Emit(OpCodes.Unbox, m.TypeSystem.Int32);
            il.Emit(OpCodes.Ldind_I4);
            il.Emit(OpCodes.Ldloca, b);
            il.Emit(OpCodes.Ldobj, m.TypeSystem.Int32);
            il.Emit(OpCodes.Add);
            il.Emit(OpCodes.Ldloca, a);
            il.Emit(OpCodes.Ldc_I4_5);
            il.Emit(OpCodes.Stobj, m.TypeSystem.Int32);
            il.Emit(OpCodes.Ldloc, a);
            il.Emit(OpCodes.Add);
            il.Emit(OpCodes.Ret);
        }, new[] { new object?[] { 20 } }),
    };

    private static MethodReference Identity(ModuleDefinition module) => module.GetType("C").Methods.Single(m => m.Name == "Identity");

    [Test]
    public void RareOpcodesSurviveTheRoundTrip()
    {
        var compiled = TestCompiler.Compile(Helpers, assemblyName: "RareOpcodes");
        var resolver = new DefaultAssemblyResolver();
        resolver.AddSearchDirectory(Path.GetDirectoryName(typeof(object).Assembly.Location)!);
        byte[] original;
        using (var module = ModuleDefinition.ReadModule(new MemoryStream(compiled.Assembly), new ReaderParameters { AssemblyResolver = resolver }))
        {
            var c = module.GetType("C");
            foreach (var (name, returnType, parameters, body, _) in Methods)
            {
                var method = new MethodDefinition(name, MethodAttributes.Public | MethodAttributes.Static | MethodAttributes.HideBySig, returnType(module));
                foreach (var parameter in parameters(module))
                    method.Parameters.Add(new ParameterDefinition("p" + method.Parameters.Count, ParameterAttributes.None, parameter));
                c.Methods.Add(method);
                body(method.Body.GetILProcessor(), method, module);
                method.Body.OptimizeMacros();
            }
            using var stream = new MemoryStream();
            module.Write(stream);
            original = stream.ToArray();
        }

        var output = RoundTripModule.Run(original, null);
        Assert.That(output.Report.Failures, Is.Empty, output.Report.ToString());
        using (var before = ModuleDefinition.ReadModule(new MemoryStream(original), new ReaderParameters { AssemblyResolver = resolver }))
        using (var after = ModuleDefinition.ReadModule(new MemoryStream(output.Assembly), new ReaderParameters { AssemblyResolver = resolver }))
        {
            foreach (var (name, _, _, _, _) in Methods)
            {
                var expected = Codes(before, name);
                var actual = Codes(after, name);
                Assert.That(actual, Is.SupersetOf(expected), name + " keeps its special opcodes and prefixes");
            }
        }

        using var originalAssembly = new LoadedAssembly(original);
        using var rewrittenAssembly = new LoadedAssembly(output.Assembly);
        rewrittenAssembly.PrepareAllMethods();
        foreach (var (name, _, _, _, inputs) in Methods)
        {
            foreach (var arguments in inputs)
            {
                var expected = Outcome(() => originalAssembly.Invoke("C", name, Copy(arguments)));
                var actual = Outcome(() => rewrittenAssembly.Invoke("C", name, Copy(arguments)));
                Assert.That(actual, Is.EqualTo(expected), $"{name}({string.Join(", ", arguments)})");
            }
        }
    }

    private static List<Code> Codes(ModuleDefinition module, string method) =>
        module.GetType("C").Methods.Single(m => m.Name == method).Body.Instructions.Select(i => i.OpCode.Code).Where(Preserved.Contains).Distinct().ToList();

    private static object?[] Copy(object?[] arguments) =>
        arguments.Select(a => a is Array array ? array.Clone() : a).ToArray();

    private static string Outcome(Func<object?> call)
    {
        try
        {
            var result = call();
            return result switch
            {
                double d => BitConverter.DoubleToInt64Bits(d).ToString("X16", System.Globalization.CultureInfo.InvariantCulture),
                _ => Convert.ToString(result, System.Globalization.CultureInfo.InvariantCulture) ?? "null",
            };
        }
        catch (Exception e)
        {
            return "throws " + e.GetType().FullName;
        }
    }
}
