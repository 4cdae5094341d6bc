using Microsoft.CodeAnalysis;

namespace Autodiff.Generator;

/// <summary>An AD1101 to report: <see cref="TypeName"/> (or a type containing it) is not partial, so <see cref="Derivative"/> cannot be declared.</summary>
/// <param name="Declaration">What the user could write instead: the stub's declaration, ending with <c>;</c>.</param>
internal sealed record NonPartialReport(Location? Location, string TypeName, string Derivative, string Declaration)
{
    public Diagnostic ToDiagnostic() => Diagnostic.Create(AutodiffDiagnostics.TypeNotPartial, Location, TypeName, Derivative, Declaration);
}
