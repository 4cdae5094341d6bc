using Autodiff.Weaver.Diagnostics;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Autodiff.Weaver.Loading;

/// <summary>Where a method is in the user's source, and how diagnostics name it.</summary>
public static class SourceLocations
{
    /// <summary>The first sequence point that maps to a source line, or null (no PDB, no body, or all hidden).</summary>
    public static SequencePoint? FirstSequencePoint(MethodDefinition method)
    {
        if (!method.HasBody || !method.DebugInformation.HasSequencePoints)
            return null;
        foreach (var point in method.DebugInformation.SequencePoints)
        {
            if (!point.IsHidden)
                return point;
        }
        return null;
    }

    /// <summary><c>Assembly!Namespace.Type::Method</c>, nested types joined with <c>/</c> as in CIL.</summary>
    public static string MemberName(MethodDefinition method) =>
        $"{method.Module.Assembly?.Name.Name ?? method.Module.Name}!{method.DeclaringType.FullName}::{method.Name}";

    /// <summary>An error at <paramref name="method"/>'s first source line, named by <see cref="MemberName"/>.</summary>
    public static Diagnostic Error(DiagnosticCode code, string message, MethodDefinition method) =>
        new(code, message, SourceLocation.From(FirstSequencePoint(method)), MemberName(method));
}
