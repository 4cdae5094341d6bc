namespace Autodiff.Generator;

/// <summary>What one method carrying <c>[Autodiff]</c> asks the generator to write and to report.</summary>
internal sealed record MethodOutcome(EquatableArray<GeneratedMember> Members, EquatableArray<NonPartialReport> Reports);
