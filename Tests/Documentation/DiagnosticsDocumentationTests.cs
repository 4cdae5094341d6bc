using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Autodiff.Tests.Packaging;
using Autodiff.Weaver.Diagnostics;
using NUnit.Framework;

namespace Autodiff.Tests.Documentation;

/// <summary>
/// docs/diagnostics.md explains every id a user can meet (ILSpy's guard-test habit): adding a code
/// without documenting it fails here.
/// </summary>
public sealed class DiagnosticsDocumentationTests
{
    private static string Page => File.ReadAllText(Path.Combine(LocalFeed.RepositoryRoot, "docs", "diagnostics.md"));

    [Test]
    public void DocumentsEveryWeaverCode()
    {
        var page = Page;
        var missing = Enum.GetValues<DiagnosticCode>().Select(c => "### AD" + (int)c + " ").Where(h => !page.Contains(h, StringComparison.Ordinal));
        Assert.That(missing, Is.Empty);
    }

    [Test]
    public void DocumentsEveryGeneratorCode()
    {
        var ids = GeneratorIds();
        var page = Page;

        Assert.That(ids, Is.Not.Empty);
        Assert.That(ids.Where(id => !page.Contains("### " + id + " ", StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public void DocumentsNoCodeThatDoesNotExist()
    {
        var known = Enum.GetValues<DiagnosticCode>().Select(c => "AD" + (int)c).Concat(GeneratorIds());
        var documented = Regex.Matches(Page, @"^### (AD\d{4}) ", RegexOptions.Multiline).Select(m => m.Groups[1].Value);
        Assert.That(documented, Is.SubsetOf(known));
    }

    // The generator's release tracking (RS2008) lists each id it reports.
    private static string[] GeneratorIds() =>
        Directory.GetFiles(Path.Combine(LocalFeed.RepositoryRoot, "Generator"), "AnalyzerReleases.*.md")
            .SelectMany(file => Regex.Matches(File.ReadAllText(file), @"^(AD\d{4})\s*\|", RegexOptions.Multiline))
            .Select(m => m.Groups[1].Value)
            .Distinct()
            .ToArray();
}
