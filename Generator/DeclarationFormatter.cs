using System.Linq;
using System.Text;
using Autodiff.Shared;
using Autodiff.Weaver.Loading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Autodiff.Generator;

/// <summary>
/// Prints a derivative declaration exactly as the weaver's <c>CSharpSignatureFormatter</c> prints the
/// expected signature in its diagnostics (tests hold the two to the same text): C# keywords for primitives,
/// tuple syntax, <c>ref</c>/<c>in</c>/<c>out</c>, and namespaces only outside <c>System</c> and the declaring
/// namespace. Generated files import <c>System</c> and sit in that namespace, so the text compiles as is.
/// </summary>
internal static class DeclarationFormatter
{
    /// <summary>E.g. <c>public static (double, double, double) DF(double x, double y, double seed)</c>; <paramref name="isExtern"/> adds <c>extern</c>.</summary>
    public static string Declaration(SignatureShape<RoslynType> signature, string name, string contextNamespace, bool isExtern = false)
    {
        var parameters = signature.Parameters
            .Skip(signature.HasThis ? 1 : 0)
            .Select(p => Modifier(p.Type, p.RefKind) + TypeName(p.Type.Symbol, contextNamespace) + " " + Identifier(p.Name));
        return $"public {(signature.HasThis ? "" : "static ")}{(isExtern ? "extern " : "")}{TypeName(signature.ReturnType.Symbol, contextNamespace)} {name}({string.Join(", ", parameters)})";
    }

    private static string TypeName(ITypeSymbol type, string contextNamespace)
    {
        switch (type)
        {
            case IPointerTypeSymbol pointer:
                return TypeName(pointer.PointedAtType, contextNamespace) + "*";
            case IArrayTypeSymbol array:
                return ArrayName(array, contextNamespace);
            case INamedTypeSymbol { IsTupleType: true } tuple when tuple.TupleElements.Length > 1:
                return "(" + string.Join(", ", tuple.TupleElements.Select(e => TypeName(e.Type, contextNamespace))) + ")";
            case INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable:
                return TypeName(nullable.TypeArguments[0], contextNamespace) + "?";
            case ITypeParameterSymbol parameter:
                return parameter.Name;
        }
        if (Keyword(type.SpecialType) is { } keyword)
            return keyword;
        var name = type.Name;
        if (type is INamedTypeSymbol { IsGenericType: true } generic)
            name += "<" + string.Join(", ", generic.TypeArguments.Select(t => TypeName(t, contextNamespace))) + ">";
        if (type.ContainingType != null)
            return TypeName(type.ContainingType, contextNamespace) + "." + name;
        var space = type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : "";
        return space.Length == 0 || space == "System" || space == contextNamespace ? name : space + "." + name;
    }

    private static string Modifier(RoslynType type, ParameterRefKind refKind) =>
        !type.IsByReference ? "" : refKind switch
        {
            ParameterRefKind.In => "in ",
            ParameterRefKind.Out => "out ",
            _ => "ref ",
        };

    /// <summary>C# writes the outermost rank first: a 1-D array of 2-D arrays is <c>double[][,]</c>.</summary>
    private static string ArrayName(IArrayTypeSymbol array, string contextNamespace)
    {
        var ranks = new StringBuilder();
        ITypeSymbol element = array;
        while (element is IArrayTypeSymbol current)
        {
            ranks.Append('[').Append(',', current.Rank - 1).Append(']');
            element = current.ElementType;
        }
        return TypeName(element, contextNamespace) + ranks;
    }

    /// <summary>A parameter named like a keyword (possible in metadata) needs <c>@</c> in source.</summary>
    public static string Identifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    private static string? Keyword(SpecialType type) => type switch
    {
        SpecialType.System_Void => "void",
        SpecialType.System_Boolean => "bool",
        SpecialType.System_Char => "char",
        SpecialType.System_SByte => "sbyte",
        SpecialType.System_Byte => "byte",
        SpecialType.System_Int16 => "short",
        SpecialType.System_UInt16 => "ushort",
        SpecialType.System_Int32 => "int",
        SpecialType.System_UInt32 => "uint",
        SpecialType.System_Int64 => "long",
        SpecialType.System_UInt64 => "ulong",
        SpecialType.System_Single => "float",
        SpecialType.System_Double => "double",
        SpecialType.System_String => "string",
        SpecialType.System_Object => "object",
        SpecialType.System_IntPtr => "nint",
        SpecialType.System_UIntPtr => "nuint",
        _ => null,
    };
}
