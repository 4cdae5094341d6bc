using System;
using System.IO;
using System.Linq;
using System.Text;
using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Pipeline;

/// <summary>
/// Writes IR dumps, one file per method and stage (<c>Type.Method.stage.ir</c>), into the dump directory:
/// those the Print* flags ask for, and the one that goes with every internal error.
/// </summary>
public sealed class IrDumps
{
    private readonly WeaverOptions options;

    public IrDumps(WeaverOptions options) => this.options = options;

    public string Directory => options.DumpDirectory ?? Path.Combine(Path.GetTempPath(), "autodiff");

    /// <summary>Writes <paramref name="method"/> when <paramref name="flag"/> is set.</summary>
    public void WriteIfRequested(WeaverFlags flag, MethodDefinition owner, string stage, IrMethod method)
    {
        if ((options.Flags & flag) != 0)
            Write(owner, stage, IrPrinter.Print(method));
    }

    /// <summary>
    /// Writes what is known about a crash: the exception, then the last IR the pipeline produced for the
    /// method, or the primal's CIL when lifting itself failed. Returns a sentence for the diagnostic that
    /// says where the dump is, or why it could not be written (the crash must still be reported).
    /// </summary>
    public string WriteInternalError(MethodDefinition primal, string stage, Exception exception, IrMethod? lastIr)
    {
        var text = new StringBuilder();
        text.Append("// internal error while running stage '").Append(stage).Append("' on ").Append(primal.FullName).Append('\n');
        foreach (var line in exception.ToString().Split('\n'))
            text.Append("// ").Append(line.TrimEnd('\r')).Append('\n');
        text.Append('\n');
        text.Append(lastIr != null ? IrPrinter.Print(lastIr) : CilListing.Print(primal));
        try
        {
            return "IR dump written to " + Write(primal, "internal-error", text.ToString());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"the IR dump could not be written to {Directory}: {e.Message}";
        }
    }

    private string Write(MethodDefinition owner, string stage, string text)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = Path.Combine(Directory, FileName(owner) + "." + stage + ".ir");
        File.WriteAllText(path, text);
        return path;
    }

    private static string FileName(MethodDefinition method)
    {
        var name = method.DeclaringType.FullName.Replace('/', '+') + "." + method.Name;
        // Overloads share a name; the metadata token keeps their dumps apart.
        if (method.DeclaringType.Methods.Count(m => m.Name == method.Name) > 1)
            name += "-" + method.MetadataToken.RID.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var invalid = Path.GetInvalidFileNameChars();
        return new string(name.Select(c => invalid.Contains(c) || c is '<' or '>' ? '_' : c).ToArray());
    }
}
