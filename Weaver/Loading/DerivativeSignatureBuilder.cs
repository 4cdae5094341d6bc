using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Mono.Cecil;

namespace Autodiff.Weaver.Loading;

/// <summary>
/// Derives a derivative's parameters and result from the primal, mode, activities and width (DESIGN §1.1).
/// Reverse: each primal parameter in order, its shadow(s) right after it when Duplicated/DuplicatedOnly, then
/// the seed(s) of an Active/ActiveOnly return; result = [primal value unless void or ActiveOnly] + [N
/// gradients per Active parameter]. Forward: each Dual/DualOnly parameter followed by its tangent(s); result
/// = R (Const), (R, N tangents) (Dual) or the N tangents (DualOnly).
/// </summary>
public static class DerivativeSignatureBuilder
{
    /// <param name="receiverIsExplicit">
    /// Form 2: an instance primal's receiver becomes the first parameter of a static derivative. Form 1 keeps
    /// it as <c>this</c> of an instance derivative.
    /// </param>
    /// <param name="module">The module the derivative lives in; every type is imported into it.</param>
    public static DerivativeSignature Build(
        MethodDefinition primal,
        DerivativeMode mode,
        IReadOnlyList<ActivityKind> parameterActivities,
        ActivityKind? returnActivity,
        int width,
        bool receiverIsExplicit,
        ModuleDefinition module)
    {
        var slots = PrimalSlot.Of(primal, receiverIsExplicit);
        var names = new HashSet<string>(slots.Select(s => s.Name));
        var parameters = new List<DerivativeParameter>();
        var results = new List<DerivativeResultElement>();
        var returnType = module.ImportReference(primal.ReturnType);
        var hasThis = primal.HasThis && !receiverIsExplicit;

        foreach (var slot in slots)
        {
            var type = module.ImportReference(slot.Type);
            parameters.Add(new DerivativeParameter(DerivativeParameterKind.Primal, slot.Index, 0, type, slot.Name) { RefKind = slot.RefKind });
            var activity = parameterActivities[slot.Index];
            if (activity is ActivityKind.Duplicated or ActivityKind.DuplicatedOnly or ActivityKind.Dual or ActivityKind.DualOnly)
            {
                var shadowType = MutableCounterpart(type);
                var refKind = slot.RefKind == ParameterRefKind.None ? ParameterRefKind.None : ParameterRefKind.Ref;
                for (var lane = 0; lane < width; lane++)
                    parameters.Add(new DerivativeParameter(DerivativeParameterKind.Shadow, slot.Index, lane, shadowType, Unique(names, LaneName("d" + slot.Name, lane, width))) { RefKind = refKind });
            }
        }

        var returnsValue = PrimalSlot.ReturnsValue(primal);
        if (mode == DerivativeMode.Reverse)
        {
            if (returnActivity is ActivityKind.Active or ActivityKind.ActiveOnly)
            {
                for (var lane = 0; lane < width; lane++)
                    parameters.Add(new DerivativeParameter(DerivativeParameterKind.Seed, -1, lane, returnType, Unique(names, LaneName("seed", lane, width))));
            }
            if (returnsValue && returnActivity != ActivityKind.ActiveOnly)
                results.Add(new DerivativeResultElement(DerivativeResultKind.PrimalValue, -1, 0, returnType));
            foreach (var slot in slots.Where(s => parameterActivities[s.Index] == ActivityKind.Active))
            {
                var type = module.ImportReference(slot.Type);
                for (var lane = 0; lane < width; lane++)
                    results.Add(new DerivativeResultElement(DerivativeResultKind.Gradient, slot.Index, lane, type));
            }
        }
        else if (returnsValue)
        {
            if (returnActivity != ActivityKind.DualOnly)
                results.Add(new DerivativeResultElement(DerivativeResultKind.PrimalValue, -1, 0, returnType));
            if (returnActivity is ActivityKind.Dual or ActivityKind.DualOnly)
            {
                for (var lane = 0; lane < width; lane++)
                    results.Add(new DerivativeResultElement(DerivativeResultKind.Tangent, -1, lane, returnType));
            }
        }

        return new DerivativeSignature(hasThis, parameters, results, ResultType(results, module));
    }

    /// <summary>void, the single element's type, or a <c>System.ValueTuple</c> of the elements.</summary>
    private static TypeReference ResultType(IReadOnlyList<DerivativeResultElement> results, ModuleDefinition module) =>
        results.Count switch
        {
            0 => WellKnownTypes.Void(module),
            1 => results[0].Type,
            _ => WellKnownTypes.ValueTuple(results.Select(r => r.Type).ToList(), module),
        };

    /// <summary><c>T'</c> of DESIGN §1.1: <c>ReadOnlySpan&lt;T&gt;</c> → <c>Span&lt;T&gt;</c>, <c>in T</c> → <c>ref T</c> (same CIL type), else <c>T</c>.</summary>
    private static TypeReference MutableCounterpart(TypeReference type)
    {
        var stripped = DifferentiableTypes.StripModifiers(type);
        if (stripped is ByReferenceType byReference)
            return new ByReferenceType(MutableCounterpart(byReference.ElementType));
        if (DifferentiableTypes.AsSpan(stripped) is { } span && span.ElementType.Name == "ReadOnlySpan`1")
            return WellKnownTypes.Span(span);
        // A modreq(InAttribute) marks `in`; the shadow is a plain `ref`.
        return stripped;
    }

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
