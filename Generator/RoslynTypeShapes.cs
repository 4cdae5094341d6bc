using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Autodiff.Shared;
using Microsoft.CodeAnalysis;

namespace Autodiff.Generator;

/// <summary>The shared signature rules' view of Roslyn symbols; constructed types come from <see cref="compilation"/>.</summary>
internal sealed class RoslynTypeShapes : ITypeShapes<RoslynType>
{
    private readonly Compilation compilation;

    public RoslynTypeShapes(Compilation compilation) => this.compilation = compilation;

    public RoslynType Void => new(compilation.GetSpecialType(SpecialType.System_Void));

    public TypeShape ShapeOf(RoslynType type)
    {
        if (type.IsByReference)
            return TypeShape.ByReference;
        var symbol = type.Symbol;
        switch (symbol.SpecialType)
        {
            case SpecialType.System_Single:
            case SpecialType.System_Double:
                return TypeShape.Floating;
            case SpecialType.None:
                break;
            // int, bool, string, object, decimal, IntPtr, …: CIL primitives and framework types without differentiable fields.
            default:
                return TypeShape.Other;
        }
        if (symbol is IArrayTypeSymbol)
            return TypeShape.Array;
        if (SpanName(symbol) is { } span)
            return span == "ReadOnlySpan" ? TypeShape.ReadOnlySpan : TypeShape.Span;
        return symbol.TypeKind switch
        {
            TypeKind.Struct => TypeShape.Struct,
            TypeKind.Class => TypeShape.Class,
            _ => TypeShape.Other,
        };
    }

    public RoslynType ElementOf(RoslynType type)
    {
        if (type.IsByReference)
            return new RoslynType(type.Symbol);
        return type.Symbol switch
        {
            IArrayTypeSymbol array => new RoslynType(array.ElementType),
            INamedTypeSymbol span when SpanName(span) != null => new RoslynType(span.TypeArguments[0]),
            _ => type,
        };
    }

    public IEnumerable<RoslynType> InstanceFieldsOf(RoslynType type)
    {
        // GetMembers includes the backing fields of auto-properties, as CIL has them.
        for (var current = type.Symbol as INamedTypeSymbol; current != null; current = current.TypeKind == TypeKind.Class ? current.BaseType : null)
        {
            foreach (var field in current.GetMembers().OfType<IFieldSymbol>().Where(f => !f.IsStatic && !f.IsConst))
                yield return new RoslynType(field.Type);
        }
    }

    public string IdentityOf(RoslynType type) =>
        type.Symbol.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + (type.IsByReference ? "&" : "");

    /// <summary><c>Span&lt;T&gt;</c> from the assembly that defines the <c>ReadOnlySpan&lt;T&gt;</c>.</summary>
    public RoslynType SpanLike(RoslynType readOnlySpan)
    {
        var symbol = (INamedTypeSymbol)readOnlySpan.Symbol;
        var span = symbol.ContainingNamespace.GetTypeMembers("Span", 1).FirstOrDefault()
            ?? compilation.GetTypeByMetadataName("System.Span`1")!;
        return new RoslynType(span.Construct(symbol.TypeArguments[0]));
    }

    public RoslynType ByReferenceTo(RoslynType element) => new(element.Symbol, isByReference: true);

    public RoslynType TupleOf(IReadOnlyList<RoslynType> elements) =>
        new(compilation.CreateTupleTypeSymbol(elements.Select(e => e.Symbol).ToImmutableArray()));

    /// <summary>"Span" or "ReadOnlySpan" for <c>System.Span&lt;T&gt;</c> and <c>System.ReadOnlySpan&lt;T&gt;</c>; null otherwise.</summary>
    private static string? SpanName(ITypeSymbol symbol) =>
        symbol is INamedTypeSymbol { Arity: 1, Name: "Span" or "ReadOnlySpan" } named
        && named.ContainingNamespace is { Name: "System", ContainingNamespace.IsGlobalNamespace: true }
            ? named.Name
            : null;
}
