using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Mono.Cecil;

namespace Autodiff.Weaver.Ir;

/// <summary>
/// Prints a method as text. Numbering is per method and follows block order, so dumps are stable and
/// can be compared as golden files.
/// </summary>
public sealed class IrPrinter
{
    private readonly Dictionary<Value, string> names = new();
    private readonly Dictionary<Block, string> blockNames = new();
    private readonly Dictionary<Region, string> regionNames = new();

    public static string Print(IrMethod method) => new IrPrinter().Run(method);

    public static string TypeName(TypeReference type) => type.MetadataType switch
    {
        MetadataType.Void => "void",
        MetadataType.Boolean => "bool",
        MetadataType.Char => "char",
        MetadataType.SByte => "int8",
        MetadataType.Byte => "uint8",
        MetadataType.Int16 => "int16",
        MetadataType.UInt16 => "uint16",
        MetadataType.Int32 => "int32",
        MetadataType.UInt32 => "uint32",
        MetadataType.Int64 => "int64",
        MetadataType.UInt64 => "uint64",
        MetadataType.IntPtr => "nint",
        MetadataType.UIntPtr => "nuint",
        MetadataType.Single => "float32",
        MetadataType.Double => "float64",
        MetadataType.String => "string",
        MetadataType.Object => "object",
        MetadataType.ByReference => TypeName(((ByReferenceType)type).ElementType) + "&",
        MetadataType.Array => TypeName(((ArrayType)type).ElementType) + ArraySuffix((ArrayType)type),
        MetadataType.Pointer => TypeName(((PointerType)type).ElementType) + "*",
        _ => type.FullName,
    };

    private static string ArraySuffix(ArrayType type) => type.Rank == 1 ? "[]" : "[" + new string(',', type.Rank - 1) + "]";

    private string Run(IrMethod method)
    {
        for (var i = 0; i < method.Parameters.Count; i++)
            names[method.Parameters[i]] = "%" + (method.Parameters[i].Name is { Length: > 0 } n ? n : "arg" + i);
        for (var i = 0; i < method.Blocks.Count; i++)
            blockNames[method.Blocks[i]] = "bb" + i;
        for (var i = 0; i < method.Regions.Count; i++)
            regionNames[method.Regions[i]] = "r" + i;
        var counter = 0;
        foreach (var instruction in method.Blocks.SelectMany(b => b.Instructions))
        {
            if (instruction.Type.MetadataType != MetadataType.Void)
                names[instruction] = "%" + counter++;
        }

        var text = new StringBuilder();
        text.Append("method ").Append(TypeName(method.ReturnType)).Append(' ').Append(method.Name).Append('(');
        text.Append(string.Join(", ", method.Parameters.Select(p => TypeName(p.Type) + " " + names[p])));
        text.Append(")\n");
        foreach (var region in method.Regions)
            text.Append("  ").Append(DescribeRegion(region)).Append('\n');
        foreach (var block in method.Blocks)
        {
            text.Append(blockNames[block]).Append(':');
            if (block.Region != null)
                text.Append(" in ").Append(regionNames[block.Region]);
            text.Append('\n');
            foreach (var instruction in block.Instructions)
                text.Append("  ").Append(Describe(instruction)).Append('\n');
        }
        return text.ToString();
    }

    private string DescribeRegion(Region region)
    {
        var text = new StringBuilder();
        text.Append(regionNames[region]).Append(" = ").Append(region.Kind.ToString().ToLowerInvariant());
        if (region.Try != null)
            text.Append(" of ").Append(regionNames[region.Try]);
        if (region.CatchType != null)
            text.Append(' ').Append(TypeName(region.CatchType));
        if (region.Filter != null)
            text.Append(" filter ").Append(regionNames[region.Filter]);
        if (region.Parent != null)
            text.Append(" in ").Append(regionNames[region.Parent]);
        text.Append(" entry ").Append(blockNames.TryGetValue(region.Entry, out var entry) ? entry : "?");
        return text.ToString();
    }

    private string Describe(Instruction instruction)
    {
        var text = new StringBuilder();
        if (names.TryGetValue(instruction, out var name))
            text.Append(name).Append(" = ");
        text.Append(instruction.Info.Mnemonic);
        if (instruction.Opcode == Opcode.Compare)
            text.Append('.').Append(instruction.Predicate.ToString().ToLowerInvariant());
        if ((instruction.Flags & ~InstructionFlags.None) != 0)
            text.Append(" [").Append(instruction.Flags.ToString().ToLowerInvariant()).Append(']');
        if (instruction.Type.MetadataType != MetadataType.Void)
            text.Append(' ').Append(TypeName(instruction.Type));

        var parts = new List<string>();
        if (instruction.TypeOperand != null && !(instruction.Opcode is Opcode.Convert or Opcode.Load or Opcode.LoadElement))
            parts.Add("type " + TypeName(instruction.TypeOperand));
        if (instruction.Member != null)
            parts.Add(instruction.Member.FullName);
        if (instruction.Signature != null)
            parts.Add("sig " + instruction.Signature.FullName);
        if (instruction.Opcode == Opcode.Phi)
        {
            for (var i = 0; i < instruction.Operands.Count; i++)
                parts.Add("[" + blockNames[instruction.Targets[i]] + ": " + Operand(instruction.Operands[i]) + "]");
        }
        else
        {
            parts.AddRange(instruction.Operands.Select(Operand));
            parts.AddRange(instruction.Targets.Select(t => blockNames.TryGetValue(t, out var b) ? b : "<detached>"));
        }
        if (parts.Count > 0)
            text.Append(' ').Append(string.Join(", ", parts));
        return text.ToString();
    }

    private string Operand(Value value) => value switch
    {
        Constant constant => ConstantText(constant),
        _ => names.TryGetValue(value, out var name) ? name : "<undefined>",
    };

    private static string ConstantText(Constant constant) => constant.Payload switch
    {
        null => "null",
        string s => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n") + "\"",
        double d => d.ToString("R", CultureInfo.InvariantCulture) + (d % 1 == 0 && !double.IsInfinity(d) ? ".0" : ""),
        float f => f.ToString("R", CultureInfo.InvariantCulture) + "f",
        long l => l.ToString(CultureInfo.InvariantCulture) + "L",
        var other => System.Convert.ToString(other, CultureInfo.InvariantCulture) ?? "?",
    };
}
