using System.IO;
using Autodiff.Cli;
using Autodiff.Tests.Cli;
using NUnit.Framework;

namespace Autodiff.Tests.Packaging;

/// <summary>
/// DESIGN: weaving the same input twice yields identical bytes — so a rebuild, a CI machine and a
/// developer's adweave produce the same DLL and PDB.
/// </summary>
public sealed class RepeatableWeavingTests
{
    private const string Source = """
        using System;
        using System.CodeDom.Compiler;
        using Autodiff;

        public static class Model
        {
            [Autodiff(nameof(GradientOfF), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
            [Autodiff(nameof(TangentOfF), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double F(double x, double y) => x > y ? Math.Sin(x) * y : x * y * y;

            [Autodiff("DCube", Mode.Reverse, Activity.Active, Activity.Active)]
            public static double Cube(double x) => x * x * x;

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double, double) GradientOfF(double x, double y, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) TangentOfF(double x, double dx, double y, double dy);
        }
        """;

    [Test]
    public void AdweaveWeavingTheSameInputTwiceFromScratchWritesIdenticalDllAndPdb()
    {
        using var run = new AdweaveRun(Source);
        var first = Path.Combine(run.Directory, "first", "TestSubject.dll");
        var second = Path.Combine(run.Directory, "second", "TestSubject.dll");

        Assert.That(AdweaveRun.Run("weave", run.AssemblyPath, "-o", first, "-r", AdweaveRun.RuntimePath).ExitCode, Is.EqualTo(ExitCode.Success));
        Assert.That(AdweaveRun.Run("weave", run.AssemblyPath, "-o", second, "-r", AdweaveRun.RuntimePath).ExitCode, Is.EqualTo(ExitCode.Success));

        Assert.That(File.ReadAllBytes(second), Is.EqualTo(File.ReadAllBytes(first)));
        Assert.That(File.ReadAllBytes(Path.ChangeExtension(second, ".pdb")), Is.EqualTo(File.ReadAllBytes(Path.ChangeExtension(first, ".pdb"))));
    }
}
