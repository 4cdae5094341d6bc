using Autodiff.Weaver.Diagnostics;
using Autodiff.Weaver.Loading;
using Mono.Cecil;

namespace Autodiff.Weaver.Pipeline;

/// <summary>Turns a stage's <see cref="WeaverException"/> into the diagnostic the user sees.</summary>
public static class FailureReport
{
    /// <summary>
    /// The diagnostic for a failure while processing <paramref name="method"/>: at the offending instruction's
    /// line when the stage knew it, else at the method's first line (InlineIL.Fody qualifies errors the same way).
    /// </summary>
    public static Diagnostic Of(WeaverException exception, MethodDefinition method) =>
        new(
            exception.Code,
            exception.Message,
            SourceLocation.From(exception.Location) ?? SourceLocation.From(SourceLocations.FirstSequencePoint(method)),
            SourceLocations.MemberName(method));
}
