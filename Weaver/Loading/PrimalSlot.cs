using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;

namespace Autodiff.Weaver.Loading;

/// <summary>
/// One primal CIL parameter as activities count them: <c>this</c> first for instance methods (a
/// <c>ref</c> to the type for structs, as CIL passes it), then the declared parameters.
/// </summary>
public sealed record PrimalSlot(int Index, TypeReference Type, string Name, ParameterRefKind RefKind)
{
    /// <summary>The name a form-2 stub gives the receiver of an instance primal (<c>this</c> is not a valid parameter name).</summary>
    public const string ReceiverName = "self";

    /// <summary>The slots of <paramref name="primal"/>; the receiver is named <c>this</c>, or <see cref="ReceiverName"/> when it becomes an explicit parameter.</summary>
    public static IReadOnlyList<PrimalSlot> Of(MethodDefinition primal, bool receiverIsExplicit)
    {
        var slots = new List<PrimalSlot>();
        if (primal.HasThis)
        {
            var declaring = (TypeReference)primal.DeclaringType;
            var isStruct = primal.DeclaringType.IsValueType;
            slots.Add(new PrimalSlot(0, isStruct ? new ByReferenceType(declaring) : declaring, receiverIsExplicit ? ReceiverName : "this", isStruct ? ParameterRefKind.Ref : ParameterRefKind.None));
        }
        foreach (var parameter in primal.Parameters)
        {
            var name = string.IsNullOrEmpty(parameter.Name) ? "arg" + parameter.Index.ToString(System.Globalization.CultureInfo.InvariantCulture) : parameter.Name;
            slots.Add(new PrimalSlot(slots.Count, parameter.ParameterType, name, RefKindOf(parameter)));
        }
        return slots;
    }

    /// <summary>The number of activities <paramref name="primal"/> needs: one per slot, plus one for a non-void return.</summary>
    public static int ActivityCount(MethodDefinition primal) =>
        primal.Parameters.Count + (primal.HasThis ? 1 : 0) + (ReturnsValue(primal) ? 1 : 0);

    public static bool ReturnsValue(MethodDefinition primal) => primal.ReturnType.MetadataType != MetadataType.Void;

    /// <summary>Splits one activity per slot from the return value's (null for <c>void</c>); the count must be <see cref="ActivityCount"/>.</summary>
    public static (IReadOnlyList<ActivityKind> Parameters, ActivityKind? Return) SplitActivities(MethodDefinition primal, IReadOnlyList<ActivityKind> activities) =>
        ReturnsValue(primal)
            ? (activities.Take(activities.Count - 1).ToList(), activities[activities.Count - 1])
            : (activities, null);

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
}
