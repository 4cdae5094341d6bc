using System;
using System.IO;
using System.Linq;
using Autodiff.Tests.Infrastructure;
using Autodiff.Weaver.Backend;
using Autodiff.Weaver.Differentiation;
using Autodiff.Weaver.Frontend;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Loading;
using Autodiff.Weaver.Optimization;
using Autodiff.Weaver.Pipeline;
using ICSharpCode.Decompiler;
using ICSharpCode.Decompiler.CSharp;
using ICSharpCode.Decompiler.Metadata;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Autodiff.Tests.Differentiation;

/// <summary>
/// The whole chain on compiled C#: read with Cecil (with its PDB), lift a primal, synthesize its derivative,
/// verify both IRs, lower the derivative into a method added next to the primal, write and load the module.
/// </summary>
public sealed class WovenModule : IDisposable
{
    private readonly ModuleDefinition module;

    private WovenModule(ModuleDefinition module) => this.module = module;

    public static WovenModule Compile(string source)
    {
        var output = TestCompiler.Compile(source);
        var resolver = new DefaultAssemblyResolver();
        resolver.AddSearchDirectory(Path.GetDirectoryName(typeof(object).Assembly.Location)!);
        var parameters = new ReaderParameters { AssemblyResolver = resolver, ReadSymbols = true, SymbolStream = new MemoryStream(output.Pdb) };
        return new WovenModule(ModuleDefinition.ReadModule(new MemoryStream(output.Assembly), parameters));
    }

    /// <summary>When set, the primal goes through the pre-differentiation preset and the derivative through the post-differentiation one.</summary>
    public WeaverOptions? Optimization { get; set; }

    /// <summary>Adds <paramref name="derivative"/>, the derivative of <paramref name="type"/>.<paramref name="primal"/>, to the primal's type.</summary>
    public void Differentiate(string type, string primal, string derivative, DerivativeMode mode, int width, params ActivityKind[] activities)
    {
        var definition = module.GetType(type).Methods.Single(m => m.Name == primal);
        var ir = MethodLifter.Lift(definition);
        IrVerifier.Check(ir);
        if (Optimization != null)
            OptimizationPipelines.RunPreDifferentiation(ir, Optimization, (_, m) => IrVerifier.Check(m));
        var request = TestRequests.Create(ir, mode, width, activities, derivative);
        definition.DeclaringType.Methods.Add(request.Derivative);
        var synthesized = DerivativeSynthesizer.Synthesize(ir, request, new WeaverOptions());
        IrVerifier.Check(synthesized);
        if (Optimization != null)
            OptimizationPipelines.RunPostDifferentiation(synthesized, Optimization, (_, m) => IrVerifier.Check(m));
        MethodLowerer.Lower(synthesized, request.Derivative);
    }

    /// <summary>The woven module as C#, set by <see cref="Load"/>.</summary>
    public string Decompiled { get; private set; } = "";

    /// <summary>
    /// Writes the module with its PDB, decompiles it with ILSpy's engine (which must report no error), loads
    /// it and JIT-compiles every method.
    /// </summary>
    public LoadedAssembly Load()
    {
        using var assembly = new MemoryStream();
        using var pdb = new MemoryStream();
        module.Write(assembly, new WriterParameters { WriteSymbols = true, SymbolStream = pdb, SymbolWriterProvider = new PortablePdbWriterProvider() });
        var file = new PEFile(module.Name, new MemoryStream(assembly.ToArray()));
        var resolver = new UniversalAssemblyResolver(typeof(object).Assembly.Location, false, file.DetectTargetFrameworkId());
        Decompiled = new CSharpDecompiler(file, resolver, new DecompilerSettings()).DecompileWholeModuleAsString();
        NUnit.Framework.Assert.That(Decompiled, NUnit.Framework.Does.Not.Contain("Error"), Decompiled);
        var loaded = new LoadedAssembly(assembly.ToArray(), pdb.ToArray());
        loaded.PrepareAllMethods();
        return loaded;
    }

    public void Dispose() => module.Dispose();
}
