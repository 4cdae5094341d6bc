using Mono.Cecil;

namespace Autodiff.Weaver.Optimization;

/// <summary>
/// Whether code in one type may name a member or type that code in another type of the same assembly
/// named legally (ECMA-335 §II.10.3): what the assembly may reach either may, except private, family and
/// family-and-assembly members and nested types, which only their declaring type (and the types nested
/// in it) can reach — taken conservatively, inheritance not considered.
/// </summary>
internal static class MemberAccess
{
    public static bool IsAccessible(MemberReference member, TypeDefinition from)
    {
        switch (member)
        {
            case TypeReference type:
                return IsAccessible(type, from);
            case FieldReference field:
                var fieldDefinition = Resolve(field);
                return fieldDefinition != null && IsAccessible(field.DeclaringType, from)
                    && (IsOpen(fieldDefinition.IsPublic, fieldDefinition.IsAssembly, fieldDefinition.IsFamilyOrAssembly) || Encloses(fieldDefinition.DeclaringType, from));
            case MethodReference method:
                var methodDefinition = Resolve(method);
                if (methodDefinition == null || !IsAccessible(method.DeclaringType, from))
                    return false;
                if (method is GenericInstanceMethod instance && !instance.GenericArguments.AllAccessible(from))
                    return false;
                return IsOpen(methodDefinition.IsPublic, methodDefinition.IsAssembly, methodDefinition.IsFamilyOrAssembly) || Encloses(methodDefinition.DeclaringType, from);
            default:
                return false;
        }
    }

    public static bool IsAccessible(TypeReference type, TypeDefinition from)
    {
        switch (type)
        {
            case GenericParameter:
                return true;
            case GenericInstanceType instance:
                return IsAccessible(instance.ElementType, from) && instance.GenericArguments.AllAccessible(from);
            case TypeSpecification specification:
                return IsAccessible(specification.ElementType, from);
        }
        var definition = Resolve(type);
        if (definition == null)
            return false;
        if (!definition.IsNested)
            return true;
        return IsAccessible(definition.DeclaringType, from)
            && (IsOpen(definition.IsNestedPublic, definition.IsNestedAssembly, definition.IsNestedFamilyOrAssembly) || Encloses(definition.DeclaringType, from));
    }

    private static bool AllAccessible(this Mono.Collections.Generic.Collection<TypeReference> types, TypeDefinition from)
    {
        foreach (var type in types)
        {
            if (!IsAccessible(type, from))
                return false;
        }
        return true;
    }

    /// <summary>Reachable from anywhere in the assembly.</summary>
    private static bool IsOpen(bool isPublic, bool isAssembly, bool isFamilyOrAssembly) => isPublic || isAssembly || isFamilyOrAssembly;

    /// <summary><paramref name="from"/> is <paramref name="declaring"/> or nested in it.</summary>
    private static bool Encloses(TypeDefinition declaring, TypeDefinition from)
    {
        for (var type = from; type != null; type = type.DeclaringType)
        {
            if (type == declaring)
                return true;
        }
        return false;
    }

    private static FieldDefinition? Resolve(FieldReference field) => Try(field.Resolve);

    /// <summary>The definition, or null when its assembly cannot be found.</summary>
    public static MethodDefinition? Resolve(MethodReference method) => Try(method.Resolve);

    private static TypeDefinition? Resolve(TypeReference type) => Try(type.Resolve);

    /// <summary>A member whose assembly cannot be found is taken as inaccessible.</summary>
    private static T? Try<T>(System.Func<T> resolve)
        where T : class
    {
        try
        {
            return resolve();
        }
        catch (AssemblyResolutionException)
        {
            return null;
        }
    }
}
