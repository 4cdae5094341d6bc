using System;
using System.IO;
using System.Linq;
using Autodiff.Tests.Infrastructure;
using Mono.Cecil;

namespace Autodiff.Tests.Frontend;

/// <summary>C# source compiled in memory (Release) and read back with Cecil, with its portable PDB.</summary>
public sealed class CompiledModule : IDisposable
{
    private CompiledModule(ModuleDefinition module) => Module = module;

    public ModuleDefinition Module { get; }

    public static CompiledModule Compile(string source, bool allowUnsafe = false)
    {
        var output = TestCompiler.Compile(source, allowUnsafe: allowUnsafe);
        return new CompiledModule(ModuleDefinition.ReadModule(new MemoryStream(output.Assembly), ReaderParametersFor(new MemoryStream(output.Pdb))));
    }

    /// <summary>Reads an assembly from disk (with its PDB when there is one), resolving references from its folder and the runtime's.</summary>
    public static CompiledModule Read(string path)
    {
        var pdb = Path.ChangeExtension(path, ".pdb");
        var parameters = ReaderParametersFor(null);
        ((DefaultAssemblyResolver)parameters.AssemblyResolver).AddSearchDirectory(Path.GetDirectoryName(path)!);
        if (File.Exists(pdb))
        {
            parameters.ReadSymbols = true;
            parameters.SymbolStream = new MemoryStream(File.ReadAllBytes(pdb));
        }
        return new CompiledModule(ModuleDefinition.ReadModule(new MemoryStream(File.ReadAllBytes(path)), parameters));
    }

    public MethodDefinition Method(string typeName, string methodName) =>
        Module.GetType(typeName)?.Methods.Single(m => m.Name == methodName)
        ?? throw new ArgumentException($"type {typeName} not found");

    public void Dispose() => Module.Dispose();

    private static ReaderParameters ReaderParametersFor(Stream? pdb)
    {
        var resolver = new DefaultAssemblyResolver();
        resolver.AddSearchDirectory(Path.GetDirectoryName(typeof(object).Assembly.Location)!);
        return new ReaderParameters
        {
            AssemblyResolver = resolver,
            ReadSymbols = pdb != null,
            SymbolStream = pdb,
        };
    }
}
