using System.Collections.Generic;
using Autodiff.Weaver.Diagnostics;
using Autodiff.Weaver.Ir;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Autodiff.Weaver.Backend;

/// <summary>How a value of some type is read from or written to memory (ECMA-335 §III.3.42, §III.3.62).</summary>
internal enum MemoryKind { I1, U1, I2, U2, I4, U4, I8, I, R4, R8, Reference, Object }

/// <summary>Instruction selection tables: which CIL opcode implements an IR operation for given types.</summary>
internal static class CilOpcodes
{
    public static OpCode Arithmetic(Opcode opcode) => opcode switch
    {
        Opcode.Add => OpCodes.Add,
        Opcode.Sub => OpCodes.Sub,
        Opcode.Mul => OpCodes.Mul,
        Opcode.Div => OpCodes.Div,
        Opcode.DivUn => OpCodes.Div_Un,
        Opcode.Rem => OpCodes.Rem,
        Opcode.RemUn => OpCodes.Rem_Un,
        Opcode.AddOvf => OpCodes.Add_Ovf,
        Opcode.AddOvfUn => OpCodes.Add_Ovf_Un,
        Opcode.SubOvf => OpCodes.Sub_Ovf,
        Opcode.SubOvfUn => OpCodes.Sub_Ovf_Un,
        Opcode.MulOvf => OpCodes.Mul_Ovf,
        Opcode.MulOvfUn => OpCodes.Mul_Ovf_Un,
        Opcode.And => OpCodes.And,
        Opcode.Or => OpCodes.Or,
        Opcode.Xor => OpCodes.Xor,
        Opcode.Shl => OpCodes.Shl,
        Opcode.Shr => OpCodes.Shr,
        Opcode.ShrUn => OpCodes.Shr_Un,
        Opcode.Neg => OpCodes.Neg,
        Opcode.Not => OpCodes.Not,
        _ => throw new WeaverException(DiagnosticCode.UnsupportedForLowering, $"{opcode} is not an arithmetic operation."),
    };

    /// <summary>The compare-and-branch opcode taken when <paramref name="predicate"/> holds.</summary>
    public static OpCode BranchWhen(ComparePredicate predicate) => predicate switch
    {
        ComparePredicate.Equal => OpCodes.Beq,
        ComparePredicate.NotEqualUn => OpCodes.Bne_Un,
        ComparePredicate.Less => OpCodes.Blt,
        ComparePredicate.LessUn => OpCodes.Blt_Un,
        ComparePredicate.LessOrEqual => OpCodes.Ble,
        ComparePredicate.LessOrEqualUn => OpCodes.Ble_Un,
        ComparePredicate.Greater => OpCodes.Bgt,
        ComparePredicate.GreaterUn => OpCodes.Bgt_Un,
        ComparePredicate.GreaterOrEqual => OpCodes.Bge,
        _ => OpCodes.Bge_Un,
    };

    /// <summary>
    /// The predicate that holds exactly when <paramref name="predicate"/> does not. For floats <c>Un</c> means
    /// "or unordered", so <c>!(a &lt; b)</c> is <c>a &gt;=un b</c>; for integers it means unsigned and the sign kind is kept.
    /// </summary>
    public static ComparePredicate Negate(ComparePredicate predicate, bool floating) => (predicate, floating) switch
    {
        (ComparePredicate.Equal, _) => ComparePredicate.NotEqualUn,
        (ComparePredicate.NotEqualUn, _) => ComparePredicate.Equal,
        (ComparePredicate.Less, false) => ComparePredicate.GreaterOrEqual,
        (ComparePredicate.LessUn, false) => ComparePredicate.GreaterOrEqualUn,
        (ComparePredicate.LessOrEqual, false) => ComparePredicate.Greater,
        (ComparePredicate.LessOrEqualUn, false) => ComparePredicate.GreaterUn,
        (ComparePredicate.Greater, false) => ComparePredicate.LessOrEqual,
        (ComparePredicate.GreaterUn, false) => ComparePredicate.LessOrEqualUn,
        (ComparePredicate.GreaterOrEqual, false) => ComparePredicate.Less,
        (ComparePredicate.GreaterOrEqualUn, false) => ComparePredicate.LessUn,
        (ComparePredicate.Less, true) => ComparePredicate.GreaterOrEqualUn,
        (ComparePredicate.LessUn, true) => ComparePredicate.GreaterOrEqual,
        (ComparePredicate.LessOrEqual, true) => ComparePredicate.GreaterUn,
        (ComparePredicate.LessOrEqualUn, true) => ComparePredicate.Greater,
        (ComparePredicate.Greater, true) => ComparePredicate.LessOrEqualUn,
        (ComparePredicate.GreaterUn, true) => ComparePredicate.LessOrEqual,
        (ComparePredicate.GreaterOrEqual, true) => ComparePredicate.LessUn,
        _ => ComparePredicate.Less,
    };

