using System.CommandLine;
using System.IO;
using Autodiff.Weaver.Loading;
using Autodiff.Weaver.Pipeline;

namespace Autodiff.Cli;

/// <summary><c>adweave list &lt;assembly&gt;</c>: every request — primal, mode, activities, derivative, woven or not.</summary>
internal static class ListCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var assembly = new Argument<string>("assembly") { Description = "The assembly whose requests to list" };
        var references = CommonOptions.References();
        var command = new Command("list", "List the [Autodiff] requests of an assembly") { assembly, references };
        command.SetAction(parsed =>
        {
            using var module = AssemblyFiles.Read(parsed.GetValue(assembly)!, parsed.GetValue(references) ?? []);
            var woven = WovenMarker.IsWoven(module);
            var discovery = RequestDiscovery.Discover(module, alreadyWoven: woven);
            foreach (var request in discovery.Requests)
                output.WriteLine(Describe(request, woven));
            return Adweave.Report(discovery.Diagnostics, error) ? ExitCode.DiagnosticsReported : ExitCode.Success;
        });
        return command;
    }

    private static string Describe(DifferentiationRequest request, bool woven)
    {
        var activities = string.Join(", ", request.ParameterActivities);
        var result = request.ReturnActivity is { } returnActivity ? " -> " + returnActivity : string.Empty;
        var width = request.Width > 1 ? $" width {request.Width}" : string.Empty;
        var state = woven && request.Derivative.HasBody ? "woven" : "not woven";
        return $"{MethodNames.Display(request.Primal)}: {request.Mode.ToString().ToLowerInvariant()} ({activities}){result}{width} => {MethodNames.Display(request.Derivative)} [{state}]";
    }
}
