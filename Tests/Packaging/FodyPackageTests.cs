using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Xml.Linq;
using Autodiff.Weaver.Pipeline;
using Mono.Cecil;
using NUnit.Framework;

namespace Autodiff.Tests.Packaging;

/// <summary>
/// The Autodiff.Fody package as users get it: packed by <c>dotnet pack Package</c>, restored from a folder
/// feed into a fresh project that builds, is woven by Fody, and runs.
/// </summary>
[Category("Slow")]
public sealed class FodyPackageTests
{
    private const string Program = """
        using System.Globalization;
        using Autodiff;

        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        var (f, dx, dy) = Model.GradientOfF(1.5, 2.0, seed: 1);
        Console.WriteLine($"reverse {f:R} {dx:R} {dy:R}");
        var (g, dg) = Model.TangentOfF(1.5, 1.0, 2.0, 0.0);
        Console.WriteLine($"forward {g:R} {dg:R}");

        // Nobody declares GradientOfF and TangentOfF: the package's source generator does, in this partial class.
        public static partial class Model
        {
            [Autodiff("GradientOfF", Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
            [Autodiff("TangentOfF", Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double F(double x, double y) => x * x * y + Math.Sin(x);
        }
        """;

    // A call to a helper is not differentiated without the Inline flag: AD2002 at line 6.
    private const string UnsupportedModel = """
        using Autodiff;

        public static partial class Model
        {
            [Autodiff("GradientOfF", Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
            public static double F(double x, double y) => Square(x) * y;

            [System.Runtime.InteropServices.DllImport("libm", EntryPoint = "sqrt")]
            public static extern double Square(double x);
        }
        """;

    private LocalFeed feed = null!;
    private string package = null!;

    [OneTimeSetUp]
    public void PackIntoALocalFeed()
    {
        feed = new LocalFeed();
        package = feed.Pack("Package/Autodiff.Fody.Package.csproj", "Autodiff.Fody");
    }

    [OneTimeTearDown]
    public void DeleteFeed() => feed.Dispose();

    [Test]
    public void HasTheLayoutFody6Loads()
    {
        using var archive = ZipFile.OpenRead(package);
        var entries = archive.Entries.Select(e => e.FullName).ToArray();

        Assert.That(entries, Is.SupersetOf(new[]
        {
            "weaver/Autodiff.Fody.dll",
            "weaver/Autodiff.Fody.xcf",
            "build/Autodiff.Fody.props",
            "lib/net8.0/Autodiff.dll",
            "analyzers/dotnet/cs/Autodiff.Generator.dll",
        }));
        var props = XDocument.Load(archive.GetEntry("build/Autodiff.Fody.props")!.Open());
        Assert.That(props.Descendants("WeaverFiles").Select(w => (string?)w.Attribute("Include")),
            Is.EqualTo(new[] { "$(MSBuildThisFileDirectory)../weaver/Autodiff.Fody.dll" }));
        var nuspec = XDocument.Load(archive.GetEntry("Autodiff.Fody.nuspec")!.Open());
        var dependencies = nuspec.Descendants().Where(e => e.Name.LocalName == "dependency")
            .Select(d => ((string?)d.Attribute("id"), (string?)d.Attribute("version")));
        Assert.That(dependencies, Is.EqualTo(new[] { ("Fody", "6.9.3") }));
    }

    [Test]
    public void TheWeaverLoadsOnlyWhatFodyProvidesOrWhatLiesBesideIt()
    {
        using var archive = ZipFile.OpenRead(package);
        var besides = archive.Entries.Where(e => e.FullName.StartsWith("weaver/", StringComparison.Ordinal))
            .Select(e => Path.GetFileNameWithoutExtension(e.Name)).ToHashSet();
        using var weaver = new MemoryStream();
        archive.GetEntry("weaver/Autodiff.Fody.dll")!.Open().CopyTo(weaver);
        weaver.Position = 0;
        using var module = ModuleDefinition.ReadModule(weaver);

        var fodyProvides = new[] { "netstandard", "FodyHelpers", "Mono.Cecil", "Mono.Cecil.Rocks", "Mono.Cecil.Pdb" };
        var missing = module.AssemblyReferences.Select(r => r.Name).Where(n => !fodyProvides.Contains(n) && !besides.Contains(n));
        Assert.That(missing, Is.Empty);
    }

    [Test]
    public void TheSchemaFragmentDescribesEveryFlag()
    {
        using var archive = ZipFile.OpenRead(package);
        var schema = XDocument.Load(archive.GetEntry("weaver/Autodiff.Fody.xcf")!.Open());
        var attributes = schema.Descendants().Where(e => e.Name.LocalName == "attribute").ToArray();

        Assert.That(attributes.Select(a => (string?)a.Attribute("name")), Is.EquivalentTo(new[] { "Flags", "DumpDirectory" }));
        var flagsDocumentation = attributes.Single(a => (string?)a.Attribute("name") == "Flags").Value;
        Assert.That(WeaverFlagNames.All, Has.All.Matches<string>(flag => flagsDocumentation.Contains(flag, StringComparison.Ordinal)));
    }

    [Test]
    public void AFreshProjectUsingOnlyThePackageBuildsAndPrintsTheDerivatives()
    {
        var project = ConsumerProject.Create(feed, "Consumer", new Dictionary<string, string> { ["Program.cs"] = Program });

        var build = DotnetCommand.Run(project, "build", "-c", "Release", "--disable-build-servers", "-nodeReuse:false");
        Assert.That(build.ExitCode, Is.Zero, build.Output);
        var run = DotnetCommand.Run(project, "bin/Release/net10.0/Consumer.dll");
        Assert.That(run.ExitCode, Is.Zero, run.Output);

        const double x = 1.5, y = 2.0;
        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var reverse = Numbers(lines.Single(l => l.StartsWith("reverse ", StringComparison.Ordinal)));
        var forward = Numbers(lines.Single(l => l.StartsWith("forward ", StringComparison.Ordinal)));
        // f = x²y + sin x; ∂f/∂x = 2xy + cos x, ∂f/∂y = x².
        var value = x * x * y + Math.Sin(x);
        Assert.That(reverse, Is.EqualTo(new[] { value, 2 * x * y + Math.Cos(x), x * x }).Within(1e-12));
        Assert.That(forward, Is.EqualTo(new[] { value, 2 * x * y + Math.Cos(x) }).Within(1e-12));
    }

    [Test]
    public void AnUnsupportedConstructFailsTheBuildAtItsLine()
    {
        var project = ConsumerProject.Create(feed, "Unsupported", new Dictionary<string, string>
        {
            ["Program.cs"] = "Console.WriteLine(Model.GradientOfF(1, 2, 1));\n",
            ["Model.cs"] = UnsupportedModel,
        });

        var build = DotnetCommand.Run(project, "build", "-c", "Release", "--disable-build-servers", "-nodeReuse:false");

        Assert.That(build.ExitCode, Is.Not.Zero, build.Output);
        // Fody logs errors without an MSBuild code: `Model.cs(6,51,6,64): error : Fody/Autodiff: AD3001: …`.
        Assert.That(build.Output, Does.Match(@"Model\.cs\(6,\d+(,\d+,\d+)?\): error : Fody/Autodiff: AD3001: cannot differentiate call to Model\.Square: no IL body and no rule"));
    }

    private static double[] Numbers(string line) =>
        line.Split(' ').Skip(1).Select(n => double.Parse(n, CultureInfo.InvariantCulture)).ToArray();
}
