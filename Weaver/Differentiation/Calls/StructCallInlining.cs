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
/// <c>Vec3 Add(Vec3, Vec3)</c>), by <c>ref</c> (<c>Normalize(ref v)</c>) or call an instance method on one (<c>v.Length()</c>), before
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
        if (call.Opcode != Opcode.Call || call.Member is not MethodReference reference || !PassesStruct(reference))
            return null;
        var definition = CallTarget.Resolve(reference);
        return Refusal(caller, reference, definition, mayInline) == null ? definition : null;
    }

    /// <summary>
    /// Why a call passing a differentiable struct stays a call, for AD2208; null when it is not such a call or was
    /// refused only for its body (which does not lift, or names a member the caller's type may not access).
    /// </summary>
    public static string? WhyKept(Instruction call)
    {
        if (call.Opcode is not (Opcode.Call or Opcode.CallVirtual) || call.Member is not MethodReference reference || !PassesStruct(reference))
            return null;
        var caller = call.Block!.Method;
        var definition = CallTarget.Resolve(reference);
        return call.Opcode == Opcode.CallVirtual ? "it is a virtual call" : Refusal(caller, reference, definition, CalleeDerivatives.Of(caller.Module).MayInline);
    }

    private static string? Refusal(IrMethod caller, MethodReference reference, MethodDefinition? definition, Func<MethodDefinition, bool> mayInline)
    {
        if (definition == null || !definition.HasBody)
            return "its body is not available";
        if (!ReferenceEquals(definition.Module, caller.Module))
            return "it lives in another assembly";
        if (reference is GenericInstanceMethod || reference.DeclaringType is GenericInstanceType || definition.HasGenericParameters || definition.DeclaringType.HasGenericParameters)
            return "it is generic";
        if (definition.IsVirtual || definition.IsConstructor)
            return definition.IsConstructor ? "it is a constructor that does more than assign its fields" : "it is virtual";
        if (definition.Body.HasExceptionHandlers)
            return "it has exception handlers";
        // A derivative this build has already woven (a form-2 stub, higher order) is inlined like any helper: its body is final.
        if (definition.CustomAttributes.Any(a => a.AttributeType.Namespace == "Autodiff") && !HigherOrder.DerivativeRequests.Of(caller.Module).IsWovenDerivative(definition)
            || !mayInline(definition))
            return "it carries an Autodiff attribute or a custom rule";
        if (ReferenceEquals(definition, caller.Source) || IsRecursive(definition))
            return "it is recursive";
        return null;
    }

    /// <summary>A differentiable struct as a parameter (by value or <c>ref</c>), the result or the receiver (passed by address).</summary>
    private static bool PassesStruct(MethodReference reference) =>
        DifferentiableStruct.Is(reference.ReturnType)
        || reference.Parameters.Any(p => DifferentiableStruct.Is(p.ParameterType is ByReferenceType byReference ? byReference.ElementType : p.ParameterType))
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
