using Mono.Cecil;

// FodyHelpers marks Cecil's TypeSystem obsolete in favour of Fody's; the weaver core also runs outside
// Fody (adweave, tests), so it uses Cecil's.
#pragma warning disable CS0618

namespace Autodiff.Weaver.Ir;

/// <summary>What a value looks like on the CIL evaluation stack (ECMA-335 §III.1.1), with floats kept apart.</summary>
public enum StackKind { Int32, Int64, NativeInt, Float32, Float64, Reference, ManagedPointer, ValueType, Void }

/// <summary>Well-known types of one module and the typing rules of the IR.</summary>
public sealed class IrTypes
{
    private readonly TypeSystem system;

    public IrTypes(ModuleDefinition module) => system = module.TypeSystem;

    public TypeReference Void => system.Void;
    public TypeReference Boolean => system.Boolean;
    public TypeReference Int32 => system.Int32;
    public TypeReference Int64 => system.Int64;
    public TypeReference IntPtr => system.IntPtr;
    public TypeReference Single => system.Single;
    public TypeReference Double => system.Double;
    public TypeReference Object => system.Object;
    public TypeReference String => system.String;

    public static TypeReference ByReference(TypeReference type) => new ByReferenceType(type);

    /// <summary>Same type, compared by full name (Cecil references are not unique objects).</summary>
    public static bool AreSame(TypeReference a, TypeReference b) => a.FullName == b.FullName;

    public StackKind KindOf(TypeReference type)
    {
        if (type.IsByReference)
            return StackKind.ManagedPointer;
        if (type.IsPointer || type.IsFunctionPointer)
            return StackKind.NativeInt;
        if (type.IsPinned || type.IsRequiredModifier || type.IsOptionalModifier)
            return KindOf(((TypeSpecification)type).ElementType);
        switch (type.MetadataType)
        {
            case MetadataType.Void: return StackKind.Void;
            case MetadataType.Boolean:
            case MetadataType.Char:
            case MetadataType.SByte:
            case MetadataType.Byte:
            case MetadataType.Int16:
            case MetadataType.UInt16:
            case MetadataType.Int32:
            case MetadataType.UInt32: return StackKind.Int32;
            case MetadataType.Int64:
            case MetadataType.UInt64: return StackKind.Int64;
            case MetadataType.IntPtr:
            case MetadataType.UIntPtr: return StackKind.NativeInt;
            case MetadataType.Single: return StackKind.Float32;
            case MetadataType.Double: return StackKind.Float64;
            case MetadataType.ValueType:
            case MetadataType.TypedByReference: return IsEnum(type) ? EnumKind(type) : StackKind.ValueType;
            case MetadataType.GenericInstance:
                // An enum nested in a generic type is a generic instance too (Outer`1/Flags<T>).
                if (type.IsValueType && IsEnum(type))
                    return EnumKind(type);
                return type.IsValueType ? StackKind.ValueType : StackKind.Reference;
            case MetadataType.Var:
            case MetadataType.MVar:
                // An unconstrained generic value is neither a reference nor a number; treat it as a struct.
                return StackKind.ValueType;
            default: return StackKind.Reference;
        }
    }

    public bool IsFloating(TypeReference type) => KindOf(type) is StackKind.Float32 or StackKind.Float64;

    /// <summary>The type a stack kind is represented by when nothing more precise is known.</summary>
    public TypeReference TypeOf(StackKind kind) => kind switch
    {
        StackKind.Int32 => Int32,
        StackKind.Int64 => Int64,
        StackKind.NativeInt => IntPtr,
        StackKind.Float32 => Single,
        StackKind.Float64 => Double,
        StackKind.Void => Void,
        _ => Object,
    };

    /// <summary>Result type of a binary numeric operation (ECMA-335 §III.1.5, Table III.2), floats kept apart.</summary>
    public TypeReference BinaryResult(TypeReference left, TypeReference right)
    {
        var l = KindOf(left);
        var r = KindOf(right);
        if (l == StackKind.ManagedPointer || l == StackKind.NativeInt && left.IsPointer)
            return left;
        if (r == StackKind.ManagedPointer || r == StackKind.NativeInt && right.IsPointer)
            return right;
        if (l == r)
            return TypeOf(l);
        if (l is StackKind.Float32 or StackKind.Float64 && r is StackKind.Float32 or StackKind.Float64)
            return Double;
        if (l == StackKind.NativeInt || r == StackKind.NativeInt)
            return IntPtr;
        return TypeOf(l);
    }

    private static bool IsEnum(TypeReference type)
    {
        try
        {
            return type.Resolve()?.IsEnum == true;
        }
        catch (AssemblyResolutionException)
        {
            return false;
        }
    }

    private StackKind EnumKind(TypeReference type)
    {
        var definition = type.Resolve();
        foreach (var field in definition.Fields)
        {
            if (!field.IsStatic)
                return KindOf(field.FieldType);
        }
        return StackKind.Int32;
    }
}
