using System;
using System.IO;
using Autodiff.Tests.Cli;
using NUnit.Framework;

namespace Autodiff.Tests.Packaging;

/// <summary>adweave as a .NET tool: packed by <c>dotnet pack Cli</c>, installed from a folder feed, run on a compiled DLL.</summary>
[Category("Slow")]
public sealed class ToolPackageTests
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

    [Test]
    public void InstallsFromAFolderFeedAndListsTheRequestsOfACompiledAssembly()
    {
        using var feed = new LocalFeed();
        feed.Pack("Cli/Cli.csproj", "adweave");
        var tools = feed.NewDirectory("tools");

        var install = DotnetCommand.Run(feed.Root,
            "tool", "install", "--tool-path", tools, "--add-source", feed.FeedDirectory, "adweave", "--version", feed.Version);
        Assert.That(install.ExitCode, Is.Zero, install.Output);

        using var subject = new AdweaveRun(Source);
        File.Copy(AdweaveRun.RuntimePath, Path.Combine(subject.Directory, Path.GetFileName(AdweaveRun.RuntimePath)));
        var list = DotnetCommand.Start(Path.Combine(tools, OperatingSystem.IsWindows() ? "adweave.exe" : "adweave"), subject.Directory, "list", subject.AssemblyPath);

        Assert.That(list.ExitCode, Is.Zero, list.Output);
        Assert.That(list.Output.Trim(), Is.EqualTo(
            "Model::F(float64, float64): reverse (Active, Active) -> Active => Model::GradientOfF(float64, float64, float64) [not woven]"));
    }
}
