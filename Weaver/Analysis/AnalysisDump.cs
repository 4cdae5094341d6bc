using System;
using System.IO;
using System.Linq;
using System.Text;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Pipeline;

namespace Autodiff.Weaver.Analysis;

/// <summary>
/// Readable dumps of the analyses (flags PrintTA and PrintAA): the printed IR with a comment on each
/// parameter and instruction, written as <c>&lt;method&gt;.ta.txt</c> / <c>&lt;method&gt;.aa.txt</c>.
/// </summary>
public static class AnalysisDump
{
    public static string Types(TypeAnalysis types) =>
        Annotate(types.Method, value => IrPrinter.TypeName(value.Type) + (types.IsDifferentiable(value) ? ", differentiable" : ", not differentiable"));

    public static string Activity(ActivityAnalysis activity) =>
        Annotate(activity.Method, value =>
            (activity.IsActive(value) ? "active" : "inactive")
            + (activity.IsVaried(value) ? ", varied" : "")
            + (activity.IsUseful(value) ? ", useful" : ""));

    /// <summary>Writes the dumps the flags ask for into <see cref="WeaverOptions.DumpDirectory"/>; nothing when it is unset.</summary>
    public static void WriteRequested(WeaverOptions options, TypeAnalysis types, ActivityAnalysis activity)
    {
        if (options.DumpDirectory == null)
            return;
        if ((options.Flags & WeaverFlags.PrintTA) != 0)
            Write(options.DumpDirectory, types.Method.Name + ".ta.txt", Types(types));
        if ((options.Flags & WeaverFlags.PrintAA) != 0)
            Write(options.DumpDirectory, activity.Method.Name + ".aa.txt", Activity(activity));
    }

    private static void Write(string directory, string fileName, string text)
    {
        Directory.CreateDirectory(directory);
        var safeName = new string(fileName.Select(c => Path.GetInvalidFileNameChars().Contains(c) ? '_' : c).ToArray());
        File.WriteAllText(Path.Combine(directory, safeName), text);
    }

    /// <summary>
    /// The printer's text with <paramref name="describe"/> appended to each instruction line; the printer
    /// writes one header line, one line per region, then per block a label and one line per instruction.
    /// </summary>
    private static string Annotate(IrMethod method, Func<Value, string> describe)
    {
        var lines = IrPrinter.Print(method).Split(new[] { '\n' }, StringSplitOptions.RemoveEmptyEntries);
        var text = new StringBuilder();
        text.Append(lines[0]).Append('\n');
        foreach (var parameter in method.Parameters)
            text.Append("  ; param ").Append(parameter.Name ?? "arg" + parameter.Index).Append(": ").Append(describe(parameter)).Append('\n');
        var line = 1 + method.Regions.Count;
        for (var r = 1; r < line; r++)
            text.Append(lines[r]).Append('\n');
        foreach (var block in method.Blocks)
        {
            text.Append(lines[line++]).Append('\n');
            foreach (var instruction in block.Instructions)
            {
                text.Append(lines[line++]);
                if (instruction.Type.MetadataType != Mono.Cecil.MetadataType.Void)
                    text.Append("    ; ").Append(describe(instruction));
                text.Append('\n');
            }
        }
        return text.ToString();
    }
}
