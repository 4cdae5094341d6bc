using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;

namespace Autodiff.Cli;

/// <summary>The <c>adweave</c> command line: <c>weave</c>, <c>list</c> and <c>inspect</c> (DESIGN §4).</summary>
public static class Adweave
{
    /// <summary>Runs one command line, writing to the given streams; returns the exit code.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("Autodiff: differentiates [Autodiff] methods of a .NET assembly in place")
        {
            WeaveCommand.Create(output, error),
            ListCommand.Create(output, error),
            InspectCommand.Create(output, error),
        };
        var parsed = root.Parse(args);
        // System.CommandLine reports parse errors with exit code 1, which adweave reserves for diagnostics.
        if (parsed.Errors.Count > 0)
        {
            foreach (var parseError in parsed.Errors)
                error.WriteLine("adweave: " + parseError.Message);
            error.WriteLine("Run 'adweave --help' for usage.");
            return ExitCode.UsageOrIoError;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is UsageException or IOException or UnauthorizedAccessException or BadImageFormatException)
        {
            error.WriteLine("adweave: " + e.Message);
            return ExitCode.UsageOrIoError;
        }
        catch (Mono.Cecil.AssemblyResolutionException e)
        {
            error.WriteLine($"adweave: cannot find the referenced assembly {e.AssemblyReference.FullName}; pass it (or its folder) with -r");
            return ExitCode.UsageOrIoError;
        }
    }

    /// <summary>Writes each diagnostic in MSBuild's canonical format; returns true when one is an error.</summary>
    internal static bool Report(IEnumerable<Weaver.Diagnostics.Diagnostic> diagnostics, TextWriter error)
    {
        var list = diagnostics.ToList();
        foreach (var diagnostic in list)
            error.WriteLine(diagnostic.ToString());
        return list.Any(d => d.Severity == Weaver.Diagnostics.DiagnosticSeverity.Error);
    }
}
