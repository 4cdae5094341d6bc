using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Bcl;

/// <summary>
/// What a span local denotes once <see cref="SpanOperations"/> has resolved it: <see cref="Length"/> elements of
/// <see cref="Base"/> — an array, or the slot of a span parameter — from <see cref="Offset"/> on.
/// </summary>
internal sealed record SpanView(Value Base, Value Offset, Value Length, TypeReference Element)
{
    /// <summary>True when the span is a window on an array (else on a span parameter's slot).</summary>
    public bool IsArray => Base.Type is ArrayType;

    /// <summary>
    /// The address of element <paramref name="index"/>. An index outside the view becomes −1, so the array or the
    /// parameter's own indexer throws the IndexOutOfRangeException the span's indexer would have thrown.
    /// </summary>
    public Value Address(IrBuilder builder, Value index)
    {
        var guarded = GuardedIndex.Of(builder, Offset, index, Length);
        return IsArray
            ? builder.ElementAddress(Base, guarded, Element)
            : builder.Call(Indexer(((ByReferenceType)Base.Type).ElementType), new ByReferenceType(Element), new[] { Base, (Value)guarded });
    }

    /// <summary><c>ref T Span&lt;T&gt;.this[int]</c> (or ReadOnlySpan's) of a span type, as the frontend references it.</summary>
    private static MethodReference Indexer(TypeReference span)
    {
        var open = ((GenericInstanceType)span).ElementType;
        if (open.GenericParameters.Count == 0)
            open.GenericParameters.Add(new GenericParameter(open));
        var indexer = new MethodReference("get_Item", new ByReferenceType(open.GenericParameters[0]), span) { HasThis = true };
        indexer.Parameters.Add(new ParameterDefinition(span.Module.TypeSystem.Int32));
        return indexer;
    }
}
