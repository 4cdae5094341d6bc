using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;

namespace Autodiff.Weaver.Analysis;

/// <summary>
/// Value types whose every instance field is a <c>float</c>, a <c>double</c> or again such a struct (user structs,
/// nested ones, <c>ValueTuple&lt;double, double&gt;</c>, <c>Vector2/3/4</c>, <c>Complex</c>): differentiable by value,
/// as Enzyme treats an aggregate of floats as a vector of active scalars. Their leaves — the float/double fields
/// reached through nested struct fields — are what derivatives flow through.
/// </summary>
public static class DifferentiableStruct
{
    /// <summary>
    /// True for a struct of float/double fields, nested at any depth, that code in the module referencing it may
    /// read and write field by field: its own types, types whose fields are public, and <c>Complex</c> (whose private
    /// fields the woven module reaches through <c>IgnoresAccessChecksTo</c>, see <see cref="ComplexAssembly"/>).
    /// </summary>
    public static bool Is(TypeReference type) =>
        IsCandidate(type) && (IsComplex(type) || FieldsAccessible(type) && InstanceFields(type) is { Count: > 0 } fields && fields.All(f => IsFloating(FieldType(f)) || Is(FieldType(f))));

    /// <summary>The assembly implementing <c>System.Numerics.Complex</c>, whose private fields derivatives read and write.</summary>
    public const string ComplexAssembly = "System.Runtime.Numerics";

    /// <summary>
    /// <c>System.Numerics.Complex</c>: two private doubles, <c>m_real</c> and <c>m_imaginary</c>, in every .NET (Core)
    /// implementation — named here rather than resolved, since reference assemblies hide private fields.
    /// </summary>
    public static bool IsComplex(TypeReference type) => type.FullName == "System.Numerics.Complex";

    /// <summary>
    /// The instance fields of <paramref name="type"/>, as references declared on <paramref name="type"/> itself (on a
    /// generic instance, <c>ValueTuple&lt;double, double&gt;::Item1</c>), in declaration order.
    /// </summary>
    public static IReadOnlyList<FieldReference> InstanceFields(TypeReference type) =>
        IsComplex(type) ? new[] { new FieldReference("m_real", type.Module.TypeSystem.Double, type), new FieldReference("m_imaginary", type.Module.TypeSystem.Double, type) }
        : type.Resolve() is { } definition
            ? definition.Fields.Where(f => !f.IsStatic).Select(f => new FieldReference(f.Name, FieldTypeIn(f, type), type)).ToList()
            : System.Array.Empty<FieldReference>();

    /// <summary>The paths of fields from <paramref name="type"/> to each of its float/double leaves, depth first.</summary>
    public static IReadOnlyList<IReadOnlyList<FieldReference>> Leaves(TypeReference type)
    {
        var leaves = new List<IReadOnlyList<FieldReference>>();
        foreach (var field in InstanceFields(type))
        {
            var fieldType = FieldType(field);
            if (IsFloating(fieldType))
                leaves.Add(new[] { field });
            else
                leaves.AddRange(Leaves(fieldType).Select(path => (IReadOnlyList<FieldReference>)path.Prepend(field).ToList()));
        }
        return leaves;
    }

    /// <summary>The leaf type a path ends in.</summary>
    public static TypeReference LeafType(IReadOnlyList<FieldReference> path) => FieldType(path[path.Count - 1]);

    /// <summary>
    /// The type of <paramref name="field"/> with the generic arguments of its declaring type substituted
    /// (<c>!0</c> of <c>ValueTuple&lt;double, float&gt;</c> is <c>double</c>).
    /// </summary>
    public static TypeReference FieldType(FieldReference field) =>
        field.FieldType is GenericParameter { Type: GenericParameterType.Type } parameter && field.DeclaringType is GenericInstanceType instance
            ? instance.GenericArguments[parameter.Position]
            : field.FieldType;

    private static bool FieldsAccessible(TypeReference type) =>
        type.Resolve() is { } definition && (ReferenceEquals(definition.Module, type.Module) || definition.Fields.Where(f => !f.IsStatic).All(f => f.IsPublic));

    private static bool IsCandidate(TypeReference type) =>
        type.IsValueType && !type.IsPrimitive && !type.IsByReference && !ShadowedMemory.IsSpan(type) && type.Resolve() is { IsEnum: false };

    /// <summary>The field's type as <paramref name="declaring"/>'s module names it: floats through its type system, generic parameters kept.</summary>
    private static TypeReference FieldTypeIn(FieldDefinition field, TypeReference declaring) => field.FieldType.MetadataType switch
    {
        MetadataType.Double => declaring.Module.TypeSystem.Double,
        MetadataType.Single => declaring.Module.TypeSystem.Single,
        _ when field.FieldType.IsGenericParameter => field.FieldType,
        _ => declaring.Module.ImportReference(field.FieldType),
    };

    private static bool IsFloating(TypeReference type) => type.MetadataType is MetadataType.Double or MetadataType.Single;
}
