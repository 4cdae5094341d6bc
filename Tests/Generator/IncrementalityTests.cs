extern alias AutodiffGenerator;

using System.Linq;
using Autodiff.Tests.Infrastructure;
using Autodiff.Tests.Loading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using NUnit.Framework;
using AutodiffSourceGenerator = AutodiffGenerator::Autodiff.Generator.AutodiffGenerator;

namespace Autodiff.Tests.Generator;

/// <summary>
/// The generator's pipeline values compare by content: an edit that does not change what is generated (here, a
/// primal's body, which re-runs the transform of its file) regenerates nothing.
/// </summary>
public sealed class IncrementalityTests
{
    [Test]
    public void EditingAPrimalsBodyLeavesTheOutputsCached()
    {
        var compilation = TestCompiler.CreateCompilation(LoadedSource.Header + """
            public static partial class Model
            {
                [Autodiff(nameof(DF), Mode.Reverse, Activity.Active, Activity.Active)]
                public static double F(double x) => x * x;
            }
            """);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            new[] { new AutodiffSourceGenerator().AsSourceGenerator() },
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        driver = driver.RunGenerators(compilation);

        var tree = compilation.SyntaxTrees.Single();
        var edited = compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(SourceText.From(tree.ToString().Replace("x * x", "x * x * 1"))));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        Assert.That(result.GeneratedSources, Has.Length.EqualTo(1));
        var reasons = result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
        Assert.That(reasons, Is.Not.Empty.And.All.Matches<IncrementalStepRunReason>(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
    }
}
