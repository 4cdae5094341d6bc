using System.CommandLine;
using System.IO;
using System.Linq;
using Autodiff.Weaver.Diagnostics;
using Autodiff.Weaver.Pipeline;

namespace Autodiff.Cli;

/// <summary><c>adweave weave &lt;assembly&gt; [-o out] [-r ref]... [--flags list] [--dump-dir dir] [--round-trip]</c>.</summary>
internal static class WeaveCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var assembly = new Argument<string>("assembly") { Description = "The assembly to weave; rewritten in place unless -o is given" };
        var destination = new Option<string?>("--output", "-o") { Description = "Where to write the woven assembly (and its PDB)" };
        var references = CommonOptions.References();
        var flags = new Option<string?>("--flags") { Description = "Comma-separated weaver flags: " + string.Join(", ", WeaverFlagNames.All) };
        var dumpDirectory = new Option<string?>("--dump-dir") { Description = "Folder for IR dumps (Print* flags, internal errors)" };
        var roundTrip = new Option<bool>("--round-trip") { Description = "Lift and lower every method body without differentiating" };
        var command = new Command("weave", "Synthesize the derivatives an assembly asks for with [Autodiff]")
        {
            assembly, destination, references, flags, dumpDirectory, roundTrip,
        };
        command.SetAction(parsed =>
        {
            if (!WeaverFlagNames.TryParse(parsed.GetValue(flags), out var weaverFlags, out var unknown))
                throw new UsageException(WeaverFlagNames.UnknownFlagMessage(unknown!));
            var options = new WeaverOptions
            {
                Flags = weaverFlags,
                DumpDirectory = parsed.GetValue(dumpDirectory),
                RoundTripOnly = parsed.GetValue(roundTrip),
            };
            var input = parsed.GetValue(assembly)!;
            using var module = AssemblyFiles.Read(input, parsed.GetValue(references) ?? []);
            var result = AssemblyWeaver.Weave(module, options);
            if (Adweave.Report(result.Diagnostics, error))
                return ExitCode.DiagnosticsReported;
            // Rewriting an already woven file in place would change nothing but its timestamp.
            var alreadyWoven = result.Diagnostics.Any(d => d.Code == DiagnosticCode.AlreadyWoven);
            if (alreadyWoven && parsed.GetValue(destination) == null)
                return ExitCode.Success;
            var target = parsed.GetValue(destination) ?? input;
            AssemblyFiles.Write(module, target);
            output.WriteLine((options.RoundTripOnly ? "round-tripped " : "woven ") + Path.GetFullPath(target));
            return ExitCode.Success;
        });
        return command;
    }
}
