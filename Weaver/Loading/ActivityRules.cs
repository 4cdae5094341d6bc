using Autodiff.Shared;
using Mono.Cecil;

namespace Autodiff.Weaver.Loading;

/// <summary>
/// Which activity fits which parameter or return type in which mode (DESIGN §1.1), for Cecil types; the
/// rules themselves are <see cref="ActivityFit"/>, shared with the generator.
/// </summary>
public static class ActivityRules
{
    /// <summary>Null when <paramref name="activity"/> fits; otherwise why not and what to write instead.</summary>
    public static string? Check(ActivityKind activity, TypeReference type, DerivativeMode mode, bool isReturn) =>
        ActivityFit.Check(new CecilTypeShapes(type.Module), activity, type, mode, isReturn);
}
