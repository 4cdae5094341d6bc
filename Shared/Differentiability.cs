using System.Collections.Generic;
using System.Linq;

namespace Autodiff.Shared;

/// <summary>
/// DESIGN §1.1's two kinds of types that carry derivatives. A <em>differentiable value</em> is <c>float</c>,
/// <c>double</c>, or a struct whose instance fields are all differentiable values. A <em>differentiable
/// reference</em> is an array (any rank, jagged too), <c>Span&lt;T&gt;</c>, <c>ReadOnlySpan&lt;T&gt;</c> or
/// <c>ref</c>/<c>in</c>/<c>out</c> of something differentiable, or a class instance from which a
/// differentiable field is reachable.
/// </summary>
internal static class Differentiability
{
    public static bool IsValue<TType>(ITypeShapes<TType> types, TType type) => IsValue(types, type, new HashSet<string>());

    public static bool IsReference<TType>(ITypeShapes<TType> types, TType type) => IsReference(types, type, new HashSet<string>());

    private static bool IsDifferentiable<TType>(ITypeShapes<TType> types, TType type, HashSet<string> visiting) =>
        IsValue(types, type, visiting) || IsReference(types, type, visiting);

    private static bool IsValue<TType>(ITypeShapes<TType> types, TType type, HashSet<string> visiting)
    {
        switch (types.ShapeOf(type))
        {
            case TypeShape.Floating:
                return true;
            case TypeShape.Struct:
                if (IsComplex(types.IdentityOf(type)))
                    return true;
                if (!visiting.Add(types.IdentityOf(type)))
                    return false;
                var fields = types.InstanceFieldsOf(type).ToList();
                var result = fields.Count > 0 && fields.All(f => IsValue(types, f, visiting));
                visiting.Remove(types.IdentityOf(type));
                return result;
            default:
                return false;
        }
    }

    /// <summary>
    /// <c>System.Numerics.Complex</c>: two doubles in every implementation, but a placeholder field in reference
    /// assemblies (what the generator and a build's weaver see), so it is named rather than inspected.
    /// </summary>
    private static bool IsComplex(string identity) => identity is "System.Numerics.Complex" or "global::System.Numerics.Complex";

    private static bool IsReference<TType>(ITypeShapes<TType> types, TType type, HashSet<string> visiting)
    {
        switch (types.ShapeOf(type))
        {
            case TypeShape.Array:
            case TypeShape.Span:
            case TypeShape.ReadOnlySpan:
            case TypeShape.ByReference:
                return IsDifferentiable(types, types.ElementOf(type), visiting);
            case TypeShape.Class:
                if (!visiting.Add(types.IdentityOf(type)))
                    return false;
                var result = types.InstanceFieldsOf(type).Any(f => IsDifferentiable(types, f, visiting));
                visiting.Remove(types.IdentityOf(type));
                return result;
            default:
                return false;
        }
    }
}
