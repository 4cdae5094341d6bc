using Autodiff.Weaver.Loading;

namespace Autodiff.Shared;

/// <summary>
/// Which activity fits which parameter or return type in which mode (DESIGN §1.1). Reverse mode takes
/// Const/Active/Duplicated/DuplicatedOnly for parameters and Const/Active/ActiveOnly for the return value;
/// forward mode takes Const/Dual/DualOnly everywhere. Active needs a differentiable value, Duplicated a
/// differentiable reference, Dual either.
/// </summary>
internal static class ActivityFit
{
    /// <summary>Null when <paramref name="activity"/> fits; otherwise why not and what to write instead.</summary>
    public static string? Check<TType>(ITypeShapes<TType> types, ActivityKind activity, TType type, DerivativeMode mode, bool isReturn)
    {
        if (activity == ActivityKind.Const)
            return null;
        var isValue = Differentiability.IsValue(types, type);
        var isReference = !isValue && Differentiability.IsReference(types, type);
        var what = isValue ? "a differentiable value" : isReference ? "a differentiable reference" : "not differentiable";
        var valueFix = isReturn ? "Active or ActiveOnly" : "Active";
        if (mode == DerivativeMode.Reverse)
        {
            switch (activity)
            {
                case ActivityKind.Dual:
                case ActivityKind.DualOnly:
                    return $"{activity} is a forward-mode activity; in reverse mode use {Suggest(isValue, isReference, valueFix, isReturn ? "Const" : "Duplicated")}";
                case ActivityKind.ActiveOnly when !isReturn:
                    return $"ActiveOnly applies to the return value only; for a parameter use {Suggest(isValue, isReference, "Active", "Duplicated")}";
                case ActivityKind.Duplicated or ActivityKind.DuplicatedOnly when isReturn:
                    return $"a return value cannot be {activity}; use {Suggest(isValue, isReference, valueFix, "Const")}";
                case ActivityKind.Active or ActivityKind.ActiveOnly when !isValue:
                    return $"{activity} needs a differentiable value (float, double, or a struct of them), and this type is {what}; use {Suggest(isValue, isReference, valueFix, isReturn ? "Const" : "Duplicated")}";
                case ActivityKind.Duplicated or ActivityKind.DuplicatedOnly when !isReference:
                    return $"{activity} needs a differentiable reference (an array, Span<T>, ReadOnlySpan<T>, ref/in/out, or an object with differentiable fields), and this type is {what}; use {Suggest(isValue, isReference, "Active", "Duplicated")}";
                default:
                    return null;
            }
        }
        switch (activity)
        {
            case ActivityKind.Dual:
            case ActivityKind.DualOnly:
                return isValue || isReference ? null : $"{activity} needs a differentiable value or reference, and this type is {what}; use Const";
            default:
                return $"{activity} is a reverse-mode activity; in forward mode use {(isValue || isReference ? "Dual or DualOnly" : "Const")}";
        }
    }

    private static string Suggest(bool isValue, bool isReference, string forValue, string forReference) =>
        isValue ? forValue : isReference ? forReference : "Const";
}
