using System;
using System.IO;
using System.Linq;
using Autodiff.Tests.Infrastructure;
using Autodiff.Weaver.Diagnostics;
using Autodiff.Weaver.Pipeline;
using NUnit.Framework;

namespace Autodiff.Tests.EndToEnd;

/// <summary>What a weaving run promises as a whole: error isolation, locations, idempotence, determinism, dumps.</summary>
public sealed class WeavingRunTests
{
    private const string Good = """
        using System.CodeDom.Compiler;
        using Autodiff;

        public static class Good
        {
            [Autodiff(nameof(DSquare), Mode.Reverse, Activity.Active, Activity.Active)]
            public static double Square(double x) => x * x;

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) DSquare(double x, double seed);
        }
        """;

    [Test]
    public void EveryFailingRequestIsReportedAtItsSourceLineAndTheOthersStillWeave()
    {
        const string source = Good + """

            public static class Bad
            {
                [Autodiff("DOne", Mode.Reverse, Activity.Active)]
                public static double One(double x) => x;

                [Autodiff("DTwo", Mode.Reverse, Activity.Dual, Activity.Active)]
                public static double Two(double x) => x;
            }
            """;
        using var woven = WovenAssembly.Compile(source);

        Assert.That(woven.Result.Succeeded, Is.False);
        var errors = woven.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.That(errors.Select(e => e.Code), Is.EquivalentTo(new[] { DiagnosticCode.WrongActivityCount, DiagnosticCode.ActivityDoesNotFit }));
        Assert.That(errors.Select(e => e.ToString()), Has.All.Match(@"^TestSubject\.cs\(\d+,\d+\): error AD1\d{3}: "));
        Assert.That(woven.Diagnostics.Where(d => d.Member.Contains("Good")), Is.Empty);
    }

    [Test]
    public void WeavingTheSameInputTwiceGivesIdenticalBytes()
    {
        var compiled = TestCompiler.Compile(Good);
        Assert.That(WeaveToBytes(compiled), Is.EqualTo(WeaveToBytes(compiled)));
    }

    [Test]
    public void AWovenModuleIsLeftAloneWithAnInfo()
    {
        var compiled = TestCompiler.Compile(Good);
        using var module = WovenAssembly.Read(compiled);
        Assert.That(AssemblyWeaver.Weave(module, new WeaverOptions()).Succeeded, Is.True);
        var before = WovenAssembly.Write(module).Assembly;

        var second = AssemblyWeaver.Weave(module, new WeaverOptions());

        Assert.That(second.Succeeded, Is.True);
        Assert.That(second.Diagnostics.Select(d => (d.Code, d.Severity)), Is.EqualTo(new[] { (DiagnosticCode.AlreadyWoven, DiagnosticSeverity.Info) }));
        Assert.That(WovenAssembly.Write(module).Assembly, Is.EqualTo(before));
    }

    [Test]
    public void PrintFlagsWriteOneIrDumpPerMethodAndStage()
    {
        var directory = Path.Combine(Path.GetTempPath(), "autodiff-dumps-" + Guid.NewGuid().ToString("N"));
        try
        {
            var options = new WeaverOptions
            {
                Flags = WeaverFlags.PrintModBefore | WeaverFlags.PrintModAfterAD | WeaverFlags.PrintModFinal,
                DumpDirectory = directory,
                VerifyIr = true,
            };
            using var woven = WovenAssembly.Compile(Good, options);

            Assert.That(woven.Result.Succeeded, Is.True, woven.ErrorText);
            Assert.That(Directory.GetFiles(directory).Select(Path.GetFileName), Is.EquivalentTo(new[]
            {
                "Good.Square.before.ir", "Good.DSquare.after-ad.ir", "Good.DSquare.final.ir",
            }));
            Assert.That(File.ReadAllText(Path.Combine(directory, "Good.Square.before.ir")), Does.StartWith("method float64 Good::Square(float64 %x)"));
        }
        finally
        {
            if (Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public void AnUnexpectedFailureIsAnInternalErrorAtThePrimalThatSaysWhereItsDumpIs()
    {
        // A dump directory that is a file makes writing the requested dump throw an IOException mid-pipeline.
        var notADirectory = Path.GetTempFileName();
        try
        {
            using var woven = WovenAssembly.Compile(Good, new WeaverOptions { Flags = WeaverFlags.PrintModBefore, DumpDirectory = notADirectory, VerifyIr = true });

            var error = woven.Diagnostics.Single();
            Assert.That(error.Code, Is.EqualTo(DiagnosticCode.InternalError));
            Assert.That(error.ToString(), Does.Match(@"^TestSubject\.cs\(7,\d+\): error AD9001: internal error while running stage 'lift' on System.Double Good::Square\(System.Double\): IOException: "));
            Assert.That(error.Message, Does.Contain("; the IR dump could not be written to " + notADirectory + ": "));
        }
        finally
        {
            File.Delete(notADirectory);
        }
    }

    private static byte[] WeaveToBytes(TestCompiler.Output compiled)
    {
        using var module = WovenAssembly.Read(compiled);
        var result = AssemblyWeaver.Weave(module, new WeaverOptions { VerifyIr = true });
        Assert.That(result.Succeeded, Is.True, string.Join("\n", result.Diagnostics));
        return WovenAssembly.Write(module).Assembly;
    }
}
