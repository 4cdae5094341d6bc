using Autodiff.Weaver.Ir;
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

    /// <summary>True when a value of <paramref name="precise"/> is stored with the same CIL opcode as <paramref name="opcodeType"/> (bool as u1, char as u2).</summary>
    public static bool IsStoredAs(TypeReference precise, TypeReference opcodeType)
    {
        if (IrTypes.AreSame(precise, opcodeType))
            return true;
        return (precise.MetadataType, opcodeType.MetadataType) switch
        {
            (MetadataType.Boolean, MetadataType.Byte or MetadataType.SByte) => true,
            (MetadataType.Char, MetadataType.UInt16 or MetadataType.Int16) => true,
            _ => false,
        };
    }
}
