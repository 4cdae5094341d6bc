using System.Collections.Generic;
using System.Linq;
using Autodiff.Shared;
using Mono.Cecil;

namespace Autodiff.Weaver.Loading;

/// <summary>
/// Derives a derivative's parameters and result from the primal, mode, activities and width (DESIGN §1.1),
/// applying the rules shared with the generator (<see cref="SignatureRules"/>) to Cecil types.
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
        var types = new CecilTypeShapes(module);
        var slots = PrimalSlot.ShapesOf(primal, receiverIsExplicit, types)
            .Select(s => s with { Type = module.ImportReference(s.Type) })
            .ToList();
        var returnsValue = PrimalSlot.ReturnsValue(primal);
        var shape = SignatureRules.Build(
            types, slots, module.ImportReference(primal.ReturnType), returnsValue, primal.HasThis && !receiverIsExplicit,
            mode, parameterActivities, returnActivity, width);
        return new DerivativeSignature(
            shape.HasThis,
            shape.Parameters.Select(p => new DerivativeParameter(p.Kind, p.PrimalIndex, p.Lane, p.Type, p.Name) { RefKind = p.RefKind }).ToList(),
            shape.Results.Select(r => new DerivativeResultElement(r.Kind, r.PrimalIndex, r.Lane, r.Type)).ToList(),
            shape.ReturnType);
    }
}
