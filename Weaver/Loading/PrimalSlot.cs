using System.Collections.Generic;
using System.Linq;
using Autodiff.Shared;
using Mono.Cecil;

namespace Autodiff.Weaver.Loading;

/// <summary>
/// One primal CIL parameter as activities count them: <c>this</c> first for instance methods (a
/// <c>ref</c> to the type for structs, as CIL passes it), then the declared parameters.
/// </summary>
public sealed record PrimalSlot(int Index, TypeReference Type, string Name, ParameterRefKind RefKind)
{
    /// <summary>The name a form-2 stub gives the receiver of an instance primal (<c>this</c> is not a valid parameter name).</summary>
    public const string ReceiverName = SignatureRules.ReceiverName;

    /// <summary>The slots of <paramref name="primal"/>; the receiver is named <c>this</c>, or <see cref="ReceiverName"/> when it becomes an explicit parameter.</summary>
    public static IReadOnlyList<PrimalSlot> Of(MethodDefinition primal, bool receiverIsExplicit) =>
        ShapesOf(primal, receiverIsExplicit, new CecilTypeShapes(primal.Module))
            .Select(s => new PrimalSlot(s.Index, s.Type, s.Name, s.RefKind))
            .ToList();

    /// <summary>The number of activities <paramref name="primal"/> needs: one per slot, plus one for a non-void return.</summary>
    public static int ActivityCount(MethodDefinition primal) =>
        SignatureRules.ActivityCount(primal.Parameters.Count + (primal.HasThis ? 1 : 0), ReturnsValue(primal));

    public static bool ReturnsValue(MethodDefinition primal) => primal.ReturnType.MetadataType != MetadataType.Void;

    /// <summary>Splits one activity per slot from the return value's (null for <c>void</c>); the count must be <see cref="ActivityCount"/>.</summary>
    public static (IReadOnlyList<ActivityKind> Parameters, ActivityKind? Return) SplitActivities(MethodDefinition primal, IReadOnlyList<ActivityKind> activities) =>
        SignatureRules.SplitActivities(ReturnsValue(primal), activities);

    /// <summary>How C# declared <paramref name="parameter"/>: by value, <c>ref</c>, <c>in</c> or <c>out</c>.</summary>
    public static ParameterRefKind RefKindOf(ParameterDefinition parameter)
    {
        if (DifferentiableTypes.StripModifiers(parameter.ParameterType) is not ByReferenceType)
            return ParameterRefKind.None;
        if (parameter.IsOut && !parameter.IsIn)
            return ParameterRefKind.Out;
        // Roslyn marks `in` parameters [In] + [IsReadOnly] (and modreq(InAttribute) on virtual methods).
        if (parameter.IsIn || parameter.CustomAttributes.Any(a => a.AttributeType.FullName == "System.Runtime.CompilerServices.IsReadOnlyAttribute"))
            return ParameterRefKind.In;
        return ParameterRefKind.Ref;
    }

    /// <summary>The slots as the shared rules take them, with <paramref name="types"/> building the struct receiver's reference.</summary>
    internal static IReadOnlyList<SlotShape<TypeReference>> ShapesOf(MethodDefinition primal, bool receiverIsExplicit, CecilTypeShapes types) =>
        SignatureRules.Slots(
            types,
            primal.HasThis ? ((TypeReference)primal.DeclaringType, primal.DeclaringType.IsValueType) : null,
            receiverIsExplicit,
            primal.Parameters.Select(p => (p.ParameterType, (string?)p.Name, RefKindOf(p))));
}
