using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Autodiff.Weaver.Loading;

/// <summary>
/// Finds referenced assemblies in a fixed order: explicitly given files, then the given folders (the CLI's
/// <c>-r</c>, Fody's reference list), then the input's own folder, then the .NET runtime the weaver runs on.
/// Assemblies are read into memory, so no file stays locked, and each is read once.
/// </summary>
public sealed class ReferenceAssemblyResolver : IAssemblyResolver
{
    private static readonly string[] Extensions = { ".dll", ".exe" };

    private readonly Dictionary<string, string> files = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> directories = new();
    private readonly Dictionary<string, AssemblyDefinition?> cache = new(StringComparer.OrdinalIgnoreCase);

    /// <param name="references">Assembly files and folders, searched in order before <paramref name="searchDirectories"/>.</param>
    /// <param name="searchDirectories">Further folders, searched in order after the references.</param>
    public ReferenceAssemblyResolver(IEnumerable<string> references, IEnumerable<string> searchDirectories)
    {
        foreach (var reference in references)
        {
            if (Directory.Exists(reference))
                AddDirectory(reference);
            else if (File.Exists(reference))
            {
                var name = Path.GetFileNameWithoutExtension(reference);
                if (!files.ContainsKey(name))
                    files.Add(name, Path.GetFullPath(reference));
            }
        }
        foreach (var directory in searchDirectories)
            AddDirectory(directory);
    }

    /// <summary>The folders searched, in order (after the explicitly given files).</summary>
    public IReadOnlyList<string> Directories => directories;

    public AssemblyDefinition? Resolve(AssemblyNameReference name) => Resolve(name, new ReaderParameters());

    /// <summary>The assembly with that simple name, or null when none of the search locations has it.</summary>
    public AssemblyDefinition? Resolve(AssemblyNameReference name, ReaderParameters parameters)
    {
        if (cache.TryGetValue(name.Name, out var cached))
            return cached;
        var path = Find(name.Name);
        var assembly = path == null ? null : Read(path);
        cache.Add(name.Name, assembly);
        return assembly;
    }

    public void Dispose()
    {
        foreach (var assembly in cache.Values)
            assembly?.Dispose();
        cache.Clear();
    }

    /// <summary>
    /// A reference's symbols only improve diagnostics, so a stale PDB beside it is ignored; a file that is not a
    /// .NET assembly (a native DLL of the same name) does not resolve.
    /// </summary>
    private AssemblyDefinition? Read(string path)
    {
        try
        {
            return ModuleLoader.ReadAssembly(path, this, ReadingMode.Deferred);
        }
        catch (SymbolsNotMatchingException)
        {
            return ModuleLoader.ReadAssembly(path, this, ReadingMode.Deferred, readSymbols: false);
        }
        catch (BadImageFormatException)
        {
            return null;
        }
    }

    private void AddDirectory(string directory)
    {
        if (!Directory.Exists(directory))
            return;
        var full = Path.GetFullPath(directory);
        if (!directories.Contains(full, StringComparer.OrdinalIgnoreCase))
            directories.Add(full);
    }

    private string? Find(string simpleName)
    {
        if (files.TryGetValue(simpleName, out var file))
            return file;
        foreach (var directory in directories)
        {
            foreach (var extension in Extensions)
            {
                var candidate = Path.Combine(directory, simpleName + extension);
                if (File.Exists(candidate))
                    return candidate;
            }
        }
        return null;
    }
}
