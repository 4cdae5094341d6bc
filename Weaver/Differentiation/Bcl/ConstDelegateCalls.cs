using System.Linq;
using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Bcl;

/// <summary>
/// Turns each invocation left after <see cref="DelegateCalls"/> — of a delegate not created in the method: a Const
/// parameter, a field, a call's result — into a call of its delegate type's dispatcher
/// (<see cref="DelegateDispatchers"/>), whose derivatives look the delegate's method up at run time. Delegate types
/// with generic parameters or by-reference parameters are left as invocations (AD3021 when they carry derivatives).
/// </summary>
internal static class ConstDelegateCalls
{
    public static void Run(IrMethod method, ModuleDefinition woven)
    {
        foreach (var invoke in method.Blocks.SelectMany(b => b.Instructions).Where(DelegateTarget.IsInvoke).ToList())
        {
            var member = (MethodReference)invoke.Member!;
            if (!IsDispatchable(member))
                continue;
            var dispatcher = DelegateDispatchers.Of(woven, member);
            var builder = new IrBuilder(method) { DebugLocation = invoke.DebugLocation }.Before(invoke);
            var call = builder.Call(dispatcher, invoke.Type, invoke.Operands.ToList());
            invoke.ReplaceAllUsesWith(call);
            invoke.Remove();
        }
    }

    /// <summary>A delegate type whose derivatives can be looked up: closed (no generic parameters) and without ref parameters.</summary>
    public static bool IsDispatchable(MethodReference invoke) =>
        !invoke.DeclaringType.ContainsGenericParameter && !invoke.Parameters.Any(p => p.ParameterType.IsByReference);
}
