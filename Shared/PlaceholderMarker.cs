namespace Autodiff.Shared;

/// <summary>
/// How a declaration says "the weaver fills this": <c>[System.CodeDom.Compiler.GeneratedCode("Autodiff", …)]</c>.
/// The generator writes it on every placeholder it emits; the weaver replaces the body of what carries it.
/// </summary>
internal static class PlaceholderMarker
{
    public const string AttributeFullName = "System.CodeDom.Compiler.GeneratedCodeAttribute";

    /// <summary>The tool name, the attribute's first argument.</summary>
    public const string ToolName = "Autodiff";
}
