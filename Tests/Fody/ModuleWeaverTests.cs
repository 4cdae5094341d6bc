using System;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Xml.Linq;
using Autodiff.Tests.Infrastructure;
using Autodiff.Weaver;
using Fody;
using NUnit.Framework;

namespace Autodiff.Tests.Fody;

/// <summary>The Fody add-in, run through FodyHelpers' test runner as Fody would run it in a build.</summary>
public sealed class ModuleWeaverTests
{
    private const string Source = """
        using System.CodeDom.Compiler;
        using Autodiff;

        public static class Model
        {
            [Autodiff(nameof(GradientOfF), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
            public static double F(double x, double y) => x * x + 3 * y;

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double, double) GradientOfF(double x, double y, double seed);
        }
        """;

    private const string BadSource = """
        using Autodiff;

        public static class Model
        {
            [Autodiff("DF", Mode.Reverse, Activity.Active)]
            public static double F(double x, double y) => x * y;
        }
        """;

    private string directory = null!;

    [SetUp]
    public void CreateDirectory()
    {
        directory = Path.Combine(Path.GetTempPath(), "autodiff-fody-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(directory, recursive: true);

    [Test]
    public void WeavesTheModuleFodyGivesIt()
    {
        var result = new ModuleWeaver { Config = new XElement("Autodiff") }
            .ExecuteTestRun(Compile(Source, "FodySubjectGood"), runPeVerify: false);

        Assert.That(result.Errors, Is.Empty, string.Join("\n", result.Errors.Select(e => e.Text)));
        var gradient = (ITuple)result.Assembly.GetType("Model")!.GetMethod("GradientOfF")!.Invoke(null, new object[] { 5.0, 7.0, 1.0 })!;
        Assert.That(new[] { gradient[0], gradient[1], gradient[2] }, Is.EqualTo(new object[] { 46.0, 10.0, 3.0 }));
    }

    [Test]
    public void AWovenAssemblyIsLeftAloneWithAnInfoMessage()
    {
        var first = new ModuleWeaver { Config = new XElement("Autodiff") }
            .ExecuteTestRun(Compile(Source, "FodySubjectTwice"), runPeVerify: false, assemblyName: "FodySubjectTwiceOnce");

        var second = new ModuleWeaver { Config = new XElement("Autodiff") }
            .ExecuteTestRun(first.AssemblyPath, runPeVerify: false, assemblyName: "FodySubjectTwiceAgain");

        Assert.That(second.Errors, Is.Empty);
        Assert.That(second.Messages.Select(m => m.Text), Has.Some.Contains("info AD9101: "));
    }

    [Test]
    public void ReportsAnErrorAtThePrimalsSourceLine()
    {
        var result = new ModuleWeaver { Config = new XElement("Autodiff") }
            .ExecuteTestRun(Compile(BadSource, "FodySubjectBad"), runPeVerify: false);

        var error = result.Errors.Single();
        Assert.That(error.Text, Does.StartWith("AD1001: "));
        Assert.That(error.SequencePoint, Is.Not.Null);
        Assert.That((error.SequencePoint!.Document.Url, error.SequencePoint.StartLine), Is.EqualTo(("FodySubjectBad.cs", 6)));
    }

    [Test]
    public void ReadsFlagsAndDumpDirectoryFromTheConfigurationRelativeToTheProject()
    {
        var weaver = new ModuleWeaver
        {
            Config = new XElement("Autodiff", new XAttribute("Flags", "PrintModBefore"), new XAttribute("DumpDirectory", "obj/autodiff")),
            ProjectDirectoryPath = directory,
        };

        var result = weaver.ExecuteTestRun(Compile(Source, "FodySubjectDump"), runPeVerify: false);

        Assert.That(result.Errors, Is.Empty, string.Join("\n", result.Errors.Select(e => e.Text)));
        Assert.That(File.Exists(Path.Combine(directory, "obj", "autodiff", "Model.F.before.ir")), Is.True);
    }

    [Test]
    public void AnUnknownFlagIsAnError()
    {
        var weaver = new ModuleWeaver { Config = new XElement("Autodiff", new XAttribute("Flags", "PrintEverything")) };

        var result = weaver.ExecuteTestRun(Compile(Source, "FodySubjectFlag"), runPeVerify: false);

        Assert.That(result.Errors.Single().Text, Does.StartWith("AD9102: ").And.Contain("'PrintEverything'"));
    }

    private string Compile(string source, string name)
    {
        var compiled = TestCompiler.Compile(source, name);
        var path = Path.Combine(directory, name + ".dll");
        File.WriteAllBytes(path, compiled.Assembly);
        File.WriteAllBytes(Path.ChangeExtension(path, ".pdb"), compiled.Pdb);
        return path;
    }
}
