using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;

namespace Autodiff.Tests.Infrastructure;

/// <summary>Compiles C# source in memory with Roslyn, Release (optimizations on), with a portable PDB.</summary>
public static class TestCompiler
{
    private static readonly Lazy<MetadataReference[]> FrameworkReferences = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToArray());

    /// <summary>The compiled assembly's bytes and its portable PDB.</summary>
    public sealed record Output(byte[] Assembly, byte[] Pdb, string AssemblyName);

    /// <summary>
    /// Compiles <paramref name="source"/> against the framework and Autodiff.dll; throws with Roslyn's
    /// diagnostics when it does not compile.
    /// </summary>
    public static Output Compile(string source, string assemblyName = "TestSubject", IEnumerable<string>? extraReferences = null, bool allowUnsafe = false) =>
        Emit(CreateCompilation(source, assemblyName, extraReferences, allowUnsafe));

    /// <summary>The compilation <see cref="Compile"/> emits, for callers that transform it first (e.g. run a source generator).</summary>
    public static CSharpCompilation CreateCompilation(string source, string assemblyName = "TestSubject", IEnumerable<string>? extraReferences = null, bool allowUnsafe = false)
    {
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest), path: assemblyName + ".cs", encoding: System.Text.Encoding.UTF8);
        var references = FrameworkReferences.Value
            .Append(MetadataReference.CreateFromFile(typeof(Autodiff.AutodiffAttribute).Assembly.Location))
            .Concat((extraReferences ?? Array.Empty<string>()).Select(p => MetadataReference.CreateFromFile(p)));
        return CSharpCompilation.Create(
            assemblyName,
            new[] { tree },
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release, allowUnsafe: allowUnsafe, nullableContextOptions: NullableContextOptions.Enable));
    }

    /// <summary>Emits <paramref name="compilation"/> with a portable PDB; throws with Roslyn's diagnostics when it does not compile.</summary>
    public static Output Emit(Compilation compilation)
    {
        using var assembly = new MemoryStream();
        using var pdb = new MemoryStream();
        var result = compilation.Emit(assembly, pdb, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb));
        var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (!result.Success)
            throw new InvalidOperationException("Test source does not compile:\n" + string.Join("\n", errors));
        return new Output(assembly.ToArray(), pdb.ToArray(), compilation.AssemblyName!);
    }
}
