using System.Collections.Generic;

namespace Autodiff.Shared;

/// <summary>What DESIGN §1.1's signature and activity rules need to know about a type.</summary>
internal enum TypeShape
{
    /// <summary>Never differentiable: integers, bool, enums, string, object, pointers, interfaces, generic parameters.</summary>
    Other,
    /// <summary><c>float</c> or <c>double</c>.</summary>
    Floating,
    /// <summary>A struct other than an enum or a span; differentiable when all its instance fields are values.</summary>
    Struct,
    /// <summary>A class; differentiable when a differentiable field is reachable from it.</summary>
    Class,
    /// <summary>An array of any rank.</summary>
    Array,
    Span,
    ReadOnlySpan,
    /// <summary>A <c>ref</c>/<c>in</c>/<c>out</c> parameter's type.</summary>
    ByReference,
}

/// <summary>
/// The view of a type system the shared rules work on: Cecil's <c>TypeReference</c> in the weaver, Roslyn's
/// <c>ITypeSymbol</c> in the generator. The rules decide; implementations only answer and construct.
/// </summary>
internal interface ITypeShapes<TType>
{
    TypeShape ShapeOf(TType type);

    /// <summary>The element of an <see cref="TypeShape.Array"/>, span or <see cref="TypeShape.ByReference"/>.</summary>
    TType ElementOf(TType type);

    /// <summary>The instance fields of a struct, or of a class and its base classes, with generic arguments substituted.</summary>
    IEnumerable<TType> InstanceFieldsOf(TType type);

    /// <summary>A key equal for equal types (recursive structs and classes are visited once).</summary>
    string IdentityOf(TType type);

    TType Void { get; }

    /// <summary><c>System.Span&lt;T&gt;</c> of a <see cref="TypeShape.ReadOnlySpan"/>'s element.</summary>
    TType SpanLike(TType readOnlySpan);

    TType ByReferenceTo(TType element);

    /// <summary><c>System.ValueTuple</c> of two or more elements (nested through <c>TRest</c> beyond seven).</summary>
    TType TupleOf(IReadOnlyList<TType> elements);
}
