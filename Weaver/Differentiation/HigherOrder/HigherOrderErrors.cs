using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Diagnostics;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Loading;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.HigherOrder;

/// <summary>The diagnostics of differentiating a call of a woven derivative (AD2501, AD2502, AD2504), at the call's line.</summary>
public static class HigherOrderErrors
{
    public static WeaverException Cycle(Instruction call, DifferentiationRequest inner, IReadOnlyList<MethodDefinition> path)
    {
        var chain = path.Count > 0 ? " (" + string.Join(" → ", path.Select(Name)) + ")" : string.Empty;
        return new(DiagnosticCode.DerivativeCycle,
            $"cannot differentiate call to {Name(inner.Derivative)}: it is the derivative of {Name(inner.Primal)}, which calls the derivative being built here{chain}, so each would have to exist before the other; call the primal (or a helper both share) instead of a derivative on one side of the cycle",
            call.DebugLocation);
    }

    public static WeaverException InnerFailed(Instruction call, DifferentiationRequest inner) =>
        new(DiagnosticCode.InnerDerivativeFailed,
            $"cannot differentiate call to {Name(inner.Derivative)}: its own synthesis (the derivative of {Name(inner.Primal)}) failed with the error reported for it; fix that one first",
            call.DebugLocation);

    /// <param name="whyKept">Why the call was not inlined before differentiation (a tuple-returning derivative is, and then works).</param>
    public static WeaverException TupleResult(Instruction call, DifferentiationRequest inner, string whyKept) =>
        new(DiagnosticCode.TupleDerivativeCallee,
            $"cannot differentiate call to {Name(inner.Derivative)}: its result is a ValueTuple and the call stays a call ({whyKept}), and differentiating through a call returning a tuple is not supported; let the inner derivative be inlined (same assembly, members the caller may access), request a derivative that returns one value (one Active parameter with ActiveOnly, or DualOnly), or pass the inputs as a Duplicated/Dual array",
            call.DebugLocation);

    private static string Name(MethodDefinition method) => $"{method.DeclaringType.FullName}.{method.Name}";
}
