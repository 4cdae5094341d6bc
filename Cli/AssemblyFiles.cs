using System;
using System.Collections.Generic;
using System.IO;
using Autodiff.Weaver.Loading;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Autodiff.Cli;

/// <summary>Reading an assembly with its references, and writing it back without ever leaving a half-written file.</summary>
internal static class AssemblyFiles
{
    public static ModuleDefinition Read(string path, IEnumerable<string> referenceArguments)
    {
        if (!File.Exists(path))
            throw new UsageException($"assembly '{path}' does not exist");
        // Each -r names a file, or a folder whose every assembly is a candidate; the loader searches them in order.
        foreach (var reference in referenceArguments)
        {
            if (!File.Exists(reference) && !Directory.Exists(reference))
                throw new UsageException($"reference '{reference}' is neither a file nor a folder");
        }
        return ModuleLoader.Read(path, referenceArguments);
    }

    /// <summary>
    /// Writes the module (and its PDB when it has symbols) to temporary files in the destination's folder,
    /// then renames them over the destination, so a failure leaves the old files as they were.
    /// </summary>
    public static void Write(ModuleDefinition module, string destination)
    {
        var fullPath = Path.GetFullPath(destination);
        var directory = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(directory);
        var pdbPath = Path.ChangeExtension(fullPath, ".pdb");
        var suffix = "." + Guid.NewGuid().ToString("N") + ".tmp";
        var temporaryDll = fullPath + suffix;
        var temporaryPdb = module.HasSymbols ? pdbPath + suffix : null;
        try
        {
            using (var dll = File.Create(temporaryDll))
            using (var pdb = temporaryPdb == null ? null : File.Create(temporaryPdb))
            {
                // A deterministic MVID keeps "weaving the same input twice yields identical bytes" (DESIGN §2).
                module.Write(dll, new WriterParameters
                {
                    WriteSymbols = pdb != null,
                    SymbolStream = pdb,
                    SymbolWriterProvider = pdb == null ? null : new PortablePdbWriterProvider(),
                    DeterministicMvid = true,
                });
            }
            if (temporaryPdb != null)
                File.Move(temporaryPdb, pdbPath, overwrite: true);
            File.Move(temporaryDll, fullPath, overwrite: true);
        }
        finally
        {
            File.Delete(temporaryDll);
            if (temporaryPdb != null)
                File.Delete(temporaryPdb);
        }
    }
}
