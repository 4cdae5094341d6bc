using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Autodiff.Tests.Infrastructure;
using Autodiff.Weaver.Diagnostics;
using Autodiff.Weaver.Loading;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Autodiff.Tests.Loading;

/// <summary>C# source compiled in memory, read back with Cecil and its PDB, and run through discovery.</summary>
internal sealed class LoadedSource
{
    /// <summary>Every test source starts with these lines, so line numbers below count from 4.</summary>
    public const string Header = "using System;\nusing System.CodeDom.Compiler;\nusing Autodiff;\n";

    private LoadedSource(string source, ModuleDefinition module)
    {
        Source = Header + source;
        Module = module;
        (Requests, Diagnostics) = RequestDiscovery.Discover(module);
    }

    public string Source { get; }

    public ModuleDefinition Module { get; }

    public IReadOnlyList<DifferentiationRequest> Requests { get; }

    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    public DifferentiationRequest Single => Requests.Count == 1 && Diagnostics.Count == 0
        ? Requests[0]
        : throw new InvalidOperationException($"expected one request and no diagnostics, got {Requests.Count} and:\n{string.Join("\n", Diagnostics)}");

    public static LoadedSource Discover(string source, IEnumerable<string>? references = null) =>
        new(source, Read(TestCompiler.Compile(Header + source, extraReferences: references), references));

    /// <summary>Reads compiled bytes with their PDB; references resolve from the given files, the tests' folder, then the runtime.</summary>
    public static ModuleDefinition Read(TestCompiler.Output output, IEnumerable<string>? references = null) =>
        ModuleDefinition.ReadModule(new MemoryStream(output.Assembly), new ReaderParameters(ReadingMode.Immediate)
        {
            ReadSymbols = true,
            SymbolStream = new MemoryStream(output.Pdb),
            SymbolReaderProvider = new PortablePdbReaderProvider(),
            AssemblyResolver = ModuleLoader.CreateResolver(AppContext.BaseDirectory, references ?? Array.Empty<string>()),
        });

    /// <summary>The 1-based line of the source line containing <paramref name="marker"/>.</summary>
    public int LineOf(string marker) =>
        Source.Split('\n').Select((text, index) => (text, index)).Single(l => l.text.Contains(marker, StringComparison.Ordinal)).index + 1;

    /// <summary>The C# declaration discovery expects for the single request's derivative.</summary>
    public string ExpectedDeclaration()
    {
        var request = Single;
        return CSharpSignatureFormatter.ToCSharp(request.Signature, request.Derivative.Name, request.Derivative.IsStatic);
    }
}
