using System.Collections.Generic;
using System.IO;
using Autodiff.Weaver.Diagnostics;
using Autodiff.Weaver.Pipeline;
using Fody;
using Mono.Cecil.Cil;

namespace Autodiff.Weaver;

/// <summary>
/// The Fody add-in: a thin door that reads <c>&lt;Autodiff Flags="…" DumpDirectory="…" /&gt;</c> from
/// <c>FodyWeavers.xml</c>, weaves with <see cref="AssemblyWeaver"/> and reports each diagnostic at the
/// user's source line (InlineIL.Fody's habit). Fody writes the module only when no error was reported.
/// </summary>
public sealed class ModuleWeaver : BaseModuleWeaver
{
    // Woven code calls Autodiff.dll's runtime helpers, and users keep its attributes on their methods, so
    // the reference must survive weaving.
    public override bool ShouldCleanReference => false;

    public override void Execute()
    {
        var flagsText = Config?.Attribute("Flags")?.Value;
        if (!WeaverFlagNames.TryParse(flagsText, out var flags, out var unknown))
        {
            WriteError($"AD{(int)DiagnosticCode.UnknownFlag}: " + WeaverFlagNames.UnknownFlagMessage(unknown!) + " (FodyWeavers.xml, <Autodiff Flags=\"…\">)");
            return;
        }
        var dumpDirectory = Config?.Attribute("DumpDirectory")?.Value;
        var options = new WeaverOptions
        {
            Flags = flags,
            DumpDirectory = string.IsNullOrEmpty(dumpDirectory) ? null : Path.Combine(ProjectDirectoryPath, dumpDirectory),
        };

        foreach (var diagnostic in AssemblyWeaver.Weave(ModuleDefinition, options).Diagnostics)
            Report(diagnostic);
    }

    public override IEnumerable<string> GetAssembliesForScanning()
    {
        yield return "netstandard";
        yield return "mscorlib";
        yield return "System.Runtime";
    }

    private void Report(Diagnostic diagnostic)
    {
        // MSBuild shows the location itself, so the text carries only the id and the message.
        var text = diagnostic.Id + ": " + diagnostic.Message;
        var point = PointOf(diagnostic.Location);
        switch (diagnostic.Severity)
        {
            case DiagnosticSeverity.Error:
                WriteError(point == null ? diagnostic.Member + ": " + text : text, point);
                break;
            case DiagnosticSeverity.Warning:
                WriteWarning(point == null ? diagnostic.Member + ": " + text : text, point);
                break;
            default:
                WriteInfo(diagnostic.ToString());
                break;
        }
    }

    // Fody forwards a sequence point's document and start position to MSBuild; the offset is irrelevant.
    private static SequencePoint? PointOf(SourceLocation? location) =>
        location == null
            ? null
            : new SequencePoint(Instruction.Create(OpCodes.Nop), new Document(location.Path))
            {
                StartLine = location.Line,
                StartColumn = location.Column,
                EndLine = location.Line,
                EndColumn = location.Column + 1,
            };
}