    /// <summary>
    /// A compare producing 0/1. CIL only has ceq/cgt/clt(.un), so the others compute the negated predicate and
    /// compare it with 0; for floats the negation swaps the unordered flavour (<c>a &gt;= b</c> is <c>!(a &lt;un b)</c>).
    /// </summary>
    public static IReadOnlyList<OpCode> Compare(ComparePredicate predicate, bool floating)
    {
        switch (predicate)
        {
            case ComparePredicate.Equal: return new[] { OpCodes.Ceq };
            case ComparePredicate.Less: return new[] { OpCodes.Clt };
            case ComparePredicate.LessUn: return new[] { OpCodes.Clt_Un };
            case ComparePredicate.Greater: return new[] { OpCodes.Cgt };
            case ComparePredicate.GreaterUn: return new[] { OpCodes.Cgt_Un };
        }
        var negated = Compare(Negate(predicate, floating), floating);
        var sequence = new List<OpCode>(negated) { OpCodes.Ldc_I4_0, OpCodes.Ceq };
        return sequence;
    }

    public static MemoryKind KindOf(TypeReference type)
    {
        while (type is RequiredModifierType or OptionalModifierType or PinnedType)
            type = ((TypeSpecification)type).ElementType;
        if (type.IsPointer || type.IsFunctionPointer || type.IsByReference)
            return MemoryKind.I;
        switch (type.MetadataType)
        {
            case MetadataType.Boolean: return MemoryKind.U1;
            case MetadataType.SByte: return MemoryKind.I1;
            case MetadataType.Byte: return MemoryKind.U1;
            case MetadataType.Char: return MemoryKind.U2;
            case MetadataType.Int16: return MemoryKind.I2;
            case MetadataType.UInt16: return MemoryKind.U2;
            case MetadataType.Int32: return MemoryKind.I4;
            case MetadataType.UInt32: return MemoryKind.U4;
            case MetadataType.Int64:
            case MetadataType.UInt64: return MemoryKind.I8;
            case MetadataType.IntPtr:
            case MetadataType.UIntPtr: return MemoryKind.I;
            case MetadataType.Single: return MemoryKind.R4;
            case MetadataType.Double: return MemoryKind.R8;
            case MetadataType.String:
            case MetadataType.Object:
            case MetadataType.Array: return MemoryKind.Reference;
            case MetadataType.Var:
            case MetadataType.MVar:
            case MetadataType.TypedByReference: return MemoryKind.Object;
            case MetadataType.GenericInstance: return type.IsValueType ? MemoryKind.Object : MemoryKind.Reference;
            case MetadataType.ValueType:
            case MetadataType.Class:
                // A type token read from a TypeRef carries no element type, so System.Int32 can arrive as a plain class.
                if (type.Namespace == "System" && PrimitiveByName.TryGetValue(type.Name, out var primitive))
                    return primitive;
                return type.IsValueType ? MemoryKind.Object : MemoryKind.Reference;
            default: return MemoryKind.Object;
        }
    }

    private static readonly Dictionary<string, MemoryKind> PrimitiveByName = new()
    {
        ["Boolean"] = MemoryKind.U1, ["SByte"] = MemoryKind.I1, ["Byte"] = MemoryKind.U1, ["Char"] = MemoryKind.U2,
        ["Int16"] = MemoryKind.I2, ["UInt16"] = MemoryKind.U2, ["Int32"] = MemoryKind.I4, ["UInt32"] = MemoryKind.U4,
        ["Int64"] = MemoryKind.I8, ["UInt64"] = MemoryKind.I8, ["IntPtr"] = MemoryKind.I, ["UIntPtr"] = MemoryKind.I,
        ["Single"] = MemoryKind.R4, ["Double"] = MemoryKind.R8,
    };

