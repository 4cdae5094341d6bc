using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Autodiff.Generator;

/// <summary>
/// Declares the derivatives that form-1 <c>[Autodiff]</c> requests name and nobody declared, and implements
/// <c>partial</c> derivative declarations, each with a placeholder body the weaver replaces (DESIGN §1).
/// Requests the weaver will reject get nothing: it reports them, once.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class AutodiffGenerator : IIncrementalGenerator
{
    public const string AttributeName = "Autodiff.AutodiffAttribute";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var outcomes = context.SyntaxProvider.ForAttributeWithMetadataName(
            AttributeName,
            static (node, _) => node is MethodDeclarationSyntax,
            static (attributed, _) => DerivativeDeclarations.For((IMethodSymbol)attributed.TargetSymbol, attributed.Attributes, attributed.SemanticModel.Compilation));
        context.RegisterSourceOutput(outcomes.SelectMany(static (o, _) => o.Reports), static (output, report) => output.ReportDiagnostic(report.ToDiagnostic()));
        context.RegisterSourceOutput(outcomes.SelectMany(static (o, _) => o.Members).Collect(), SourceWriter.Write);
    }
}
