namespace Autodiff.Generator;

/// <summary>
/// One member the generator writes into a partial type: <see cref="Text"/> goes inside the type declarations
/// <see cref="Openers"/> (outermost first, e.g. <c>partial class Outer</c>) in namespace <see cref="Namespace"/>
/// (empty for the global namespace); members with the same <see cref="FileKey"/> share one file.
/// </summary>
internal sealed record GeneratedMember(string FileKey, string Namespace, EquatableArray<string> Openers, string Text);
