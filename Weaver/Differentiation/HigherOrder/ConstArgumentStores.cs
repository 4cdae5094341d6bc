using Autodiff.Weaver.Analysis;
using Autodiff.Weaver.Diagnostics;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Loading;

namespace Autodiff.Weaver.Differentiation.HigherOrder;

/// <summary>
/// A derivative differentiated again (third level and beyond) that stores a derivative-carrying value into an array
/// parameter the caller passed without a shadow: a woven H·v writes its gradient and H·v arrays, so the function
/// differentiated around it must give them shadows (Duplicated/Dual, or arrays it allocates). Named as such (AD2505)
/// instead of the generic active-store error, which pointed at locals inside a method the user never wrote.
/// </summary>
public static class ConstArgumentStores
{
    public static void Check(Instruction store, IrMethod primal, DifferentiationRequest request)
    {
        if (MemoryAccess.Of(store) is not { IsStore: true } access || ShadowedMemory.BaseOf(access.Pointer) is not Parameter parameter
            || parameter.Index >= request.ParameterActivities.Count || request.ParameterActivities[parameter.Index] != ActivityKind.Const
            || !IsDerivative(request))
            return;
        var outer = DerivativeRequests.Of(primal.Module).Current;
        var around = outer == null ? "the function differentiated around it" : $"{outer.Primal.DeclaringType.FullName}.{outer.Primal.Name}";
        throw new WeaverException(DiagnosticCode.ConstDerivativeOutput,
            $"cannot differentiate {primal.Name} again: it writes derivative-carrying values into its parameter '{parameter.Name}', but {around} passes that array without a shadow (Const); make the parameter it passes there Duplicated (reverse) or Dual (forward), or pass an array {around} allocates",
            store.DebugLocation);
    }

    // A woven derivative of this run, or a derivative synthesized for a call of one.
    private static bool IsDerivative(DifferentiationRequest request) =>
        DerivativeRequests.Of(request.Primal.Module).Filling(request.Primal) != null
        || Calls.CalleeDerivatives.Of(request.Primal.Module).IsBuilt(request.Primal);
}
