using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Autodiff.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Autodiff.Generator;

/// <summary>
/// What the generator writes for one method carrying <c>[Autodiff]</c> (DESIGN §1): for a form-1 request whose
/// derivative nobody declared, the derivative's declaration with a placeholder body; for a <c>partial</c>
/// derivative declared without implementation (form 1 or form 2), its implementing part — the
/// <c>[GeneratedRegex]</c> idiom. Either carries <c>[GeneratedCode("Autodiff", …)]</c>, which tells the
/// weaver the body is a placeholder to replace.
/// </summary>
internal static class DerivativeDeclarations
{
    private static readonly SymbolDisplayFormat ExactType = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    public static MethodOutcome For(IMethodSymbol method, ImmutableArray<AttributeData> attributes, Compilation compilation)
    {
        var members = new List<GeneratedMember>();
        var reports = new List<NonPartialReport>();
        var allowsUnsafe = compilation.Options is CSharpCompilationOptions { AllowUnsafe: true };
        foreach (var attribute in attributes)
        {
            var request = AutodiffRequest.Read(attribute);
            if (request == null)
                continue;
            if (request.IsForm2)
            {
                if (IsUnimplementedPartial(method))
                    Place(method, Implementation(method), attribute, allowsUnsafe, members, reports);
                continue;
            }
            var name = request.DerivativeName;
            var declared = string.IsNullOrEmpty(name) ? ImmutableArray<ISymbol>.Empty : method.ContainingType.GetMembers(name!);
            if (declared.Length > 0)
            {
                // The user's declaration stands; the weaver checks its signature. A partial one still needs its implementation.
                foreach (var definition in declared.OfType<IMethodSymbol>().Where(IsUnimplementedPartial))
                    Place(definition, Implementation(definition), attribute, allowsUnsafe, members, reports);
                continue;
            }
            if (request.Validated() is not { } valid
                || RoslynSignature.Of(method, valid.Mode, valid.Activities, request.Width, compilation) is not { } signature)
                continue;
            var context = ContextNamespace(method.ContainingType);
            var declaration = DeclarationFormatter.Declaration(signature, valid.Name, context);
            var stub = DeclarationFormatter.Declaration(signature, valid.Name, context, isExtern: true) + ";";
            var text = "#nullable disable\n" + GeneratedCode + "\n" + declaration + " => " + Placeholder(method.ContainingType, valid.Name) + ";";
            Place(method, new PlannedMember(valid.Name, text, stub), attribute, allowsUnsafe, members, reports);
        }
        return new MethodOutcome(new EquatableArray<GeneratedMember>(members), new EquatableArray<NonPartialReport>(reports));
    }

    private const string GeneratedCode = "[global::" + PlaceholderMarker.AttributeFullName + "(\"" + PlaceholderMarker.ToolName + "\", \"1\")]";

    /// <summary>Text for a derivative in <paramref name="anchor"/>'s type, and the stub to suggest when that type cannot take it.</summary>
    private sealed record PlannedMember(string Name, string Text, string Stub);

    /// <param name="allowsUnsafe">
    /// The project allows unsafe code, so signatures may hold pointers: the generated part of the innermost type
    /// is <c>unsafe</c>, which keeps the member's text the weaver's.
    /// </param>
    private static void Place(IMethodSymbol anchor, PlannedMember member, AttributeData attribute, bool allowsUnsafe, List<GeneratedMember> members, List<NonPartialReport> reports)
    {
        var chain = new List<INamedTypeSymbol>();
        for (var type = anchor.ContainingType; type != null; type = type.ContainingType)
            chain.Insert(0, type);
        if (chain.FirstOrDefault(t => !IsPartial(t)) is { } notPartial)
        {
            reports.Add(new NonPartialReport(attribute.ApplicationSyntaxReference?.GetSyntax().GetLocation(), notPartial.ToDisplayString(), member.Name, member.Stub));
            return;
        }
        var space = ContextNamespace(anchor.ContainingType);
        var fileKey = (space.Length == 0 ? "" : space + ".") + string.Join("+", chain.Select(t => t.MetadataName));
        members.Add(new GeneratedMember(fileKey, space, new EquatableArray<string>(chain.Select((t, i) => Opener(t, allowsUnsafe && i == chain.Count - 1))), member.Text));
    }

