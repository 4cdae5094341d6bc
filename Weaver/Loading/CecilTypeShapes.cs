using System.Collections.Generic;
using System.Linq;
using Autodiff.Shared;
using Mono.Cecil;

// FodyHelpers marks Cecil's TypeSystem obsolete in favour of Fody's; the loader also runs outside Fody
// (adweave, tests), so it uses Cecil's.
#pragma warning disable CS0618

namespace Autodiff.Weaver.Loading;

/// <summary>The shared signature rules' view of Cecil types; constructed types are scoped to <see cref="module"/>.</summary>
internal sealed class CecilTypeShapes : ITypeShapes<TypeReference>
{
    private readonly ModuleDefinition module;

    public CecilTypeShapes(ModuleDefinition module) => this.module = module;

    public TypeReference Void => module.TypeSystem.Void;

    public TypeShape ShapeOf(TypeReference type)
    {
        type = DifferentiableTypes.StripModifiers(type);
        switch (type)
        {
            case ByReferenceType:
                return TypeShape.ByReference;
            case ArrayType:
                return TypeShape.Array;
        }
        if (DifferentiableTypes.AsSpan(type) is { } span)
            return span.ElementType.Name == "ReadOnlySpan`1" ? TypeShape.ReadOnlySpan : TypeShape.Span;
        switch (type.MetadataType)
        {
            case MetadataType.Single:
            case MetadataType.Double:
                return TypeShape.Floating;
            case MetadataType.ValueType:
            case MetadataType.GenericInstance when type.IsValueType:
                return TryResolve(type) is { IsEnum: false } ? TypeShape.Struct : TypeShape.Other;
        }
        if (type.IsValueType || type.IsPrimitive || type.IsPointer || type.IsFunctionPointer || type.IsGenericParameter
            || type.MetadataType is MetadataType.String or MetadataType.Object)
            return TypeShape.Other;
        return TryResolve(type) is { IsInterface: false, IsValueType: false } ? TypeShape.Class : TypeShape.Other;
    }

    public TypeReference ElementOf(TypeReference type) =>
        DifferentiableTypes.StripModifiers(type) switch
        {
            TypeSpecification specification when DifferentiableTypes.AsSpan(specification) is { } span => span.GenericArguments[0],
            TypeSpecification specification => specification.ElementType,
            var other => other,
        };

    public IEnumerable<TypeReference> InstanceFieldsOf(TypeReference type)
    {
        for (var current = (TypeReference?)DifferentiableTypes.StripModifiers(type); current != null;)
        {
            var definition = TryResolve(current);
            if (definition == null)
                yield break;
            foreach (var field in definition.Fields.Where(f => !f.IsStatic))
                yield return Substitute(field.FieldType, current as GenericInstanceType);
            current = definition.IsValueType || definition.BaseType == null ? null : Substitute(definition.BaseType, current as GenericInstanceType);
        }
    }

    public string IdentityOf(TypeReference type) => DifferentiableTypes.StripModifiers(type).FullName;

    public TypeReference SpanLike(TypeReference readOnlySpan) => WellKnownTypes.Span(DifferentiableTypes.AsSpan(readOnlySpan)!);

    public TypeReference ByReferenceTo(TypeReference element) => new ByReferenceType(element);

    public TypeReference TupleOf(IReadOnlyList<TypeReference> elements) => WellKnownTypes.ValueTuple(elements, module);

    /// <summary>Replaces the declaring type's generic parameters in a field type by the instance's arguments.</summary>
    private static TypeReference Substitute(TypeReference type, GenericInstanceType? context)
    {
        if (context == null || !type.ContainsGenericParameter)
            return type;
        switch (type)
        {
            case GenericParameter parameter when parameter.Type == GenericParameterType.Type && parameter.Position < context.GenericArguments.Count:
                return context.GenericArguments[parameter.Position];
            case ArrayType array:
                return new ArrayType(Substitute(array.ElementType, context), array.Rank);
            case ByReferenceType byReference:
                return new ByReferenceType(Substitute(byReference.ElementType, context));
            case GenericInstanceType generic:
                var instance = new GenericInstanceType(generic.ElementType);
                foreach (var argument in generic.GenericArguments)
                    instance.GenericArguments.Add(Substitute(argument, context));
                return instance;
            default:
                return type;
        }
    }

    private static TypeDefinition? TryResolve(TypeReference type)
    {
        try
        {
            return type.Resolve();
        }
        catch (AssemblyResolutionException)
        {
            return null;
        }
    }
}
