using System;
using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Analysis;
using Autodiff.Weaver.Diagnostics;
using Autodiff.Weaver.Frontend;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Optimization;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Calls;

/// <summary>
/// Inlines the calls that pass or return a <see cref="DifferentiableStruct"/> by value (<c>Norm(Vec3 v)</c>,
/// <c>Vec3 Add(Vec3, Vec3)</c>) or call an instance method on one (<c>v.Length()</c>), before
/// <see cref="Memory.StructScalarization"/>: the struct then flows through the inlined body as its float/double
/// leaves, as it does in Enzyme, which differentiates after LLVM has inlined and scalarized such helpers. Nested
/// helpers are inlined in turn. A callee is left as a call — and its struct reported (AD2208) when it carries a
/// derivative — when it is recursive, generic, virtual, a constructor, has exception regions, carries an Autodiff
/// attribute or a custom rule, lives in another module, or names a member the caller's type may not access.
/// </summary>
public static class StructCallInlining
{
    /// <summary>Inlining stops after this many nested rounds (a guard; non-recursive call chains are shorter).</summary>
    private const int MaxRounds = 16;

    /// <summary>Rewrites <paramref name="method"/> in place; callee bodies are BCL-lowered into <paramref name="woven"/> first.</summary>
    public static void Run(IrMethod method, ModuleDefinition woven)
    {
        if (method.Source == null)
            return;
        var mayInline = CalleeDerivatives.Of(woven).MayInline;
        var refused = new HashSet<MethodDefinition>();
        var bodies = new Dictionary<MethodDefinition, IrMethod?>();
        for (var round = 0; round < MaxRounds; round++)
        {
            var calls = method.Blocks.SelectMany(b => b.Instructions)
                .Select(call => (Call: call, Callee: Callee(method, call, mayInline)))
                .Where(c => c.Callee != null && !refused.Contains(c.Callee))
                .ToList();
            if (calls.Count == 0)
                return;
            foreach (var (call, callee) in calls)
            {
                if (!bodies.TryGetValue(callee!, out var body))
                {
                    body = Lift(callee!, woven, method.Source.DeclaringType);
                    bodies.Add(callee!, body);
                }
                if (body != null)
                    InlineCalls.Inline(method, call, body);
                else
                    refused.Add(callee!);
            }
        }
    }

    private static MethodDefinition? Callee(IrMethod caller, Instruction call, Func<MethodDefinition, bool> mayInline)
    {
        if (call.Opcode != Opcode.Call || call.Member is not MethodReference reference || !PassesStruct(reference)
            || reference is GenericInstanceMethod || reference.DeclaringType is GenericInstanceType)
            return null;
        var definition = CallTarget.Resolve(reference);
        if (definition == null || !ReferenceEquals(definition.Module, caller.Module) || ReferenceEquals(definition, caller.Source)
            || definition.IsVirtual || definition.IsConstructor || definition.HasGenericParameters || definition.DeclaringType.HasGenericParameters
            || !definition.HasBody || definition.Body.HasExceptionHandlers
            || definition.CustomAttributes.Any(a => a.AttributeType.Namespace == "Autodiff") || !mayInline(definition)
            || IsRecursive(definition))
            return null;
        return definition;
    }

    /// <summary>A differentiable struct as a parameter, the result or the receiver (passed by address).</summary>
    private static bool PassesStruct(MethodReference reference) =>
        DifferentiableStruct.Is(reference.ReturnType)
        || reference.Parameters.Any(p => DifferentiableStruct.Is(p.ParameterType))
        || reference.HasThis && reference.DeclaringType.IsValueType && DifferentiableStruct.Is(reference.DeclaringType);

    /// <summary>Whether <paramref name="method"/> reaches itself through calls within its module.</summary>
    private static bool IsRecursive(MethodDefinition method)
    {
        var visited = new HashSet<MethodDefinition>();
        var pending = new Stack<MethodDefinition>(CalledIn(method));
        while (pending.Count > 0)
        {
            var next = pending.Pop();
            if (ReferenceEquals(next, method))
                return true;
            if (visited.Add(next))
                foreach (var called in CalledIn(next))
                    pending.Push(called);
        }
        return false;
    }

    private static IEnumerable<MethodDefinition> CalledIn(MethodDefinition method) =>
        !method.HasBody
            ? Enumerable.Empty<MethodDefinition>()
            : method.Body.Instructions
                .Select(i => i.Operand is MethodReference called && ReferenceEquals(called.Module, method.Module) ? CallTarget.Resolve(called) : null)
                .Where(d => d != null && ReferenceEquals(d.Module, method.Module))
                .Select(d => d!);

    /// <summary>The callee's IR with the BCL lowered, or null when it does not lift or names what <paramref name="caller"/> may not.</summary>
    private static IrMethod? Lift(MethodDefinition callee, ModuleDefinition woven, TypeDefinition caller)
    {
        IrMethod body;
        try
        {
            body = MethodLifter.Lift(callee);
        }
        catch (WeaverException)
        {
            return null;
        }
        if (body.Regions.Count > 0 || body.Blocks.SelectMany(b => b.Instructions).Any(i => i.Opcode is Opcode.LocalAlloc or Opcode.ArgumentList or Opcode.Jump))
            return null;
        Bcl.BclLowering.Run(body, woven);
        var accessible = body.Blocks.SelectMany(b => b.Instructions).All(i =>
            (i.Member == null || MemberAccess.IsAccessible(i.Member, caller))
            && (i.TypeOperand == null || MemberAccess.IsAccessible(i.TypeOperand, caller))
            && (i.Signature == null || MemberAccess.IsAccessible(i.Signature.ReturnType, caller)));
        return accessible ? body : null;
    }
}
