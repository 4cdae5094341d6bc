using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using Autodiff.Cli;
using Autodiff.Tests.Infrastructure;
using Autodiff.Weaver.Loading;
using NUnit.Framework;

namespace Autodiff.Tests.Cli;

public sealed class WeaveCommandTests
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

    [Test]
    public void WeavesInPlaceAndTheDerivativeIsCorrect()
    {
        using var run = new AdweaveRun(Source);

        var (code, _, error) = AdweaveRun.Run("weave", run.AssemblyPath, "-r", AdweaveRun.RuntimePath);

        Assert.That(code, Is.EqualTo(ExitCode.Success), error);
        using var loaded = new LoadedAssembly(File.ReadAllBytes(run.AssemblyPath), File.ReadAllBytes(run.PdbPath));
        loaded.PrepareAllMethods();
        var result = (ITuple)loaded.Invoke("Model", "GradientOfF", 5.0, 7.0, 1.0)!;
        Assert.That(new[] { result[0], result[1], result[2] }, Is.EqualTo(new object[] { 46.0, 10.0, 3.0 }));
    }

    [Test]
    public void TheWrittenPdbMapsTheDerivativeToThePrimalsSource()
    {
        using var run = new AdweaveRun(Source);
        Assert.That(AdweaveRun.Run("weave", run.AssemblyPath, "-r", AdweaveRun.RuntimePath).ExitCode, Is.EqualTo(ExitCode.Success));

        using var module = ModuleLoader.Read(run.AssemblyPath, new[] { AdweaveRun.RuntimePath });

        var derivative = module.GetType("Model").Methods.Single(m => m.Name == "GradientOfF");
        var lines = derivative.DebugInformation.SequencePoints.Where(p => !p.IsHidden).Select(p => (p.Document.Url, p.StartLine)).Distinct();
        Assert.That(lines, Is.EqualTo(new[] { ("TestSubject.cs", 7) }));
    }

    [Test]
    public void WritesToTheOutputPathAndLeavesTheInputAlone()
    {
        using var run = new AdweaveRun(Source);
        var input = File.ReadAllBytes(run.AssemblyPath);
        var output = Path.Combine(run.Directory, "out", "Woven.dll");

        var (code, _, error) = AdweaveRun.Run("weave", run.AssemblyPath, "-o", output, "-r", AdweaveRun.RuntimePath);

        Assert.That(code, Is.EqualTo(ExitCode.Success), error);
        Assert.That(File.ReadAllBytes(run.AssemblyPath), Is.EqualTo(input));
        Assert.That(File.Exists(output) && File.Exists(Path.ChangeExtension(output, ".pdb")), Is.True);
        Assert.That(Directory.GetFiles(Path.GetDirectoryName(output)!, "*.tmp"), Is.Empty);
    }

    [Test]
    public void WeavingTwiceInPlaceChangesNothingTheSecondTime()
    {
        using var run = new AdweaveRun(Source);
        Assert.That(AdweaveRun.Run("weave", run.AssemblyPath, "-r", AdweaveRun.RuntimePath).ExitCode, Is.EqualTo(ExitCode.Success));
        var once = File.ReadAllBytes(run.AssemblyPath);

        var (code, _, error) = AdweaveRun.Run("weave", run.AssemblyPath, "-r", AdweaveRun.RuntimePath);

        Assert.That(code, Is.EqualTo(ExitCode.Success));
        Assert.That(error, Does.Contain("info AD9101"));
        Assert.That(File.ReadAllBytes(run.AssemblyPath), Is.EqualTo(once));
    }

    [Test]
    public void ABadRequestExitsWithOneAtTheSourceLineAndLeavesDllAndPdbUnchanged()
    {
        using var run = new AdweaveRun(BadSource);
        var dll = File.ReadAllBytes(run.AssemblyPath);
        var pdb = File.ReadAllBytes(run.PdbPath);

        var (code, _, error) = AdweaveRun.Run("weave", run.AssemblyPath, "-r", AdweaveRun.RuntimePath);

        Assert.That(code, Is.EqualTo(ExitCode.DiagnosticsReported));
        Assert.That(error, Does.Match(@"TestSubject\.cs\(6,\d+\): error AD1\d{3}: "));
        Assert.That(File.ReadAllBytes(run.AssemblyPath), Is.EqualTo(dll));
        Assert.That(File.ReadAllBytes(run.PdbPath), Is.EqualTo(pdb));
        Assert.That(Directory.GetFiles(run.Directory), Has.Length.EqualTo(2));
    }

    [Test]
    public void RoundTripRebuildsEveryBodyAndReportsCoverage()
    {
        using var run = new AdweaveRun(Source);

        var (code, _, error) = AdweaveRun.Run("weave", run.AssemblyPath, "--round-trip", "-r", AdweaveRun.RuntimePath);

        Assert.That(code, Is.EqualTo(ExitCode.Success), error);
        Assert.That(error, Does.Contain("info AD9103: round trip: "));
        using var loaded = new LoadedAssembly(File.ReadAllBytes(run.AssemblyPath), File.ReadAllBytes(run.PdbPath));
        loaded.PrepareAllMethods();
        Assert.That(loaded.Invoke("Model", "F", 5.0, 7.0), Is.EqualTo(46.0));
    }

    [Test]
    public void AMissingAutodiffReferenceIsADiagnosticThatSaysHowToPassIt()
    {
        using var run = new AdweaveRun(Source);
        var (code, _, error) = AdweaveRun.Run("weave", run.AssemblyPath);
        Assert.That(code, Is.EqualTo(ExitCode.DiagnosticsReported), error);
        Assert.That(error, Does.Contain("error AD1010: ").And.Contain("adweave -r"));
    }

    [Test]
    public void AMissingAssemblyIsAnIoError()
    {
        var (code, _, error) = AdweaveRun.Run("weave", Path.Combine(Path.GetTempPath(), "no-such-assembly.dll"));
        Assert.That(code, Is.EqualTo(ExitCode.UsageOrIoError));
        Assert.That(error, Does.Contain("does not exist"));
    }

    [Test]
    public void AnUnknownFlagIsAUsageError()
    {
        using var run = new AdweaveRun(Source);
        var (code, _, error) = AdweaveRun.Run("weave", run.AssemblyPath, "--flags", "PrintEverything");
        Assert.That(code, Is.EqualTo(ExitCode.UsageOrIoError));
        Assert.That(error, Does.Contain("'PrintEverything'"));
    }

    [TestCase]
    [TestCase("frobnicate")]
    [TestCase("weave")]
    public void ACommandLineThatDoesNotParseIsAUsageError(params string[] args) =>
        Assert.That(AdweaveRun.Run(args).ExitCode, Is.EqualTo(ExitCode.UsageOrIoError));

    [Test]
    public void AFileThatIsNotAnAssemblyIsAnIoError()
    {
        using var run = new AdweaveRun(Source);
        File.WriteAllText(run.AssemblyPath, "not a PE file");
        Assert.That(AdweaveRun.Run("weave", run.AssemblyPath).ExitCode, Is.EqualTo(ExitCode.UsageOrIoError));
    }
}
