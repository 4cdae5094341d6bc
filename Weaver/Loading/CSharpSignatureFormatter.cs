using System.Collections.Generic;
using System.Linq;
using System.Text;
using Mono.Cecil;

namespace Autodiff.Weaver.Loading;

/// <summary>
/// Prints derivative signatures as the C# declaration a user would write for the stub, for diagnostics:
/// C# keywords for primitives, tuple syntax for <c>ValueTuple</c>, <c>ref</c>/<c>in</c>/<c>out</c>, and
/// namespaces only where the type is outside <c>System</c> and the given context namespace.
/// </summary>
public static class CSharpSignatureFormatter
{
    /// <summary>E.g. <c>public static (double, double, double) DF(double x, double y, double seed)</c>.</summary>
    public static string ToCSharp(DerivativeSignature signature, string name, bool isStatic, string accessibility = "public", string? contextNamespace = null)
    {
        var parameters = signature.Parameters
            .Skip(signature.HasThis ? 1 : 0)
            .Select(p => Parameter(p.Type, p.Name, p.RefKind, contextNamespace));
        return Declaration(accessibility, isStatic, TypeName(signature.ReturnType, contextNamespace), name, parameters);
    }

    /// <summary>The declaration of an existing method, printed the same way (to show what was found).</summary>
    public static string ToCSharp(MethodDefinition method, string? contextNamespace = null)
    {
        var parameters = method.Parameters.Select(p => Parameter(p.ParameterType, p.Name, PrimalSlot.RefKindOf(p), contextNamespace));
        return Declaration(Accessibility(method), method.IsStatic, TypeName(method.ReturnType, contextNamespace), method.Name, parameters);
    }

    /// <summary><c>public</c>, <c>internal</c>, <c>protected internal</c>, <c>protected</c>, <c>private protected</c> or <c>private</c>.</summary>
    public static string Accessibility(MethodDefinition method) =>
        method.IsPublic ? "public"
        : method.IsAssembly ? "internal"
        : method.IsFamilyOrAssembly ? "protected internal"
        : method.IsFamily ? "protected"
        : method.IsFamilyAndAssembly ? "private protected"
        : "private";

    /// <summary>The C# spelling of <paramref name="type"/> (without a by-reference modifier).</summary>
    public static string TypeName(TypeReference type, string? contextNamespace = null)
    {
        type = DifferentiableTypes.StripModifiers(type);
        switch (type)
        {
            case ByReferenceType byReference:
                return TypeName(byReference.ElementType, contextNamespace);
            case PointerType pointer:
                return TypeName(pointer.ElementType, contextNamespace) + "*";
            case ArrayType array:
                return ArrayName(array, contextNamespace);
            case GenericInstanceType generic:
                return GenericName(generic, contextNamespace);
        }
        var keyword = Keyword(type.MetadataType);
        if (keyword != null)
            return keyword;
        var name = StripArity(type.Name);
        if (type.DeclaringType != null)
            return TypeName(type.DeclaringType, contextNamespace) + "." + name;
        return type.Namespace.Length == 0 || type.Namespace == "System" || type.Namespace == contextNamespace ? name : type.Namespace + "." + name;
    }

    private static string Declaration(string accessibility, bool isStatic, string returnType, string name, IEnumerable<string> parameters) =>
        $"{accessibility} {(isStatic ? "static " : "")}{returnType} {name}({string.Join(", ", parameters)})";

    private static string Parameter(TypeReference type, string name, ParameterRefKind refKind, string? contextNamespace)
    {
        var isByReference = DifferentiableTypes.StripModifiers(type) is ByReferenceType;
        var modifier = !isByReference ? "" : refKind switch
        {
            ParameterRefKind.In => "in ",
            ParameterRefKind.Out => "out ",
            _ => "ref ",
        };
        return modifier + TypeName(type, contextNamespace) + " " + name;
    }

    /// <summary>C# writes the outermost rank first: a 1-D array of 2-D arrays is <c>double[][,]</c>.</summary>
    private static string ArrayName(ArrayType array, string? contextNamespace)
    {
        var ranks = new StringBuilder();
        TypeReference element = array;
        while (element is ArrayType current)
        {
            ranks.Append('[').Append(',', current.Rank - 1).Append(']');
            element = current.ElementType;
        }
        return TypeName(element, contextNamespace) + ranks;
    }

    private static string GenericName(GenericInstanceType generic, string? contextNamespace)
    {
        var definition = generic.ElementType;
        if (definition.Namespace == "System" && definition.Name.StartsWith("ValueTuple`", System.StringComparison.Ordinal) && generic.GenericArguments.Count > 1)
            return "(" + string.Join(", ", TupleElements(generic).Select(t => TypeName(t, contextNamespace))) + ")";
        if (definition.FullName == "System.Nullable`1")
            return TypeName(generic.GenericArguments[0], contextNamespace) + "?";
        var arguments = string.Join(", ", generic.GenericArguments.Select(t => TypeName(t, contextNamespace)));
        return TypeName(definition, contextNamespace) + "<" + arguments + ">";
    }

    /// <summary>The elements of a tuple, flattening <c>ValueTuple`8</c>'s <c>TRest</c>.</summary>
    private static IEnumerable<TypeReference> TupleElements(GenericInstanceType tuple)
    {
        for (var i = 0; i < tuple.GenericArguments.Count; i++)
        {
            var argument = tuple.GenericArguments[i];
            if (i == 7 && argument is GenericInstanceType rest)
            {
                foreach (var element in TupleElements(rest))
                    yield return element;
            }
            else
                yield return argument;
        }
    }

    private static string StripArity(string name)
    {
        var tick = name.IndexOf('`');
        return tick < 0 ? name : name.Substring(0, tick);
    }

    private static string? Keyword(MetadataType type) => type switch
    {
        MetadataType.Void => "void",
        MetadataType.Boolean => "bool",
        MetadataType.Char => "char",
        MetadataType.SByte => "sbyte",
        MetadataType.Byte => "byte",
        MetadataType.Int16 => "short",
        MetadataType.UInt16 => "ushort",
        MetadataType.Int32 => "int",
        MetadataType.UInt32 => "uint",
        MetadataType.Int64 => "long",
        MetadataType.UInt64 => "ulong",
        MetadataType.Single => "float",
        MetadataType.Double => "double",
        MetadataType.String => "string",
        MetadataType.Object => "object",
        MetadataType.IntPtr => "nint",
        MetadataType.UIntPtr => "nuint",
        _ => null,
    };
}
