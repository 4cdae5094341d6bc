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
/// helpers are inlined in turn, generic ones as their copy at the call's instantiation (<see cref="GenericInstantiation"/>). A callee is left as a call — and its struct reported (AD2208) when it carries a
/// derivative — when it is recursive, virtual, a constructor, has exception regions, carries an Autodiff
/// attribute or a custom rule, belongs to the .NET framework, or names a member the caller's type may not access
/// (another assembly's helpers are inlined, their non-public members reached through <c>IgnoresAccessChecksTo</c>).
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
        var refused = new HashSet<string>();
        var bodies = new Dictionary<string, IrMethod?>();
        for (var round = 0; round < MaxRounds; round++)
        {
            var calls = method.Blocks.SelectMany(b => b.Instructions)
                .Where(call => Callee(method, call, mayInline) != null && !refused.Contains(((MethodReference)call.Member!).FullName))
                .ToList();
            if (calls.Count == 0)
                break;
            foreach (var call in calls)
            {
                // A generic callee is inlined as its copy at the call's instantiation.
                var key = ((MethodReference)call.Member!).FullName;
                if (!bodies.TryGetValue(key, out var body))
                {
                    body = Instance(call, woven) is { } callee ? Lift(callee, woven, Foreign(callee, method, woven) ? null : method.Source.DeclaringType) : null;
                    bodies.Add(key, body);
                }
                if (body != null)
                    InlineCalls.Inline(method, call, body);
                else
                    refused.Add(key);
            }
        }
        foreach (var call in method.Blocks.SelectMany(b => b.Instructions).Where(call => IsCloned(call, mayInline)).ToList())
        {
            if (Instance(call, woven) is { } callee)
                StructCallClones.TryReplace(method, call, callee, woven);
        }
    }

    // A call left passing a struct whose callee can have a scalarized clone (StructCallClones).
    private static bool IsCloned(Instruction call, Func<MethodDefinition, bool> mayInline) =>
        call.Opcode == Opcode.Call && call.Member is MethodReference reference && PassesStruct(reference)
        && IsCloneable(reference, CallTarget.Resolve(reference), mayInline) && StructCallClones.WhyNotCloned(call) == null;

    /// <summary>
    /// Whether a helper that is not inlined may be replaced by its scalarized clone: it has IL (in this module or
    /// another), its instantiation is closed, it is not virtual, a constructor, <c>[Inactive]</c> or a custom rule's target.
    /// </summary>
    private static bool IsCloneable(MethodReference reference, MethodDefinition? definition, Func<MethodDefinition, bool> mayInline) =>
        definition is { HasBody: true, IsConstructor: false } && !CallTarget.IsFramework(definition.Module) && !IsOpen(reference, definition) && !definition.Body.HasExceptionHandlers
        && !(definition.IsVirtual && !definition.IsFinal && !definition.DeclaringType.IsSealed) && mayInline(definition)
        && definition.CustomAttributes.All(a => a.AttributeType.Namespace != "Autodiff" || a.AttributeType.Name == "CheckpointAttribute");

    // Another assembly's helper is inlined with IgnoresAccessChecksTo for its non-public members, as its derivative would be.
    internal static bool Foreign(MethodDefinition callee, IrMethod caller, ModuleDefinition woven)
    {
        if (ReferenceEquals(callee.Module, caller.Module) || ReferenceEquals(callee.Module, woven))
            return false;
        if (AccessChecks.AreNeededFor(callee))
            AccessChecks.Ignore(woven, callee.Module.Assembly.Name.Name);
        return true;
    }

    /// <summary>The method whose IL is inlined: the callee, or its non-generic copy; null when that copy cannot be made (AD3004's cases).</summary>
    internal static MethodDefinition? Instance(Instruction call, ModuleDefinition woven)
    {
        try
        {
            return CalleeDerivatives.Of(woven).PrimalOf(CallTarget.Of(call)!, call);
        }
        catch (WeaverException)
        {
            return null;
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
        if (call.Opcode == Opcode.CallVirtual)
            return "it is a virtual call";
        var mayInline = CalleeDerivatives.Of(caller.Module).MayInline;
        var why = Refusal(caller, reference, definition, mayInline);
        // Such a callee gets a clone taking the struct's leaves, unless what it passes cannot be leaves.
        return IsCloneable(reference, definition, mayInline) && StructCallClones.WhyNotCloned(call) is { } notCloned
            ? (why == null ? string.Empty : why + ", and ") + notCloned
            : why;
    }

    /// <param name="inlinesRequests">Whether a helper that is itself a differentiation request (<c>[Autodiff]</c>) may be inlined.</param>
    internal static string? Refusal(IrMethod caller, MethodReference reference, MethodDefinition? definition, Func<MethodDefinition, bool> mayInline, bool inlinesRequests = false)
    {
        if (definition == null || !definition.HasBody)
            return "its body is not available";
        if (CallTarget.IsFramework(definition.Module))
            return "it is part of the .NET framework, whose IL is not lifted";
        if (IsOpen(reference, definition))
            return "its type arguments are open generic parameters";
        // A struct's interface implementations are virtual but final: a direct call reaches exactly them.
        if (definition.IsVirtual && !definition.IsFinal && !definition.DeclaringType.IsSealed || definition.IsConstructor)
            return definition.IsConstructor ? "it is a constructor that does more than assign its fields" : "it is virtual";
        if (definition.Body.HasExceptionHandlers)
            return "it has exception handlers";
        // A derivative this build has already woven (a form-2 stub, higher order) is inlined like any helper: its body is final.
        if (definition.CustomAttributes.Any(a => a.AttributeType.Namespace == "Autodiff" && !(inlinesRequests && a.AttributeType.Name == "AutodiffAttribute"))
            && !HigherOrder.DerivativeRequests.Of(caller.Module).IsWovenDerivative(definition)
            || !mayInline(definition))
            return definition.CustomAttributes.Any(a => a.AttributeType.FullName == "Autodiff.CheckpointAttribute") ? "it is [Checkpoint]" : "it carries an Autodiff attribute or a custom rule";
        if (ReferenceEquals(definition, caller.Source) || IsRecursive(definition))
            return "it is recursive";
        return null;
    }

    // A generic method or type referenced without (closed) type arguments.
    private static bool IsOpen(MethodReference reference, MethodDefinition definition) =>
        (reference is GenericInstanceMethod method ? method.GenericArguments.Any(a => a.ContainsGenericParameter) : definition.HasGenericParameters)
        || (reference.DeclaringType is GenericInstanceType type ? type.GenericArguments.Any(a => a.ContainsGenericParameter) : definition.DeclaringType.HasGenericParameters);

    /// <summary>A differentiable struct as a parameter (by value or <c>ref</c>), the result or the receiver (passed by address).</summary>
    private static bool PassesStruct(MethodReference reference)
    {
        // Seen through the instantiation: Twice<Sq>(!!0 s) takes an Sq.
        bool IsStruct(TypeReference type) => DifferentiableStruct.Is(GenericSubstitution.Resolve(type is ByReferenceType byReference ? byReference.ElementType : type, reference));
        return IsStruct(reference.ReturnType) || reference.Parameters.Any(p => IsStruct(p.ParameterType))
            || reference.HasThis && reference.DeclaringType.IsValueType && DifferentiableStruct.Is(reference.DeclaringType);
    }

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

    /// <summary>The callee's IR with the BCL lowered, or null when it does not lift or names what <paramref name="caller"/> (when given) may not.</summary>
    /// <param name="lowersBcl">False when the caller lowers the inlined body itself (its delegates are the caller's).</param>
    internal static IrMethod? Lift(MethodDefinition callee, ModuleDefinition woven, TypeDefinition? caller, bool lowersBcl = true)
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
        if (lowersBcl)
            Bcl.BclLowering.Run(body, woven);
        // Without a caller type the body's module is reached through IgnoresAccessChecksTo.
        var accessible = caller == null || body.Blocks.SelectMany(b => b.Instructions).All(i =>
            (i.Member == null || MemberAccess.IsAccessible(i.Member, caller))
            && (i.TypeOperand == null || MemberAccess.IsAccessible(i.TypeOperand, caller))
            && (i.Signature == null || MemberAccess.IsAccessible(i.Signature.ReturnType, caller)));
        return accessible ? body : null;
    }
}
