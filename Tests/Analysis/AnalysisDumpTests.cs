using System.IO;
using Autodiff.Tests.Differentiation;
using Autodiff.Weaver.Differentiation;
using Autodiff.Weaver.Loading;
using Autodiff.Weaver.Pipeline;
using NUnit.Framework;

namespace Autodiff.Tests.Analysis;

/// <summary>PrintAA / PrintTA write a readable dump per method into the dump directory.</summary>
public sealed class AnalysisDumpTests
{
    private string directory = null!;

    [SetUp]
    public void CreateDirectory() => directory = Directory.CreateTempSubdirectory("autodiff-dump-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(directory, recursive: true);

    [Test]
    public void PrintFlagsWriteActivityAndTypeDumps()
    {
        var primal = Primals.Binary(Primals.Types.Double, (b, x, y) => b.Mul(b.Mul(x, x), b.Add(y, b.Method.Float64(1))));
        var request = TestRequests.Reverse(primal, ActivityKind.Active, ActivityKind.Const, ActivityKind.Active);
        DerivativeSynthesizer.Synthesize(primal, request, new WeaverOptions { Flags = WeaverFlags.PrintAA | WeaverFlags.PrintTA, DumpDirectory = directory });

        var activity = File.ReadAllText(Path.Combine(directory, "F.aa.txt"));
        Assert.That(activity, Does.Contain("; param x: active, varied, useful"));
        Assert.That(activity, Does.Contain("; param y: inactive, useful"));
        Assert.That(activity, Does.Contain("%0 = mul float64 %x, %x    ; active, varied, useful"));
        Assert.That(activity, Does.Contain("%1 = add float64 %y, 1.0    ; inactive, useful"));

        var types = File.ReadAllText(Path.Combine(directory, "F.ta.txt"));
        Assert.That(types, Does.Contain("; param x: float64, differentiable"));
    }

    [Test]
    public void WithoutFlagsNothingIsWritten()
    {
        var primal = Primals.Unary(Primals.Types.Double, (b, x) => b.Mul(x, x));
        DerivativeSynthesizer.Synthesize(primal, TestRequests.Reverse(primal, ActivityKind.Active, ActivityKind.Active), new WeaverOptions { DumpDirectory = directory });
        Assert.That(Directory.GetFiles(directory), Is.Empty);
    }
}
