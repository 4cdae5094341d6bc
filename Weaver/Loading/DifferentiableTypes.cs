using Autodiff.Shared;
using Mono.Cecil;

namespace Autodiff.Weaver.Loading;

/// <summary>
/// DESIGN §1.1's two kinds of types that can carry derivatives, for Cecil types (the rules themselves are
/// <see cref="Differentiability"/>, shared with the generator). A <em>differentiable value</em> is
/// <c>float</c>, <c>double</c>, or a struct whose instance fields are all differentiable values. A
/// <em>differentiable reference</em> is an array (any rank, jagged too), <c>Span&lt;T&gt;</c>,
/// <c>ReadOnlySpan&lt;T&gt;</c> or <c>ref</c>/<c>in</c>/<c>out</c> of something differentiable, or a class
/// instance from which a differentiable field is reachable.
/// </summary>
public static class DifferentiableTypes
{
    public static bool IsValue(TypeReference type) => Differentiability.IsValue(new CecilTypeShapes(type.Module), type);

    public static bool IsReference(TypeReference type) => Differentiability.IsReference(new CecilTypeShapes(type.Module), type);

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
}
