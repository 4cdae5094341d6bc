using System.Collections.Generic;
using System.Linq;
using Autodiff.Shared;
using Autodiff.Weaver.Loading;
using Microsoft.CodeAnalysis;

namespace Autodiff.Generator;

/// <summary>A form-1 derivative's signature for a Roslyn primal, by the rules the weaver applies to its CIL.</summary>
internal static class RoslynSignature
{
    /// <summary>
    /// Null when the weaver will reject the request (generic primal, ref return, wrong activity count, an
    /// activity that does not fit); it reports why, so the generator declares nothing.
    /// </summary>
    public static SignatureShape<RoslynType>? Of(IMethodSymbol primal, DerivativeMode mode, IReadOnlyList<ActivityKind> activities, int width, Compilation compilation)
    {
        if (primal.IsGenericMethod || primal.ReturnsByRef || primal.ReturnsByRefReadonly || IsInGenericType(primal))
            return null;
        var types = new RoslynTypeShapes(compilation);
        var slots = SignatureRules.Slots(
            types,
            primal.IsStatic ? null : (new RoslynType(primal.ContainingType), primal.ContainingType.IsValueType),
            receiverIsExplicit: false,
            primal.Parameters.Select(p => (new RoslynType(p.Type, p.RefKind != RefKind.None), (string?)p.Name, RefKindOf(p))));
        var returnsValue = !primal.ReturnsVoid;
        if (activities.Count != SignatureRules.ActivityCount(slots.Count, returnsValue))
            return null;
        var (parameterActivities, returnActivity) = SignatureRules.SplitActivities(returnsValue, activities);
        var returnType = new RoslynType(primal.ReturnType);
        if (slots.Any(s => ActivityFit.Check(types, parameterActivities[s.Index], s.Type, mode, isReturn: false) != null)
            || returnActivity is { } activity && ActivityFit.Check(types, activity, returnType, mode, isReturn: true) != null)
            return null;
        return SignatureRules.Build(types, slots, returnType, returnsValue, hasThis: !primal.IsStatic, mode, parameterActivities, returnActivity, width);
    }

    private static ParameterRefKind RefKindOf(IParameterSymbol parameter) => parameter.RefKind switch
    {
        RefKind.None => ParameterRefKind.None,
        RefKind.Out => ParameterRefKind.Out,
        RefKind.Ref => ParameterRefKind.Ref,
        // `in` and `ref readonly` parameters: CIL marks both read-only, and the weaver reads both as `in`.
        _ => ParameterRefKind.In,
    };

    private static bool IsInGenericType(IMethodSymbol method)
    {
        for (var type = method.ContainingType; type != null; type = type.ContainingType)
        {
            if (type.IsGenericType)
                return true;
        }
        return false;
    }
}
