using System;
using System.IO;
using System.Runtime.CompilerServices;
using NUnit.Framework;

namespace Autodiff.Tests.Frontend;

/// <summary>
/// Compares text with a golden file stored next to the tests (copied to the output folder). Setting
/// AUTODIFF_UPDATE_GOLDEN=1 rewrites the file in the source tree instead, for review in the diff.
/// </summary>
public static class GoldenFile
{
    public static void AssertMatches(string folder, string name, string actual, [CallerFilePath] string callerPath = "")
    {
        actual = actual.Replace("\r\n", "\n");
        if (Environment.GetEnvironmentVariable("AUTODIFF_UPDATE_GOLDEN") == "1")
        {
            var sourcePath = Path.Combine(Path.GetDirectoryName(callerPath)!, folder, name);
            File.WriteAllText(sourcePath, actual);
            Assert.Warn($"Golden file {sourcePath} was rewritten; review the diff.");
            return;
        }
        var stage = Path.GetFileName(Path.GetDirectoryName(callerPath)!);
        var expectedPath = Path.Combine(TestContext.CurrentContext.TestDirectory, stage, folder, name);
        Assert.That(File.Exists(expectedPath), Is.True, $"missing golden file {expectedPath}; run with AUTODIFF_UPDATE_GOLDEN=1 to create it");
        Assert.That(actual, Is.EqualTo(File.ReadAllText(expectedPath).Replace("\r\n", "\n")), $"IR differs from {name}");
    }
}
