using System.Globalization;
using System.Linq;
using System.Text;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Autodiff.Weaver.Pipeline;

/// <summary>A method body as ildasm-style text: signature, locals, instructions, exception handlers.</summary>
public static class CilListing
{
    public static string Print(MethodDefinition method)
    {
        var text = new StringBuilder();
        text.Append(method.FullName).Append('\n');
        if (!method.HasBody)
            return text.Append("  (no body)\n").ToString();
        var body = method.Body;
        text.Append("  .maxstack ").Append(body.MaxStackSize.ToString(CultureInfo.InvariantCulture)).Append('\n');
        if (body.HasVariables)
        {
            text.Append("  .locals").Append(body.InitLocals ? " init" : string.Empty).Append(" (")
                .Append(string.Join(", ", body.Variables.Select(v => v.VariableType.FullName + " V_" + v.Index.ToString(CultureInfo.InvariantCulture))))
                .Append(")\n");
        }
        foreach (var instruction in body.Instructions)
        {
            var point = method.DebugInformation.GetSequencePoint(instruction);
            if (point != null && !point.IsHidden)
                text.Append("  // line ").Append(point.StartLine.ToString(CultureInfo.InvariantCulture)).Append('\n');
            text.Append("  ").Append(instruction.ToString()).Append('\n');
        }
        foreach (var handler in body.ExceptionHandlers)
        {
            text.Append("  .try ").Append(Label(handler.TryStart)).Append(" to ").Append(Label(handler.TryEnd))
                .Append(' ').Append(handler.HandlerType.ToString().ToLowerInvariant());
            if (handler.CatchType != null)
                text.Append(' ').Append(handler.CatchType.FullName);
            if (handler.FilterStart != null)
                text.Append(" filter ").Append(Label(handler.FilterStart));
            text.Append(" handler ").Append(Label(handler.HandlerStart)).Append(" to ").Append(Label(handler.HandlerEnd)).Append('\n');
        }
        return text.ToString();
    }

    private static string Label(Instruction? instruction) =>
        instruction == null ? "end" : "IL_" + instruction.Offset.ToString("x4", CultureInfo.InvariantCulture);
}
