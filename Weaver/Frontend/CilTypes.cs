using Mono.Cecil;

// FodyHelpers marks Cecil's TypeSystem obsolete in favour of Fody's; the frontend also runs outside Fody
// (adweave, tests) and needs the primitive types IrTypes does not list.
#pragma warning disable CS0618

namespace Autodiff.Weaver.Frontend;

/// <summary>Primitive and runtime types of one module that CIL opcodes name implicitly (ldind.u2, conv.ovf.i1, ldtoken, …).</summary>
internal sealed class CilTypes
{
    private readonly ModuleDefinition module;

    public CilTypes(ModuleDefinition module)
    {
        this.module = module;
        var system = module.TypeSystem;
        SByte = system.SByte;
        Byte = system.Byte;
        Int16 = system.Int16;
        UInt16 = system.UInt16;
        UInt32 = system.UInt32;
        UInt64 = system.UInt64;
        UIntPtr = system.UIntPtr;
        TypedReference = system.TypedReference;
    }

    public TypeReference SByte { get; }
    public TypeReference Byte { get; }
    public TypeReference Int16 { get; }
    public TypeReference UInt16 { get; }
    public TypeReference UInt32 { get; }
    public TypeReference UInt64 { get; }
    public TypeReference UIntPtr { get; }
    public TypeReference TypedReference { get; }

    /// <summary>A value type of the core library, such as <c>System.RuntimeTypeHandle</c>.</summary>
    public TypeReference CoreValueType(string name)
    {
        var scope = module.TypeSystem.CoreLibrary;
        return new TypeReference("System", name, module, scope, valueType: true);
    }

    /// <summary>
    /// True when a value of <paramref name="precise"/> is accessed by the CIL opcode naming <paramref name="opcodeType"/>:
    /// same size regardless of signedness (stelem.i1 on a byte[]), bool as a byte, char as a 16-bit integer.
    /// </summary>
    public static bool IsStoredAs(TypeReference precise, TypeReference opcodeType)
    {
        var size = PrimitiveSize(precise.MetadataType);
        return size != 0 && size == PrimitiveSize(opcodeType.MetadataType);
    }

    /// <summary>Size class of a primitive integer or float (floats apart from integers); 0 for anything else.</summary>
    private static int PrimitiveSize(MetadataType type) => type switch
    {
        MetadataType.Boolean or MetadataType.SByte or MetadataType.Byte => 1,
        MetadataType.Char or MetadataType.Int16 or MetadataType.UInt16 => 2,
        MetadataType.Int32 or MetadataType.UInt32 => 4,
        MetadataType.Int64 or MetadataType.UInt64 => 8,
        MetadataType.IntPtr or MetadataType.UIntPtr => 16,
        MetadataType.Single => 32,
        MetadataType.Double => 64,
        _ => 0,
    };
}
