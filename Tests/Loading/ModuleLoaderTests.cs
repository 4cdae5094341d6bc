using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using Autodiff.Tests.Infrastructure;
using Autodiff.Weaver.Diagnostics;
using Autodiff.Weaver.Loading;
using Mono.Cecil;
using Mono.Cecil.Cil;
using NUnit.Framework;

namespace Autodiff.Tests.Loading;

/// <summary>Reading the input with its PDB, and resolving references in the documented order.</summary>
public sealed class ModuleLoaderTests
{
    private const string Library = "namespace Shapes { public static class Geometry { public static double Area(double r) => System.Math.PI * r * r; } }";

    private const string Client = """
        using Autodiff;
        public static class Derivatives
        {
            [Autodiff(typeof(Shapes.Geometry), nameof(Shapes.Geometry.Area), Mode.Reverse, Activity.Active, Activity.Active)]
            public static extern (double, double) DArea(double r, double seed);
        }
        """;

    /// <summary>Autodiff.dll, which a real build copies beside the assembly; Cecil needs it to decode the attribute's enums.</summary>
    private static readonly string Runtime = typeof(AutodiffAttribute).Assembly.Location;

    private string directory = "";

    [SetUp]
    public void CreateDirectory() => Directory.CreateDirectory(directory = Path.Combine(Path.GetTempPath(), "autodiff-loading-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(directory, recursive: true);

    private string Write(string folder, TestCompiler.Output output, bool withPdb = true)
    {
        var path = Path.Combine(directory, folder, output.AssemblyName + ".dll");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, output.Assembly);
        if (withPdb)
            File.WriteAllBytes(Path.ChangeExtension(path, ".pdb"), output.Pdb);
        return path;
    }

    [Test]
    public void ReadsIntoMemoryWithThePdbBesideIt()
    {
        var path = Write("in", TestCompiler.Compile("public static class Model { public static double F(double x) => x * x; }"));
        using var module = ModuleLoader.Read(path, Array.Empty<string>());
        File.Delete(path);
        File.Delete(Path.ChangeExtension(path, ".pdb"));
        var method = module.GetType("Model").Methods.Single(m => m.Name == "F");
        Assert.That(method.Body.Instructions, Is.Not.Empty, "bodies are read before the file goes away");
        Assert.That(SourceLocations.FirstSequencePoint(method)?.StartLine, Is.EqualTo(1));
    }

    [Test]
    public void ReadsAnEmbeddedPdb()
    {
        var compiled = TestCompiler.Compile("public static class Model { public static double F(double x) => x * x; }");
        var path = Path.Combine(directory, "Embedded.dll");
        using (var module = LoadedSource.Read(compiled))
            module.Write(path, new WriterParameters { WriteSymbols = true, SymbolWriterProvider = new EmbeddedPortablePdbWriterProvider() });
        Assert.That(File.Exists(Path.ChangeExtension(path, ".pdb")), Is.False);

        using var read = ModuleLoader.Read(path, Array.Empty<string>());
        Assert.That(SourceLocations.FirstSequencePoint(read.GetType("Model").Methods.Single(m => m.Name == "F"))?.StartLine, Is.EqualTo(1));
    }

    [Test]
    public void ReadsWithoutAPdb()
    {
        var path = Write("in", TestCompiler.Compile("public static class Model { public static double F(double x) => x * x; }"), withPdb: false);
        using var module = ModuleLoader.Read(path, Array.Empty<string>());
        Assert.That(SourceLocations.FirstSequencePoint(module.GetType("Model").Methods.Single(m => m.Name == "F")), Is.Null);
    }

    [TestCase(true)]
    [TestCase(false)]
    public void ResolvesAForm2PrimalFromAReferenceFileOrFolder(bool asFolder)
    {
        var library = Write("lib", TestCompiler.Compile(Library, "Shapes"));
        var client = Write("in", TestCompiler.Compile(Client, "Client", new[] { library }));
        using var module = ModuleLoader.Read(client, new[] { asFolder ? Path.GetDirectoryName(library)! : library, Runtime });
        var (requests, diagnostics) = RequestDiscovery.Discover(module);
        Assert.That(diagnostics, Is.Empty);
        Assert.That(requests.Single().Primal.Module.Assembly.Name.Name, Is.EqualTo("Shapes"));
    }

    [Test]
    public void ResolvesFromTheInputsFolderAndTheRuntime()
    {
        var library = Write("in", TestCompiler.Compile(Library, "Shapes"));
        var client = Write("in", TestCompiler.Compile(Client, "Client", new[] { library }));
        using var module = ModuleLoader.Read(client, new[] { Runtime });
        Assert.That(RequestDiscovery.Discover(module).Requests, Has.Count.EqualTo(1));
        var runtime = module.AssemblyResolver.Resolve(module.AssemblyReferences.First(r => r.Name is "System.Runtime" or "System.Private.CoreLib"));
        Assert.That(Path.GetDirectoryName(runtime.MainModule.FileName), Is.EqualTo(Path.GetFullPath(RuntimeEnvironment.GetRuntimeDirectory()).TrimEnd(Path.DirectorySeparatorChar)));
    }

    [Test]
    public void ReferenceFilesComeBeforeTheInputsFolder()
    {
        var first = Write("lib", TestCompiler.Compile(Library, "Shapes"));
        Write("in", TestCompiler.Compile(Library.Replace("Area", "Volume", StringComparison.Ordinal), "Shapes"));
        var client = Write("in", TestCompiler.Compile(Client, "Client", new[] { first }));
        using var module = ModuleLoader.Read(client, new[] { first, Runtime });
        Assert.That(RequestDiscovery.Discover(module).Diagnostics, Is.Empty, "Area exists only in the referenced copy");
    }

    [Test]
    public void AnUnresolvableForm2PrimalTypeIsAD1004()
    {
        var library = Write("lib", TestCompiler.Compile(Library, "Shapes"));
        var client = Write("in", TestCompiler.Compile(Client, "Client", new[] { library }));
        using var module = ModuleLoader.Read(client, new[] { Runtime });
        var diagnostic = RequestDiscovery.Discover(module).Diagnostics.Single();
        Assert.That(diagnostic.Code, Is.EqualTo(DiagnosticCode.PrimalNotFound));
        Assert.That(diagnostic.Message, Does.Contain("cannot load type Shapes.Geometry from Shapes").And.Contain("reference"));
    }

    [Test]
    public void AnAttributeThatCannotBeDecodedIsAD1010NotSilence()
    {
        var library = Write("lib", TestCompiler.Compile(Library, "Shapes"));
        var client = Write("in", TestCompiler.Compile(Client, "Client", new[] { library }));
        using var module = ModuleLoader.Read(client, new[] { library });
        var diagnostic = RequestDiscovery.Discover(module).Diagnostics.Single();
        Assert.That(diagnostic.Code, Is.EqualTo(DiagnosticCode.UnreadableAttribute));
        Assert.That(diagnostic.Message, Does.Contain("Autodiff").And.Contain("reference"));
    }
}
