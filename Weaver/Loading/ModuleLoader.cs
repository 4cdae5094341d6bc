using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Autodiff.Weaver.Loading;

/// <summary>Reads the assembly to weave, with its PDB when there is one, and resolves its references.</summary>
public static class ModuleLoader
{
    /// <summary>
    /// Reads <paramref name="path"/> fully into memory (the file is not locked and can be replaced), with the
    /// symbols of a <c>.pdb</c> beside it or embedded in it. References resolve from
    /// <paramref name="references"/> (files and folders), then the input's folder, then the running .NET runtime.
    /// </summary>
    public static ModuleDefinition Read(string path, IEnumerable<string> references)
    {
        var fullPath = Path.GetFullPath(path);
        var resolver = CreateResolver(Path.GetDirectoryName(fullPath) ?? ".", references);
        return ReadAssembly(fullPath, resolver, ReadingMode.Immediate).MainModule;
    }

    /// <summary>
    /// The resolver <see cref="Read"/> uses: <paramref name="references"/> (assembly files, or folders whose
    /// assemblies are all candidates) first, then <paramref name="inputDirectory"/>, then the directory of the
    /// .NET runtime this process runs on.
    /// </summary>
    public static ReferenceAssemblyResolver CreateResolver(string inputDirectory, IEnumerable<string> references) =>
        new(references, new[] { inputDirectory, RuntimeEnvironment.GetRuntimeDirectory() });

    /// <summary>
    /// Reads an assembly into memory, with its symbols when <paramref name="readSymbols"/> and they exist (a
    /// <c>.pdb</c> beside it, or embedded). A PDB that does not match the assembly throws
    /// <see cref="SymbolsNotMatchingException"/>.
    /// </summary>
    internal static AssemblyDefinition ReadAssembly(string path, IAssemblyResolver resolver, ReadingMode mode, bool readSymbols = true)
    {
        var parameters = new ReaderParameters(mode)
        {
            AssemblyResolver = resolver,
            InMemory = true,
            ReadSymbols = readSymbols,
            SymbolReaderProvider = new DefaultSymbolReaderProvider(throwIfNoSymbol: false),
        };
        // Cecil would open the PDB file and keep it open; reading it ourselves keeps it replaceable.
        var pdb = Path.ChangeExtension(path, ".pdb");
        if (readSymbols && File.Exists(pdb))
            parameters.SymbolStream = new MemoryStream(File.ReadAllBytes(pdb));
        return AssemblyDefinition.ReadAssembly(path, parameters);
    }
}
