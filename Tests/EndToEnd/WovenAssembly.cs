using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Autodiff.Tests.Infrastructure;
using Autodiff.Weaver.Diagnostics;
using Autodiff.Weaver.Loading;
using Autodiff.Weaver.Pipeline;
using ICSharpCode.Decompiler;
using ICSharpCode.Decompiler.CSharp;
using ICSharpCode.Decompiler.Metadata;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Autodiff.Tests.EndToEnd;

/// <summary>
/// C# source compiled in memory (Release), woven in memory with the IR verifier on, and — when weaving
/// succeeded — written to bytes, decompiled, loaded into a collectible context and JIT-compiled whole
/// (DESIGN §5), so invalid IL fails even in methods no test calls.
/// </summary>
public sealed class WovenAssembly : IDisposable
{
    private readonly LoadedAssembly? loaded;

    private WovenAssembly(WeaveResult result, LoadedAssembly? loaded, string? decompiled)
    {
        Result = result;
        this.loaded = loaded;
        DecompiledCSharp = decompiled;
    }

    public WeaveResult Result { get; }

    public IReadOnlyList<Diagnostic> Diagnostics => Result.Diagnostics;

    /// <summary>The whole woven module as C#, from ICSharpCode.Decompiler; null when weaving failed.</summary>
    public string? DecompiledCSharp { get; }

    /// <summary>The loaded woven assembly; throws with the diagnostics when weaving failed.</summary>
    public LoadedAssembly Loaded => loaded ?? throw new InvalidOperationException(
        "weaving failed:\n" + string.Join("\n", Diagnostics));

    public static WovenAssembly Compile(string source, WeaverOptions? options = null)
    {
        var compiled = TestCompiler.Compile(source);
        using var module = Read(compiled);
        var result = AssemblyWeaver.Weave(module, options ?? new WeaverOptions { VerifyIr = true });
        if (!result.Succeeded)
            return new WovenAssembly(result, null, null);

        var (assembly, pdb) = Write(module);
        var decompiled = Decompile(assembly, compiled.AssemblyName);
        var loaded = new LoadedAssembly(assembly, pdb);
        try
        {
            loaded.PrepareAllMethods();
        }
        catch
        {
            loaded.Dispose();
            throw;
        }
        return new WovenAssembly(result, loaded, decompiled);
    }

    /// <summary>Reads compiled bytes the way the weaver reads a file: with symbols, references resolved beside Autodiff.dll.</summary>
    public static ModuleDefinition Read(TestCompiler.Output compiled) =>
        ModuleDefinition.ReadModule(new MemoryStream(compiled.Assembly), new ReaderParameters(ReadingMode.Immediate)
        {
            ReadSymbols = true,
            SymbolStream = new MemoryStream(compiled.Pdb),
            SymbolReaderProvider = new PortablePdbReaderProvider(),
            AssemblyResolver = ModuleLoader.CreateResolver(Path.GetDirectoryName(typeof(AutodiffAttribute).Assembly.Location)!, Array.Empty<string>()),
        });

    public static (byte[] Assembly, byte[] Pdb) Write(ModuleDefinition module)
    {
        using var assembly = new MemoryStream();
        using var pdb = new MemoryStream();
        module.Write(assembly, new WriterParameters { WriteSymbols = true, SymbolStream = pdb, SymbolWriterProvider = new PortablePdbWriterProvider(), DeterministicMvid = true });
        return (assembly.ToArray(), pdb.ToArray());
    }

    public object? Invoke(string typeName, string methodName, params object?[] arguments) =>
        Loaded.Invoke(typeName, methodName, arguments);

    public void Dispose() => loaded?.Dispose();

    // The decompiler throws on IL it cannot make sense of; that is the check (ILSpy must read every woven method).
    private static string Decompile(byte[] assembly, string name)
    {
        using var file = new PEFile(name + ".dll", new MemoryStream(assembly));
        var resolver = new UniversalAssemblyResolver(null, false, file.DetectTargetFrameworkId());
        resolver.AddSearchDirectory(Path.GetDirectoryName(typeof(AutodiffAttribute).Assembly.Location)!);
        var decompiler = new CSharpDecompiler(file, resolver, new DecompilerSettings { ThrowOnAssemblyResolveErrors = false });
        return decompiler.DecompileWholeModuleAsString();
    }

    /// <summary>The errors only, one per line, for assertion messages.</summary>
    public string ErrorText => string.Join("\n", Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
}
