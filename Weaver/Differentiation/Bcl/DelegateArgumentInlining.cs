using System;
using System.Linq;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Optimization;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Bcl;

/// <summary>
/// Inlines the helpers that receive a delegate the method creates itself (<c>Integrate(t =&gt; Math.Sin(a * t), 0, 1, n)</c>),
/// ahead of <see cref="DelegateCalls"/> in each round of <see cref="BclLowering"/>: the helper's <c>f(x)</c> becomes the
/// invocation of a delegate created in the method, which that pass turns into a direct call, and a closure's captured
/// active values then flow as SSA values (<see cref="ClosureScalarization"/>). This is what Enzyme sees after LLVM has
/// inlined the helper and the function pointer has become a constant. A helper passing the delegate on to another is
/// inlined, and then that one, in later rounds. A helper that cannot be inlined (<see cref="WhyKept(Instruction, Func{MethodDefinition, bool})"/>)
/// stays a call: <see cref="ConstDelegateCalls"/> dispatches its delegate, and one over a closure with derivatives is AD3022.
/// </summary>
internal static class DelegateArgumentInlining
{
    public static bool Run(IrMethod method, ModuleDefinition woven)
    {
        if (method.Source == null)
            return false;
        var mayInline = Calls.CalleeDerivatives.Of(woven).MayInline;
        var changed = false;
        foreach (var call in method.Blocks.SelectMany(b => b.Instructions).Where(PassesCreatedDelegate).ToList())
        {
            if (WhyKept(call, mayInline) == null && Body(call, method, woven) is { } body)
            {
                InlineCalls.Inline(method, call, body);
                changed = true;
            }
        }
        return changed;
    }

    /// <summary>
    /// Why the call <paramref name="creation"/> (a delegate created in the method) is passed to is not inlined, for
    /// AD3022; null when the delegate is not passed to a call (it is stored).
    /// </summary>
    public static string? WhyPassedOn(Instruction creation)
    {
        var method = creation.Block!.Method;
        var mayInline = Calls.CalleeDerivatives.Of(method.Module).MayInline;
        foreach (var call in creation.Uses.Select(u => u.User).Where(u => u.Opcode is Opcode.Call or Opcode.CallVirtual && u.Member is MethodReference && !DelegateTarget.IsInvoke(u)))
        {
            var callee = (MethodReference)call.Member!;
            var why = call.Opcode == Opcode.CallVirtual
                ? "it is a virtual call"
                : WhyKept(call, mayInline) ?? "its body does not lift, or names a member this method's type may not access";
            return $"it is passed to {callee.DeclaringType.FullName}.{callee.Name}, which is not inlined: {why}";
        }
        return null;
    }

    // A direct call (not the delegate's own Invoke) with an argument that is a delegate created in this method.
    private static bool PassesCreatedDelegate(Instruction call) =>
        call.Opcode == Opcode.Call && call.Member is MethodReference && !DelegateTarget.IsInvoke(call) && call.Operands.Any(o => DelegateTarget.Of(o) != null);

    // The refusals of struct-taking helpers, except that a helper which is itself differentiated ([Autodiff]) is inlined too: its primal body is final.
    private static string? WhyKept(Instruction call, Func<MethodDefinition, bool> mayInline)
    {
        var reference = (MethodReference)call.Member!;
        return Calls.StructCallInlining.Refusal(call.Block!.Method, reference, Calls.CallTarget.Resolve(reference), mayInline, inlinesRequests: true);
    }

    // The helper's body, its delegates left for this method's rounds to lower; null when it does not lift or is not accessible.
    private static IrMethod? Body(Instruction call, IrMethod method, ModuleDefinition woven)
    {
        if (Calls.StructCallInlining.Instance(call, woven) is not { } callee)
            return null;
        var foreign = Calls.StructCallInlining.Foreign(callee, method, woven);
        return Calls.StructCallInlining.Lift(callee, woven, foreign ? null : method.Source!.DeclaringType, lowersBcl: false);
    }
}
