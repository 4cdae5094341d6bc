using System;
using System.Collections.Generic;
using System.IO;
using Autodiff.Tests.Infrastructure;
using Autodiff.Weaver.Backend;
using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Tests.Backend;

/// <summary>
/// A fresh module in which tests build methods as IR by hand, lower them, write the module and load it
/// (JIT-compiling every method so invalid IL fails).
/// </summary>
internal sealed class LoweringHarness
{
    private readonly AssemblyDefinition assembly;
    private readonly List<(IrMethod Ir, MethodDefinition Method)> methods = new();

    public LoweringHarness()
    {
        assembly = AssemblyDefinition.CreateAssembly(new AssemblyNameDefinition("Lowered", new Version(1, 0, 0, 0)), "Lowered", ModuleKind.Dll);
        Types = new IrTypes(Module);
        Type = new TypeDefinition("Generated", "Functions", TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed | TypeAttributes.Class, Types.Object);
        Module.Types.Add(Type);
    }

    public const string TypeName = "Generated.Functions";

    public ModuleDefinition Module => assembly.MainModule;

    public TypeDefinition Type { get; }

    public IrTypes Types { get; }

    /// <summary>A public static method and its IR, with one IR parameter per CIL parameter and an empty entry block.</summary>
    public (IrMethod Ir, MethodDefinition Method, IrBuilder Builder) Method(string name, TypeReference returnType, params (TypeReference Type, string Name)[] parameters)
    {
        var method = new MethodDefinition(name, MethodAttributes.Public | MethodAttributes.Static | MethodAttributes.HideBySig, returnType);
        var ir = new IrMethod(Module, name, returnType);
        foreach (var (type, parameterName) in parameters)
        {
            method.Parameters.Add(new ParameterDefinition(parameterName, ParameterAttributes.None, type));
            ir.AddParameter(type, parameterName);
        }
        Type.Methods.Add(method);
        methods.Add((ir, method));
        var builder = new IrBuilder(ir);
        builder.AtEnd(ir.AddBlock(null));
        return (ir, method, builder);
    }

    public MethodReference Import(System.Reflection.MethodBase method) => Module.ImportReference(method);

    /// <summary>Verifies (unless told not to) and lowers every method built so far, writes the module and loads it.</summary>
    public LoadedAssembly Load(bool verify = true)
    {
        foreach (var (ir, method) in methods)
        {
            if (verify)
                IrVerifier.Check(ir);
            MethodLowerer.Lower(ir, method);
        }
        using var stream = new MemoryStream();
        assembly.Write(stream);
        var loaded = new LoadedAssembly(stream.ToArray());
        loaded.PrepareAllMethods();
        return loaded;
    }
}
