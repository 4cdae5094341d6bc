using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Autodiff.Weaver.Frontend;
using Autodiff.Weaver.Pipeline;
using Mono.Cecil;

namespace Autodiff.Tests.RoundTrip;

/// <summary>Reads an assembly with Cecil, round-trips every method body (MethodLifter then MethodLowerer) and writes it back.</summary>
internal static class RoundTripModule
{
    /// <summary>The rewritten assembly (and PDB when <paramref name="pdb"/> is given) with the round-trip report.</summary>
    /// <param name="MaxStack">The max stack size the backend computed for each method, before Cecil writes (and recomputes) it.</param>
    public sealed record Output(byte[] Assembly, byte[]? Pdb, RoundTripReport Report, IReadOnlyDictionary<string, int> MaxStack);

    /// <param name="lift">How a body becomes IR; <see cref="MethodLifter.Lift"/> unless a test adds passes after it.</param>
    public static Output Run(byte[] assembly, byte[]? pdb, string? referenceDirectory = null, Func<MethodDefinition, Weaver.Ir.IrMethod>? lift = null)
    {
        var resolver = new DefaultAssemblyResolver();
        resolver.AddSearchDirectory(Path.GetDirectoryName(typeof(object).Assembly.Location)!);
        if (referenceDirectory != null)
            resolver.AddSearchDirectory(referenceDirectory);
        var parameters = new ReaderParameters { AssemblyResolver = resolver, ReadSymbols = pdb != null, SymbolStream = pdb == null ? null : new MemoryStream(pdb) };
        using var module = ModuleDefinition.ReadModule(new MemoryStream(assembly), parameters);
        var report = Weaver.Pipeline.RoundTrip.Run(module, lift ?? MethodLifter.Lift);
        var maxStack = module.GetTypes().SelectMany(t => t.Methods).Where(m => m.HasBody).ToDictionary(m => m.FullName, m => m.Body.MaxStackSize);
        if ((module.Attributes & ModuleAttributes.ILLibrary) != 0)
        {
            // A ReadyToRun framework image: Cecil refuses to write it as "mixed mode", and its machine field is
            // OS-specific. Rewritten, it is a plain portable IL image (its precompiled code would be stale anyway).
            module.Attributes = (module.Attributes | ModuleAttributes.ILOnly) & ~ModuleAttributes.ILLibrary;
            module.Architecture = TargetArchitecture.I386;
        }
        using var assemblyOut = new MemoryStream();
        using var pdbOut = new MemoryStream();
        if (pdb != null)
            module.Write(assemblyOut, new WriterParameters { WriteSymbols = true, SymbolStream = pdbOut, SymbolWriterProvider = new Mono.Cecil.Cil.PortablePdbWriterProvider() });
        else
            module.Write(assemblyOut);
        return new Output(assemblyOut.ToArray(), pdb == null ? null : pdbOut.ToArray(), report, maxStack);
    }
}
