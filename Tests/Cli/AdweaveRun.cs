using System;
using System.IO;
using Autodiff.Cli;
using Autodiff.Tests.Infrastructure;

namespace Autodiff.Tests.Cli;

/// <summary>A compiled test assembly (DLL and PDB) in a temporary folder, and adweave run in-process on it.</summary>
public sealed class AdweaveRun : IDisposable
{
    public AdweaveRun(string source)
    {
        Directory = Path.Combine(Path.GetTempPath(), "adweave-test-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        var compiled = TestCompiler.Compile(source);
        AssemblyPath = Path.Combine(Directory, compiled.AssemblyName + ".dll");
        File.WriteAllBytes(AssemblyPath, compiled.Assembly);
        File.WriteAllBytes(PdbPath, compiled.Pdb);
    }

    public string Directory { get; }

    public string AssemblyPath { get; }

    public string PdbPath => Path.ChangeExtension(AssemblyPath, ".pdb");

    /// <summary>Autodiff.dll, passed with -r because the test folder does not hold it.</summary>
    public static string RuntimePath => typeof(AutodiffAttribute).Assembly.Location;

    /// <summary>Runs <c>adweave</c> with the arguments; returns its exit code and what it wrote.</summary>
    public static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = Adweave.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
