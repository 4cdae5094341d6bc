using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Bcl;

/// <summary>
/// A struct of the BCL's numerics that <see cref="NumericStructScalarization"/> splits into its components:
/// <c>System.Numerics.Vector2/3/4</c> (float X, Y, Z, W) and <c>System.Numerics.Complex</c> (double real and
/// imaginary parts, its private fields, which the woven module may access: <see cref="Analysis.DifferentiableStruct.IsComplex"/>).
/// </summary>
internal sealed class NumericStruct
{
    private static readonly string[] VectorFields = { "X", "Y", "Z", "W" };

    private NumericStruct(TypeReference type, int width, bool isComplex)
    {
        Type = type;
        Width = width;
        IsComplex = isComplex;
    }

    public TypeReference Type { get; }

    /// <summary>Number of components: 2, 3 or 4 for vectors, 2 for Complex.</summary>
    public int Width { get; }

    public bool IsComplex { get; }

    /// <summary>float for vectors, double for Complex.</summary>
    public TypeReference Scalar => IsComplex ? Type.Module.TypeSystem.Double : Type.Module.TypeSystem.Single;

    public static NumericStruct? Of(TypeReference type)
    {
        if (type.Namespace != "System.Numerics" || type is TypeSpecification)
            return null;
        return type.Name switch
        {
            "Vector2" => new NumericStruct(type, 2, false),
            "Vector3" => new NumericStruct(type, 3, false),
            "Vector4" => new NumericStruct(type, 4, false),
            "Complex" => new NumericStruct(type, 2, true),
            _ => null,
        };
    }

    /// <summary>The component a public vector field names (X → 0, …); -1 for other fields.</summary>
    public int ComponentOf(FieldReference field) => IsComplex ? -1 : System.Array.IndexOf(VectorFields, field.Name, 0, Width);

    /// <summary>The field of component <paramref name="index"/>: a vector's public X, Y, Z, W; Complex's m_real, m_imaginary.</summary>
    public FieldReference Field(int index) =>
        IsComplex ? Analysis.DifferentiableStruct.InstanceFields(Type)[index] : new(VectorFields[index], Type.Module.TypeSystem.Single, Type);

    /// <summary>The constructor taking every component: <c>Vector3(float, float, float)</c>, <c>Complex(double, double)</c>.</summary>
    public MethodReference Constructor()
    {
        var constructor = new MethodReference(".ctor", Type.Module.TypeSystem.Void, Type) { HasThis = true };
        for (var i = 0; i < Width; i++)
            constructor.Parameters.Add(new ParameterDefinition(Scalar));
        return constructor;
    }
}
