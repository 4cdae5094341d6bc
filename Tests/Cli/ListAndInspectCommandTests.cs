using Autodiff.Cli;
using NUnit.Framework;

namespace Autodiff.Tests.Cli;

public sealed class ListAndInspectCommandTests
{
    private const string Source = """
        using System.CodeDom.Compiler;
        using Autodiff;

        namespace Shapes;

        public static class Model
        {
            [Autodiff(nameof(GradientOfF), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
            [Autodiff(nameof(TangentOfF), Mode.Forward, Activity.Dual, Activity.Const, Activity.Dual)]
            public static double F(double x, double y) => x * x + 3 * y;

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double, double) GradientOfF(double x, double y, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) TangentOfF(double x, double dx, double y);
        }
        """;

    [Test]
    public void ListShowsEveryRequestAndWhetherItIsWoven()
    {
        using var run = new AdweaveRun(Source);

        var before = AdweaveRun.Run("list", run.AssemblyPath, "-r", AdweaveRun.RuntimePath);
        AdweaveRun.Run("weave", run.AssemblyPath, "-r", AdweaveRun.RuntimePath);
        var after = AdweaveRun.Run("list", run.AssemblyPath, "-r", AdweaveRun.RuntimePath);

        Assert.That(before.ExitCode, Is.EqualTo(ExitCode.Success), before.Error);
        Assert.That(before.Output.TrimEnd().Split('\n'), Is.EqualTo(new[]
        {
            "Shapes.Model::F(float64, float64): reverse (Active, Active) -> Active => Shapes.Model::GradientOfF(float64, float64, float64) [not woven]",
            "Shapes.Model::F(float64, float64): forward (Dual, Const) -> Dual => Shapes.Model::TangentOfF(float64, float64, float64) [not woven]",
        }));
        Assert.That(after.Output, Does.Contain("[woven]").And.Not.Contain("not woven"));
    }

    [Test]
    public void ListOfAWovenAssemblyShowsDerivativesTheWeaverAdded()
    {
        using var run = new AdweaveRun("""
            using Autodiff;

            public static class Model
            {
                [Autodiff("DSquare", Mode.Reverse, Activity.Active, Activity.Active)]
                public static double Square(double x) => x * x;
            }
            """);
        AdweaveRun.Run("weave", run.AssemblyPath, "-r", AdweaveRun.RuntimePath);

        var (code, output, error) = AdweaveRun.Run("list", run.AssemblyPath, "-r", AdweaveRun.RuntimePath);

        Assert.That(code, Is.EqualTo(ExitCode.Success), error);
        Assert.That(output.TrimEnd(), Is.EqualTo("Model::Square(float64): reverse (Active) -> Active => Model::DSquare(float64, float64) [woven]"));
    }

    [Test]
    public void InspectAsIlListsTheInstructions()
    {
        using var run = new AdweaveRun(Source);
        var (code, output, error) = AdweaveRun.Run("inspect", run.AssemblyPath, "Shapes.Model::F", "--as", "il");
        Assert.That(code, Is.EqualTo(ExitCode.Success), error);
        Assert.That(output, Does.StartWith("System.Double Shapes.Model::F(System.Double,System.Double)").And.Contain("mul").And.Contain("// line 10"));
    }

    [Test]
    public void InspectAsIrPrintsTheLiftedMethod()
    {
        using var run = new AdweaveRun(Source);
        var (code, output, error) = AdweaveRun.Run("inspect", run.AssemblyPath, "Model.F", "--as", "ir", "-r", AdweaveRun.RuntimePath);
        Assert.That(code, Is.EqualTo(ExitCode.Success), error);
        Assert.That(output, Does.StartWith("method float64 ").And.Contain("F(float64 %x, float64 %y)"));
    }

    [Test]
    public void InspectAsIrAfterAdPrintsEveryDerivativeOfThePrimal()
    {
        using var run = new AdweaveRun(Source);
        var (code, output, error) = AdweaveRun.Run("inspect", run.AssemblyPath, "F", "--as", "ir", "--after", "ad", "-r", AdweaveRun.RuntimePath);
        Assert.That(code, Is.EqualTo(ExitCode.Success), error);
        Assert.That(output, Does.Contain("GradientOfF(").And.Contain("TangentOfF("));
    }

    [Test]
    public void InspectAsCSharpDecompiles()
    {
        using var run = new AdweaveRun(Source);
        var (code, output, error) = AdweaveRun.Run("inspect", run.AssemblyPath, "F", "--as", "csharp");
        Assert.That(code, Is.EqualTo(ExitCode.Success), error);
        Assert.That(output, Does.Contain("return x * x + 3.0 * y;"));
    }

    [Test]
    public void InspectOfAnUnknownMethodIsAUsageError()
    {
        using var run = new AdweaveRun(Source);
        Assert.That(AdweaveRun.Run("inspect", run.AssemblyPath, "Nope").ExitCode, Is.EqualTo(ExitCode.UsageOrIoError));
    }

    [Test]
    public void AfterWithoutIrIsAUsageError()
    {
        using var run = new AdweaveRun(Source);
        Assert.That(AdweaveRun.Run("inspect", run.AssemblyPath, "F", "--after", "ad").ExitCode, Is.EqualTo(ExitCode.UsageOrIoError));
    }
}
