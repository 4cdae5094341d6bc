using System;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Threading.Tasks;

namespace Autodiff.Tests.Packaging;

/// <summary>
/// Runs the <c>dotnet</c> driver in a child process, as a user would in a terminal, and returns its exit
/// code and everything it wrote. No build server or MSBuild node outlives the command.
/// </summary>
public static class DotnetCommand
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public static (int ExitCode, string Output) Run(string workingDirectory, params string[] arguments) =>
        Start("dotnet", workingDirectory, arguments);

    /// <summary>Runs an installed program (a .NET tool's shim) the same way.</summary>
    public static (int ExitCode, string Output) Start(string program, string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        // The test host runs inside `dotnet test`, whose MSBuild settings would steer the child's build.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToArray())
            start.Environment.Remove(name);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";

        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        var reading = Task.WhenAll(
            Task.Run(() => Append(output, process.StandardOutput.ReadToEnd())),
            Task.Run(() => Append(output, process.StandardError.ReadToEnd())));
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish in {Timeout}");
        }
        reading.Wait();
        return (process.ExitCode, output.ToString());
    }

    private static void Append(StringBuilder output, string text)
    {
        lock (output)
            output.Append(text);
    }
}
