using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Bcl;

/// <summary>
/// Rewrites what the primal uses of the BCL into IR the differentiator already handles, before the
/// pre-differentiation optimizations (whose PromoteStackSlots then cleans up the slots it leaves):
/// helpers receiving a delegate created in the method are inlined (<see cref="DelegateArgumentInlining"/>),
/// delegates created in the method become direct calls and inlined closures (<see cref="DelegateCalls"/>,
/// <see cref="ClosureScalarization"/>), the others calls of dispatchers (<see cref="ConstDelegateCalls"/>), bulk array and span operations become element loops
/// (<see cref="ArrayOperations"/>, <see cref="SpanOperations"/>),
/// Vector2/3/4 and Complex values become their components (<see cref="NumericStructScalarization"/>).
/// An inlined lambda may itself invoke delegates or copy arrays, hence rounds until nothing changes.
/// </summary>
public static class BclLowering
{
    /// <summary>Enough for lambdas nested this deep; a deeper nest is left as calls, which the support check reports.</summary>
    private const int MaxRounds = 8;

    /// <param name="method">The primal's IR, rewritten in place.</param>
    /// <param name="woven">The module the derivative is written into (which may declare IgnoresAccessChecksTo for CoreLib).</param>
    public static void Run(IrMethod method, ModuleDefinition woven)
    {
        for (var round = 0; round < MaxRounds; round++)
        {
            var changed = DelegateArgumentInlining.Run(method, woven);
            changed |= DelegateCalls.Run(method);
            changed |= ClosureScalarization.Run(method);
            changed |= ArrayOperations.Run(method);
            changed |= ListOperations.Run(method, woven);
            if (!changed)
                break;
        }
        ConstDelegateCalls.Run(method, woven);
        // Once each, last: inlined lambdas may use spans and vectors too; spans resolve against the arrays the
        // rounds settled, and the vectors rebuilt whole (returned, passed on) stay so.
        SpanOperations.Run(method);
        NumericStructScalarization.Run(method, woven);
    }
}