    /// <summary>The implementing part of a partial definition: the same signature, printed fully qualified, with a placeholder body.</summary>
    private static PlannedMember Implementation(IMethodSymbol definition)
    {
        var syntax = definition.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).OfType<MethodDeclarationSyntax>().First();
        var returnType = (definition.ReturnsByRef ? "ref " : definition.ReturnsByRefReadonly ? "ref readonly " : "") + definition.ReturnType.ToDisplayString(ExactType);
        var parameters = definition.Parameters.Select((p, i) =>
            (definition.IsExtensionMethod && i == 0 ? "this " : "") + (p.IsParams ? "params " : "") + RefKeyword(p.RefKind)
            + p.Type.ToDisplayString(ExactType) + " " + DeclarationFormatter.Identifier(p.Name));
        // GeneratedCode allows one instance per method: a definition may carry it already.
        var marked = definition.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == PlaceholderMarker.AttributeFullName);
        var signature = $"{returnType} {DeclarationFormatter.Identifier(definition.Name)}({string.Join(", ", parameters)})";
        var text = "#nullable enable\n" + (marked ? "" : GeneratedCode + "\n")
            + $"{syntax.Modifiers} {signature} => {Placeholder(definition.ContainingType, definition.Name)};";
        var stub = string.Join(" ", syntax.Modifiers.Where(m => !m.IsKind(SyntaxKind.PartialKeyword)).Select(m => m.Text).Append("extern")) + " " + signature + ";";
        return new PlannedMember(definition.Name, text, stub);
    }

    private static string Placeholder(INamedTypeSymbol type, string name) =>
        $"throw new global::System.InvalidOperationException(\"{type.Name}.{name} was not woven by Autodiff: the Autodiff.Fody weaver (or `adweave weave`) replaces this placeholder body after compilation\")";

    private static bool IsUnimplementedPartial(IMethodSymbol method) => method.IsPartialDefinition && method.PartialImplementationPart == null;

    private static bool IsPartial(INamedTypeSymbol type) =>
        type.DeclaringSyntaxReferences.Any(r => r.GetSyntax() is TypeDeclarationSyntax declaration && declaration.Modifiers.Any(SyntaxKind.PartialKeyword));

    /// <summary>E.g. <c>partial class Model</c>, <c>ref partial struct Buffer</c>, <c>unsafe partial record struct Point</c>, <c>partial class Cache&lt;T&gt;</c>.</summary>
    private static string Opener(INamedTypeSymbol type, bool isUnsafe)
    {
        var keyword = type.IsRecord
            ? type.IsValueType ? "record struct" : "record"
            : type.TypeKind switch { TypeKind.Struct => "struct", TypeKind.Interface => "interface", _ => "class" };
        var typeParameters = type.TypeParameters.IsEmpty ? "" : "<" + string.Join(", ", type.TypeParameters.Select(p => DeclarationFormatter.Identifier(p.Name))) + ">";
        return (isUnsafe ? "unsafe " : "") + (type.IsRefLikeType ? "ref " : "") + "partial " + keyword + " " + DeclarationFormatter.Identifier(type.Name) + typeParameters;
    }

    /// <summary>The namespace of the outermost containing type ("" for the global namespace); the weaver formats expected signatures relative to it.</summary>
    private static string ContextNamespace(INamedTypeSymbol type)
    {
        while (type.ContainingType != null)
            type = type.ContainingType;
        return type.ContainingNamespace is { IsGlobalNamespace: false } space ? space.ToDisplayString() : "";
    }

    private static string RefKeyword(RefKind refKind) => refKind switch
    {
        RefKind.Ref => "ref ",
        RefKind.Out => "out ",
        RefKind.In => "in ",
        RefKind.RefReadOnlyParameter => "ref readonly ",
        _ => "",
    };
}
