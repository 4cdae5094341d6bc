using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Optimization;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Bcl;

/// <summary>
/// Turns <c>d.Invoke(args)</c> into a direct call of the delegate's method when the method creates the delegate
/// itself (<see cref="DelegateTarget"/>): the call is then differentiated like any other — by the rule table
/// (<c>Func&lt;double, double&gt; f = Math.Sin</c>), a custom rule, or the target's own derivative (a lambda).
/// A lambda whose closure captures locals is inlined, so that <see cref="ClosureScalarization"/> can turn
/// the closure's fields back into locals (captured active values then carry their derivatives as SSA
/// values, not through an object the differentiator would have to shadow).
/// </summary>
internal static class DelegateCalls
{
    public static bool Run(IrMethod method)
    {
        var closureBodies = new HashSet<MethodDefinition>();
        var creations = new HashSet<Instruction>();
        var changed = false;
        foreach (var invoke in method.Blocks.SelectMany(b => b.Instructions).Where(DelegateTarget.IsInvoke).ToList())
        {
            if (DelegateTarget.Of(invoke.Operands[0]) is not { } target || Receiver(target) is not { } receiver)
                continue;
            var builder = new IrBuilder(method) { DebugLocation = invoke.DebugLocation }.Before(invoke);
            var arguments = invoke.Operands.Skip(1).ToList();
            if (target.Method.HasThis)
                arguments.Insert(0, receiver is Instruction { Opcode: Opcode.LoadStaticField } singleton && target.Creation == null ? builder.LoadStaticField((FieldReference)singleton.Member!) : receiver);
            var direct = builder.Call(target.Method, invoke.Type, arguments);
            invoke.ReplaceAllUsesWith(direct);
            invoke.Remove();
            changed = true;
            if (target.Creation != null)
                creations.Add(target.Creation);
            if (receiver is Instruction { Opcode: Opcode.NewObject } closure && ClosureScalarization.IsClosure(closure) && target.Method.Resolve() is { } body)
                closureBodies.Add(body);
        }
        foreach (var creation in creations.Where(c => c.Uses.Count == 0))
        {
            var function = creation.Operands[1];
            creation.Remove();
            if (function is Instruction { Uses.Count: 0 } unused)
                unused.Remove();
        }
        if (closureBodies.Count > 0)
            new InlineCalls(int.MaxValue, closureBodies.Contains).Run(method);
        return changed;
    }

    /// <summary>The delegate's target object; null for a static method closed over a first argument (not rewritten).</summary>
    private static Value? Receiver(DelegateTarget target) =>
        target.Method.HasThis || target.Receiver is Constant { Payload: null } ? target.Receiver : null;
}
