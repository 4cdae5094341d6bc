using System.Linq;
using Autodiff.Weaver.Differentiation.Calls;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.HigherOrder;

/// <summary>
/// A woven derivative (of this run, or a callee derivative) whose only writes go to arrays it allocates itself — a
/// reverse derivative of a loop over scalars, storing into its cursor tapes: it takes only numbers (no arrays, objects
/// or references) and reads no static references. Reverse mode over a call of it (reverse over reverse) calls its own
/// reverse derivative in the caller's reverse sweep, which recomputes it ([Checkpoint]'s way,
/// <see cref="CallPartials"/>) instead of splitting it: the inner tapes and their adjoints then live in one call
/// (<see cref="TapeAdjointSweep"/>).
/// </summary>
public static class SelfContainedDerivatives
{
    public static bool Is(MethodDefinition callee, ModuleDefinition module) =>
        (DerivativeRequests.Of(module).Filling(callee) != null || CalleeDerivatives.Of(module).IsBuilt(callee))
        && callee.IsStatic && callee.Parameters.All(p => p.ParameterType.IsPrimitive) && callee.ReturnType.IsPrimitive
        && CalleeEffects.FirstEffect(callee, ownArrays: true) == null;
}
