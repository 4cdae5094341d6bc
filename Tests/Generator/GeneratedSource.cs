extern alias AutodiffGenerator;

using System;
using System.Collections.Generic;
using System.Linq;
using Autodiff.Tests.Infrastructure;
using Autodiff.Tests.Loading;
using Autodiff.Weaver.Loading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Mono.Cecil;
using AutodiffSourceGenerator = AutodiffGenerator::Autodiff.Generator.AutodiffGenerator;
using WeaverDiagnostic = Autodiff.Weaver.Diagnostics.Diagnostic;

namespace Autodiff.Tests.Generator;

/// <summary>
/// C# source (after <see cref="LoadedSource.Header"/>) run through the Autodiff generator in a
/// <see cref="CSharpGeneratorDriver"/>, compiled, read back with Cecil and run through the weaver's discovery.
/// </summary>
internal sealed class GeneratedSource
{
    private GeneratedSource(Compilation output, IReadOnlyList<string> files, IReadOnlyList<Diagnostic> generatorDiagnostics)
    {
        Output = output;
        Files = files;
        GeneratorDiagnostics = generatorDiagnostics;
    }

    /// <summary>The user's compilation with the generated files added.</summary>
    public Compilation Output { get; }

    /// <summary>The text of each generated file.</summary>
    public IReadOnlyList<string> Files { get; }

    public IReadOnlyList<Diagnostic> GeneratorDiagnostics { get; }

    /// <summary>The single generated file.</summary>
    public string File => Files.Count == 1 ? Files[0] : throw new InvalidOperationException($"expected one generated file, got {Files.Count}:\n{string.Join("\n---\n", Files)}");

    public static GeneratedSource Run(string source, bool allowUnsafe = false)
    {
        var compilation = TestCompiler.CreateCompilation(LoadedSource.Header + source, allowUnsafe: allowUnsafe);
        CSharpGeneratorDriver.Create(new AutodiffSourceGenerator())
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        var files = output.SyntaxTrees.Skip(compilation.SyntaxTrees.Length).Select(t => t.ToString()).ToList();
        return new GeneratedSource(output, files, diagnostics);
    }

    /// <summary>Warnings and errors the compiler reports in generated code (there must be none).</summary>
    public IReadOnlyList<Diagnostic> GeneratedCodeDiagnostics() =>
        Output.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree is { } tree && !tree.FilePath.EndsWith("TestSubject.cs", StringComparison.Ordinal))
            .ToList();

    /// <summary>Compiles the output and runs the weaver's request discovery on it.</summary>
    public (IReadOnlyList<DifferentiationRequest> Requests, IReadOnlyList<WeaverDiagnostic> Diagnostics, ModuleDefinition Module) Discover()
    {
        var module = LoadedSource.Read(TestCompiler.Emit(Output));
        var (requests, diagnostics) = RequestDiscovery.Discover(module);
        return (requests, diagnostics, module);
    }

    /// <summary>The generated declaration of <paramref name="name"/>, as printed before its placeholder body.</summary>
    public string DeclarationOf(string name) =>
        Files.SelectMany(f => f.Split('\n'))
            .Select(l => l.Trim())
            .Single(l => l.Contains(" " + name + "(", StringComparison.Ordinal) && l.Contains(" => throw ", StringComparison.Ordinal))
            .Split(" => throw ")[0];
}
