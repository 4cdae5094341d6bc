using Microsoft.CodeAnalysis;

namespace Autodiff.Generator;

/// <summary>The generator's diagnostics (AD1100–AD1149). Invalid requests are the weaver's to report, once.</summary>
internal static class AutodiffDiagnostics
{
    /// <summary>
    /// A warning, not an error: the weaver still adds the derivative after compilation (callable from other
    /// assemblies and by reflection); only code in the same assembly cannot call it.
    /// </summary>
    public static readonly DiagnosticDescriptor TypeNotPartial = new(
        id: "AD1101",
        title: "The derivative cannot be declared: its type is not partial",
        messageFormat: "{0} is not partial, so the Autodiff generator cannot declare {1} in it, and code in this assembly cannot call {1} (the weaver adds it only after compilation); add `partial` to {0} and every type containing it, or declare the stub yourself: [System.CodeDom.Compiler.GeneratedCode(\"Autodiff\", \"1\")] {2}",
        category: "Autodiff",
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true);
}
