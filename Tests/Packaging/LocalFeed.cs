using System;
using System.IO;
using System.Linq;
using System.Reflection;
using NUnit.Framework;

namespace Autodiff.Tests.Packaging;

/// <summary>
/// A temporary folder holding a local NuGet feed, packages packed into it from this repository under a
/// version no earlier run used (so NuGet's global cache never serves a stale copy), and scratch folders for
/// projects consuming them. Disposing deletes the folder and what the cache kept of those versions.
/// </summary>
public sealed class LocalFeed : IDisposable
{
    public LocalFeed()
    {
        Root = Path.Combine(Path.GetTempPath(), "autodiff-packaging-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(FeedDirectory);
        Version = "0.1.0-test." + DateTime.UtcNow.Ticks;
    }

    public string Root { get; }

    public string FeedDirectory => Path.Combine(Root, "feed");

    /// <summary>The prerelease version every package of this feed is packed with.</summary>
    public string Version { get; }

    /// <summary>The repository's root: the folder above the test assembly holding Autodiff.sln.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); directory != null; directory = directory.Parent)
                if (File.Exists(Path.Combine(directory.FullName, "Autodiff.sln")))
                    return directory.FullName;
            throw new InvalidOperationException("Autodiff.sln not found above " + TestContext.CurrentContext.TestDirectory);
        }
    }

    /// <summary>Packs a project of this repository (path relative to its root) in the tests' own configuration.</summary>
    public string Pack(string project, string packageId)
    {
        var configuration = typeof(LocalFeed).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        var (code, output) = DotnetCommand.Run(RepositoryRoot,
            "pack", project, "-c", configuration, "-o", FeedDirectory, "-p:Version=" + Version,
            "--disable-build-servers", "-nodeReuse:false");
        Assert.That(code, Is.Zero, output);
        var package = Path.Combine(FeedDirectory, $"{packageId}.{Version}.nupkg");
        Assert.That(File.Exists(package), Is.True, output);
        return package;
    }

    /// <summary>A new empty folder under the feed's root, for a project or a tool path.</summary>
    public string NewDirectory(string name)
    {
        var directory = Path.Combine(Root, name);
        Directory.CreateDirectory(directory);
        return directory;
    }

    public void Dispose()
    {
        Directory.Delete(Root, recursive: true);
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var id in new[] { "autodiff.fody", "adweave" })
        {
            var package = Path.Combine(cache, id);
            var cached = Path.Combine(package, Version);
            if (Directory.Exists(cached))
                Directory.Delete(cached, recursive: true);
            // The package's own folder too, when no other version of it is cached.
            if (Directory.Exists(package) && !Directory.EnumerateFileSystemEntries(package).Any())
                Directory.Delete(package);
        }
    }
}
