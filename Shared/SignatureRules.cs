using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Autodiff.Weaver.Loading;

namespace Autodiff.Shared;

/// <summary>
/// DESIGN §1.1's derivative signature, decided once for the weaver (Cecil) and the generator (Roslyn).
/// Reverse: each primal parameter in order, its shadow(s) right after it when Duplicated/DuplicatedOnly, then
/// the seed(s) of an Active/ActiveOnly return; result = [primal value unless void or ActiveOnly] + [N
/// gradients per Active parameter]. Forward: each Dual/DualOnly parameter followed by its tangent(s); result
/// = R (Const), (R, N tangents) (Dual) or the N tangents (DualOnly).
/// </summary>
internal static class SignatureRules
{
    /// <summary>The name a form-2 stub gives the receiver of an instance primal (<c>this</c> is not a valid parameter name).</summary>
    public const string ReceiverName = "self";

    /// <summary>
    /// The primal's slots: the receiver first for instance methods (a <c>ref</c> to the type for structs, as
    /// CIL passes it; named <c>this</c>, or <see cref="ReceiverName"/> when it is an explicit form-2
    /// parameter), then the declared parameters (unnamed ones become <c>arg</c><i>i</i>).
    /// </summary>
    public static IReadOnlyList<SlotShape<TType>> Slots<TType>(
        ITypeShapes<TType> types,
        (TType Type, bool IsStruct)? receiver,
        bool receiverIsExplicit,
        IEnumerable<(TType Type, string? Name, ParameterRefKind RefKind)> parameters)
    {
        var slots = new List<SlotShape<TType>>();
        if (receiver is { } self)
        {
            slots.Add(new SlotShape<TType>(
                0,
                self.IsStruct ? types.ByReferenceTo(self.Type) : self.Type,
                receiverIsExplicit ? ReceiverName : "this",
                self.IsStruct ? ParameterRefKind.Ref : ParameterRefKind.None));
        }
        var declared = 0;
        foreach (var (type, name, refKind) in parameters)
        {
            var fallback = "arg" + declared.ToString(CultureInfo.InvariantCulture);
            slots.Add(new SlotShape<TType>(slots.Count, type, string.IsNullOrEmpty(name) ? fallback : name!, refKind));
            declared++;
        }
        return slots;
    }

    /// <summary>The number of activities a primal needs: one per slot, plus one for a non-void return.</summary>
    public static int ActivityCount(int slotCount, bool returnsValue) => slotCount + (returnsValue ? 1 : 0);

    /// <summary>Splits one activity per slot from the return value's (null for <c>void</c>); the count must be <see cref="ActivityCount"/>.</summary>
    public static (IReadOnlyList<ActivityKind> Parameters, ActivityKind? Return) SplitActivities(bool returnsValue, IReadOnlyList<ActivityKind> activities) =>
        returnsValue
            ? (activities.Take(activities.Count - 1).ToList(), activities[activities.Count - 1])
            : (activities, null);

    /// <param name="returnType">The primal's return type; used only when <paramref name="returnsValue"/>.</param>
    /// <param name="hasThis">Form 1 on an instance primal: the derivative is an instance method whose <c>this</c> is slot 0.</param>
    public static SignatureShape<TType> Build<TType>(
        ITypeShapes<TType> types,
        IReadOnlyList<SlotShape<TType>> slots,
        TType returnType,
        bool returnsValue,
        bool hasThis,
        DerivativeMode mode,
        IReadOnlyList<ActivityKind> parameterActivities,
        ActivityKind? returnActivity,
        int width)
    {
        var names = new HashSet<string>(slots.Select(s => s.Name));
        var parameters = new List<ParameterShape<TType>>();
        var results = new List<ResultShape<TType>>();

        foreach (var slot in slots)
        {
            parameters.Add(new ParameterShape<TType>(DerivativeParameterKind.Primal, slot.Index, 0, slot.Type, slot.Name, slot.RefKind));
            if (parameterActivities[slot.Index] is ActivityKind.Duplicated or ActivityKind.DuplicatedOnly or ActivityKind.Dual or ActivityKind.DualOnly)
            {
                var shadowType = MutableCounterpart(types, slot.Type);
                var refKind = slot.RefKind == ParameterRefKind.None ? ParameterRefKind.None : ParameterRefKind.Ref;
                for (var lane = 0; lane < width; lane++)
                    parameters.Add(new ParameterShape<TType>(DerivativeParameterKind.Shadow, slot.Index, lane, shadowType, Unique(names, LaneName("d" + slot.Name, lane, width)), refKind));
            }
        }

        if (mode == DerivativeMode.Reverse)
        {
            if (returnActivity is ActivityKind.Active or ActivityKind.ActiveOnly)
            {
                for (var lane = 0; lane < width; lane++)
                    parameters.Add(new ParameterShape<TType>(DerivativeParameterKind.Seed, -1, lane, returnType, Unique(names, LaneName("seed", lane, width)), ParameterRefKind.None));
            }
            if (returnsValue && returnActivity != ActivityKind.ActiveOnly)
                results.Add(new ResultShape<TType>(DerivativeResultKind.PrimalValue, -1, 0, returnType));
            foreach (var slot in slots.Where(s => parameterActivities[s.Index] == ActivityKind.Active))
            {
                for (var lane = 0; lane < width; lane++)
                    results.Add(new ResultShape<TType>(DerivativeResultKind.Gradient, slot.Index, lane, slot.Type));
            }
        }
        else if (returnsValue)
        {
            if (returnActivity != ActivityKind.DualOnly)
                results.Add(new ResultShape<TType>(DerivativeResultKind.PrimalValue, -1, 0, returnType));
            if (returnActivity is ActivityKind.Dual or ActivityKind.DualOnly)
            {
                for (var lane = 0; lane < width; lane++)
                    results.Add(new ResultShape<TType>(DerivativeResultKind.Tangent, -1, lane, returnType));
            }
        }

        var resultType = results.Count switch
        {
            0 => types.Void,
            1 => results[0].Type,
            _ => types.TupleOf(results.Select(r => r.Type).ToList()),
        };
        return new SignatureShape<TType>(hasThis, parameters, results, resultType);
    }

    /// <summary><c>T'</c> of DESIGN §1.1: <c>ReadOnlySpan&lt;T&gt;</c> → <c>Span&lt;T&gt;</c>, <c>in T</c> → <c>ref T</c>, else <c>T</c>.</summary>
    private static TType MutableCounterpart<TType>(ITypeShapes<TType> types, TType type) =>
        types.ShapeOf(type) switch
        {
            // Rebuilding the reference drops an `in` parameter's modreq(InAttribute): the shadow is a plain `ref`.
            TypeShape.ByReference => types.ByReferenceTo(MutableCounterpart(types, types.ElementOf(type))),
            TypeShape.ReadOnlySpan => types.SpanLike(type),
            _ => type,
        };

    private static string LaneName(string name, int lane, int width) =>
        width == 1 ? name : name + "_" + lane.ToString(CultureInfo.InvariantCulture);

    /// <summary>Generated names never collide with the primal's own (a primal may already have a <c>dx</c>).</summary>
    private static string Unique(HashSet<string> names, string name)
    {
        while (!names.Add(name))
            name += "_";
        return name;
    }
}
