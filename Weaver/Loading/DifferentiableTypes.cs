using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;

namespace Autodiff.Weaver.Loading;

/// <summary>
/// DESIGN §1.1's two kinds of types that can carry derivatives. A <em>differentiable value</em> is
/// <c>float</c>, <c>double</c>, or a struct whose instance fields are all differentiable values. A
/// <em>differentiable reference</em> is an array (any rank, jagged too), <c>Span&lt;T&gt;</c>,
/// <c>ReadOnlySpan&lt;T&gt;</c> or <c>ref</c>/<c>in</c>/<c>out</c> of something differentiable, or a class
/// instance from which a differentiable field is reachable.
/// </summary>
public static class DifferentiableTypes
{
    public static bool IsValue(TypeReference type) => IsValue(type, new HashSet<string>());

    public static bool IsReference(TypeReference type) => IsReference(type, new HashSet<string>());

    /// <summary>The type without <c>modreq</c>/<c>modopt</c> wrappers (signatures compare without them).</summary>
    public static TypeReference StripModifiers(TypeReference type)
    {
        while (type is IModifierType modified)
            type = modified.ElementType;
        return type;
    }

    /// <summary><c>System.Span`1</c> or <c>System.ReadOnlySpan`1</c> instantiated; null otherwise.</summary>
    public static GenericInstanceType? AsSpan(TypeReference type) =>
        StripModifiers(type) is GenericInstanceType generic && generic.ElementType.FullName is "System.Span`1" or "System.ReadOnlySpan`1"
            ? generic
            : null;

    private static bool IsDifferentiable(TypeReference type, HashSet<string> visiting) =>
        IsValue(type, visiting) || IsReference(type, visiting);

    private static bool IsValue(TypeReference type, HashSet<string> visiting)
    {
        type = StripModifiers(type);
        switch (type.MetadataType)
        {
            case MetadataType.Single:
            case MetadataType.Double:
                return true;
            case MetadataType.ValueType:
            case MetadataType.GenericInstance:
                break;
            default:
                return false;
        }
        if (!type.IsValueType || AsSpan(type) != null)
            return false;
        var definition = TryResolve(type);
        if (definition == null || definition.IsEnum || !visiting.Add(type.FullName))
            return false;
        var fields = InstanceFields(type, definition).ToList();
        var result = fields.Count > 0 && fields.All(f => IsValue(f, visiting));
        visiting.Remove(type.FullName);
        return result;
    }

    private static bool IsReference(TypeReference type, HashSet<string> visiting)
    {
        type = StripModifiers(type);
        if (type is ByReferenceType byReference)
            return IsDifferentiable(byReference.ElementType, visiting);
        if (type is ArrayType array)
            return IsDifferentiable(array.ElementType, visiting);
        if (AsSpan(type) is { } span)
            return IsDifferentiable(span.GenericArguments[0], visiting);
        if (type.IsValueType || type.IsPrimitive || type.IsPointer || type.IsFunctionPointer || type.IsGenericParameter
            || type.MetadataType is MetadataType.String or MetadataType.Object)
            return false;
        var definition = TryResolve(type);
        if (definition == null || definition.IsInterface || definition.IsValueType || !visiting.Add(type.FullName))
            return false;
        var result = false;
        for (var current = (TypeReference?)type; current != null && !result;)
        {
            var currentDefinition = TryResolve(current);
            if (currentDefinition == null)
                break;
            result = InstanceFields(current, currentDefinition).Any(f => IsDifferentiable(f, visiting));
            current = currentDefinition.BaseType == null ? null : Substitute(currentDefinition.BaseType, current as GenericInstanceType);
        }
        visiting.Remove(type.FullName);
        return result;
    }

    private static IEnumerable<TypeReference> InstanceFields(TypeReference type, TypeDefinition definition) =>
        definition.Fields.Where(f => !f.IsStatic).Select(f => Substitute(f.FieldType, type as GenericInstanceType));

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