    /// <summary>ldind.* or null when ldobj is needed.</summary>
    public static OpCode? LoadIndirect(MemoryKind kind) => kind switch
    {
        MemoryKind.I1 => OpCodes.Ldind_I1,
        MemoryKind.U1 => OpCodes.Ldind_U1,
        MemoryKind.I2 => OpCodes.Ldind_I2,
        MemoryKind.U2 => OpCodes.Ldind_U2,
        MemoryKind.I4 => OpCodes.Ldind_I4,
        MemoryKind.U4 => OpCodes.Ldind_U4,
        MemoryKind.I8 => OpCodes.Ldind_I8,
        MemoryKind.I => OpCodes.Ldind_I,
        MemoryKind.R4 => OpCodes.Ldind_R4,
        MemoryKind.R8 => OpCodes.Ldind_R8,
        MemoryKind.Reference => OpCodes.Ldind_Ref,
        _ => null,
    };

    /// <summary>stind.* or null when stobj is needed.</summary>
    public static OpCode? StoreIndirect(MemoryKind kind) => kind switch
    {
        MemoryKind.I1 or MemoryKind.U1 => OpCodes.Stind_I1,
        MemoryKind.I2 or MemoryKind.U2 => OpCodes.Stind_I2,
        MemoryKind.I4 or MemoryKind.U4 => OpCodes.Stind_I4,
        MemoryKind.I8 => OpCodes.Stind_I8,
        MemoryKind.I => OpCodes.Stind_I,
        MemoryKind.R4 => OpCodes.Stind_R4,
        MemoryKind.R8 => OpCodes.Stind_R8,
        MemoryKind.Reference => OpCodes.Stind_Ref,
        _ => null,
    };

    /// <summary>ldelem.* or null when ldelem &lt;T&gt; is needed.</summary>
    public static OpCode? LoadElement(MemoryKind kind) => kind switch
    {
        MemoryKind.I1 => OpCodes.Ldelem_I1,
        MemoryKind.U1 => OpCodes.Ldelem_U1,
        MemoryKind.I2 => OpCodes.Ldelem_I2,
        MemoryKind.U2 => OpCodes.Ldelem_U2,
        MemoryKind.I4 => OpCodes.Ldelem_I4,
        MemoryKind.U4 => OpCodes.Ldelem_U4,
        MemoryKind.I8 => OpCodes.Ldelem_I8,
        MemoryKind.I => OpCodes.Ldelem_I,
        MemoryKind.R4 => OpCodes.Ldelem_R4,
        MemoryKind.R8 => OpCodes.Ldelem_R8,
        MemoryKind.Reference => OpCodes.Ldelem_Ref,
        _ => null,
    };

    /// <summary>stelem.* or null when stelem &lt;T&gt; is needed.</summary>
    public static OpCode? StoreElement(MemoryKind kind) => kind switch
    {
        MemoryKind.I1 or MemoryKind.U1 => OpCodes.Stelem_I1,
        MemoryKind.I2 or MemoryKind.U2 => OpCodes.Stelem_I2,
        MemoryKind.I4 or MemoryKind.U4 => OpCodes.Stelem_I4,
        MemoryKind.I8 => OpCodes.Stelem_I8,
        MemoryKind.I => OpCodes.Stelem_I,
        MemoryKind.R4 => OpCodes.Stelem_R4,
        MemoryKind.R8 => OpCodes.Stelem_R8,
        MemoryKind.Reference => OpCodes.Stelem_Ref,
        _ => null,
    };

