using System;
using System.IO;

namespace Autodiff.Benchmarks.Data;

/// <summary>
/// Finds ADBench's inputs: the repository sits at &lt;x&gt;/repo (or a worktree) and the shared data at
/// &lt;x&gt;/shared/data/adbench, so walk up from the running assembly until a folder has that sibling.
/// </summary>
public static class AdbenchDirectory
{
    private const string Relative = "shared/data/adbench";

    /// <summary>The absolute path of the adbench folder; throws naming where it looked when there is none.</summary>
    public static string Root { get; } = Find(AppContext.BaseDirectory);

    /// <summary>The absolute path of <paramref name="relativePath"/> (e.g. "gmm/test.txt") inside the adbench folder.</summary>
    public static string File(string relativePath) => Path.Combine(Root, relativePath);

    private static string Find(string start)
    {
        for (var directory = new DirectoryInfo(start); directory != null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, Relative);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            $"No '{Relative}' folder next to any parent of {start}; put the ADBench data at <x>/{Relative} beside the repository <x>/repo.");
    }
}
