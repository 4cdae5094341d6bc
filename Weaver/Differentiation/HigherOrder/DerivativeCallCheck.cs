using Autodiff.Weaver.Differentiation.Calls;
using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.HigherOrder;

/// <summary>
/// Differentiating through a call of a woven derivative (forward over reverse, reverse over forward, …) is
/// differentiating through its woven body like any callee's; this rejects, at the call, the cases that body
/// cannot serve: a derivative not built yet because it needs the one being built (a cycle), one whose own
/// synthesis failed, and one whose result is a tuple that was not inlined.
/// </summary>
public static class DerivativeCallCheck
{
    /// <param name="isDifferentiated">Whether the call carries derivatives (a varied argument, or shadowed memory).</param>
    public static void Check(Instruction instruction, ModuleDefinition module, bool isDifferentiated)
    {
        if (!isDifferentiated || CallTarget.Of(instruction) is not { Definition: { } callee })
            return;
        var requests = DerivativeRequests.Of(module);
        if (requests.Filling(callee) is not { } inner)
            return;
        if (requests.HasFailed(inner))
            throw HigherOrderErrors.InnerFailed(instruction, inner);
        if (!requests.IsWoven(inner))
            throw HigherOrderErrors.Cycle(instruction, inner, requests.PathToCurrent(inner));
        // Tuple-returning derivatives are inlined before differentiation (Calls.StructCallInlining); one left a call is not differentiated.
        if (IsTuple(callee.ReturnType))
            throw HigherOrderErrors.TupleResult(instruction, inner, StructCallInlining.WhyKept(instruction) ?? "its body does not lift, or names a member the caller's type may not access");
    }

    private static bool IsTuple(TypeReference type) =>
        type.Namespace == "System" && type.Name.StartsWith("ValueTuple`", System.StringComparison.Ordinal);
}