    /// <summary>
    /// conv.*, conv.ovf.*(.un) or conv.r.un for a conversion to <paramref name="target"/> (an enum converts to its
    /// underlying type). An unsigned source zero-extends into a wider signed target.
    /// </summary>
    public static IReadOnlyList<OpCode> Convert(TypeReference target, InstructionFlags flags)
    {
        var checkedConversion = (flags & InstructionFlags.Checked) != 0;
        var unsignedSource = (flags & InstructionFlags.UnsignedSource) != 0;
        var kind = ConversionTarget(target);
        if (kind == MetadataType.Single)
            return unsignedSource ? new[] { OpCodes.Conv_R_Un, OpCodes.Conv_R4 } : new[] { OpCodes.Conv_R4 };
        if (kind == MetadataType.Double)
            return new[] { unsignedSource ? OpCodes.Conv_R_Un : OpCodes.Conv_R8 };
        if (!checkedConversion)
        {
            return new[]
            {
                kind switch
                {
                    MetadataType.SByte => OpCodes.Conv_I1,
                    MetadataType.Byte or MetadataType.Boolean => OpCodes.Conv_U1,
                    MetadataType.Int16 => OpCodes.Conv_I2,
                    MetadataType.UInt16 or MetadataType.Char => OpCodes.Conv_U2,
                    MetadataType.Int32 => OpCodes.Conv_I4,
                    MetadataType.UInt32 => OpCodes.Conv_U4,
                    MetadataType.Int64 => unsignedSource ? OpCodes.Conv_U8 : OpCodes.Conv_I8,
                    MetadataType.UInt64 => OpCodes.Conv_U8,
                    MetadataType.IntPtr => unsignedSource ? OpCodes.Conv_U : OpCodes.Conv_I,
                    _ => OpCodes.Conv_U,
                },
            };
        }
        return new[]
        {
            (kind, unsignedSource) switch
            {
                (MetadataType.SByte, false) => OpCodes.Conv_Ovf_I1,
                (MetadataType.SByte, true) => OpCodes.Conv_Ovf_I1_Un,
                (MetadataType.Byte or MetadataType.Boolean, false) => OpCodes.Conv_Ovf_U1,
                (MetadataType.Byte or MetadataType.Boolean, true) => OpCodes.Conv_Ovf_U1_Un,
                (MetadataType.Int16, false) => OpCodes.Conv_Ovf_I2,
                (MetadataType.Int16, true) => OpCodes.Conv_Ovf_I2_Un,
                (MetadataType.UInt16 or MetadataType.Char, false) => OpCodes.Conv_Ovf_U2,
                (MetadataType.UInt16 or MetadataType.Char, true) => OpCodes.Conv_Ovf_U2_Un,
                (MetadataType.Int32, false) => OpCodes.Conv_Ovf_I4,
                (MetadataType.Int32, true) => OpCodes.Conv_Ovf_I4_Un,
                (MetadataType.UInt32, false) => OpCodes.Conv_Ovf_U4,
                (MetadataType.UInt32, true) => OpCodes.Conv_Ovf_U4_Un,
                (MetadataType.Int64, false) => OpCodes.Conv_Ovf_I8,
                (MetadataType.Int64, true) => OpCodes.Conv_Ovf_I8_Un,
                (MetadataType.UInt64, false) => OpCodes.Conv_Ovf_U8,
                (MetadataType.UInt64, true) => OpCodes.Conv_Ovf_U8_Un,
                (MetadataType.IntPtr, false) => OpCodes.Conv_Ovf_I,
                (MetadataType.IntPtr, true) => OpCodes.Conv_Ovf_I_Un,
                (_, false) => OpCodes.Conv_Ovf_U,
                _ => OpCodes.Conv_Ovf_U_Un,
            },
        };
    }

    private static MetadataType ConversionTarget(TypeReference target)
    {
        if (target.IsPointer || target.IsFunctionPointer || target.IsByReference)
            return MetadataType.UIntPtr;
        var metadataType = target.MetadataType;
        if (metadataType is MetadataType.ValueType or MetadataType.Class)
        {
            if (target.Namespace == "System" && System.Enum.TryParse<MetadataType>(target.Name, out var primitive) && IsNumeric(primitive))
                return primitive;
            var definition = target.Resolve();
            if (definition is { IsEnum: true })
            {
                foreach (var field in definition.Fields)
                {
                    if (!field.IsStatic)
                        return ConversionTarget(field.FieldType);
                }
            }
        }
        if (!IsNumeric(metadataType))
            throw new WeaverException(DiagnosticCode.UnsupportedForLowering, $"Cannot convert to {target.FullName}: not a numeric type.");
        return metadataType;
    }

    private static bool IsNumeric(MetadataType type) => type is >= MetadataType.Boolean and <= MetadataType.Double or MetadataType.IntPtr or MetadataType.UIntPtr;
}
