using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using Autodiff.Tests.Infrastructure;
using Autodiff.Weaver.Loading;
using Autodiff.Weaver.Pipeline;
using Mono.Cecil;
using Mono.Cecil.Cil;
using NUnit.Framework;

namespace Autodiff.Tests.EndToEnd;

/// <summary>
/// A user assembly compiled against a library written to disk beside it, woven (derivatives of the library's callees
/// generated into the user's assembly), and both loaded into one collectible context with every user method
/// JIT-compiled: the two-assembly setting of referenced-assembly tests.
/// </summary>
public sealed class WovenWithLibrary : IDisposable
{
    private readonly string directory;
    private readonly AssemblyLoadContext context;
    private readonly ModuleDefinition woven;

    public WovenWithLibrary(string librarySource, string libraryName, string userSource, string userName)
    {
        directory = Directory.CreateTempSubdirectory("autodiff-library-").FullName;
        var compiledLibrary = TestCompiler.Compile(librarySource, libraryName);
        var libraryPath = Path.Combine(directory, libraryName + ".dll");
        File.WriteAllBytes(libraryPath, compiledLibrary.Assembly);
        var compiled = TestCompiler.Compile(userSource, userName, new[] { libraryPath });
        woven = ModuleDefinition.ReadModule(new MemoryStream(compiled.Assembly), new ReaderParameters(ReadingMode.Immediate)
        {
            ReadSymbols = true,
            SymbolStream = new MemoryStream(compiled.Pdb),
            SymbolReaderProvider = new PortablePdbReaderProvider(),
            AssemblyResolver = ModuleLoader.CreateResolver(Path.GetDirectoryName(typeof(AutodiffAttribute).Assembly.Location)!, new[] { libraryPath }),
        });
        var result = AssemblyWeaver.Weave(woven, new WeaverOptions { VerifyIr = true });
        Assert.That(result.Succeeded, Is.True, string.Join("\n", result.Diagnostics));
        var (assembly, pdb) = WovenAssembly.Write(woven);

        context = new AssemblyLoadContext("autodiff-library-" + Guid.NewGuid().ToString("N"), isCollectible: true);
        Library = context.LoadFromStream(new MemoryStream(compiledLibrary.Assembly));
        context.Resolving += (_, name) => name.Name == libraryName ? Library : null;
        User = context.LoadFromStream(new MemoryStream(assembly), new MemoryStream(pdb));
        foreach (var method in User.GetTypes().SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)))
        {
            if (method.GetMethodBody() != null)
                RuntimeHelpers.PrepareMethod(method.MethodHandle);
        }
    }

    /// <summary>The woven user assembly, loaded.</summary>
    public Assembly User { get; }

    /// <summary>The library as compiled, loaded in the same context.</summary>
    public Assembly Library { get; }

    public void Dispose()
    {
        woven.Dispose();
        context.Unload();
        Directory.Delete(directory, recursive: true);
    }
}
