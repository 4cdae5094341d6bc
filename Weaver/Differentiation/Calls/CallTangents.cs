using System;
using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Analysis;
using Autodiff.Weaver.Diagnostics;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Loading;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Calls;

/// <summary>
/// Forward mode through a call to a callee with IL: the primal call is replaced by one call of the callee's forward
/// derivative, which computes the primal result and effects once and writes the tangents of
/// what it stores into the shadow arrays (Enzyme's forward mode passes duplicated pointers the same way).
/// Shadowed arguments are passed with their shadow (Dual), active scalars with their tangent (Dual). Under
/// Width = N the callee's derivative has width N too: one call carries every lane's shadows and tangents.
/// </summary>
public static class CallTangents
{
    /// <summary>
    /// Whether forward mode replaces the call by one call of its callee's forward derivative: the call receives
    /// shadowed memory, or it is active and its callee's IL is differentiated (not a rule): one call with the actual
    /// tangents runs the callee's effects once and costs one call instead of one per active argument.
    /// </summary>
    public static bool Replaces(Instruction instruction, ActivityAnalysis activity, ShadowedMemory memory)
    {
        if (ShadowedCalls.Is(instruction, memory))
            return true;
        if (!activity.IsActive(instruction) || CallTarget.Of(instruction) is not { } target
            || target.Kind != CallTargetKind.Body && !target.IsInstantiable || Rules.InactiveAnnotation.IsInactive(target.Reference))
            return false;
        var module = instruction.Block!.Method.Module;
        return !CalleeDerivatives.Of(module).Rules.Covers(target.Definition!) && !IsPureDerivative(target.Definition!, module);
    }

    // A woven derivative without effects differentiated again (higher order) keeps one tangent call per active argument
    // (CallPartials): their results are scalars the next order differentiates again, where a (value, tangent) tuple
    // could not be. One with effects (a cursor tape's stores) runs once, through the replacement.
    private static bool IsPureDerivative(MethodDefinition callee, ModuleDefinition module) =>
        (HigherOrder.DerivativeRequests.Of(module).Filling(callee) != null || CalleeDerivatives.Of(module).IsBuilt(callee))
        && CalleeEffects.FirstEffect(callee) == null;

    /// <param name="tangent">An operand's tangent in a lane; null when it has none.</param>
    /// <returns>The call's result tangent in each lane, or null when its result carries none.</returns>
    public static IReadOnlyList<Value>? Emit(DerivativeFrame frame, Memory.ShadowMemory shadows, Instruction call, Func<Value, int, Value?> tangent, bool resultIsActive)
    {
        var target = CallTarget.Of(call)!;
        if (target.Kind != CallTargetKind.Body && !target.IsInstantiable)
            throw Unsupported(call, target, "its callee has no IL the weaver can differentiate");
        var builder = frame.Builder;
        var memory = shadows.Shadowed;
        var activities = new List<ActivityKind>();
        for (var i = 0; i < call.Operands.Count; i++)
        {
            var operand = call.Operands[i];
            if (SpanArguments.IsWindow(operand, memory))
            {
                activities.Add(ActivityKind.Dual);
            }
            else if (memory.Contains(operand))
            {
                if (!ShadowedCalls.IsPassable(operand))
                    throw Unsupported(call, target, "a struct value cannot be passed with its shadow; pass the struct by value as Dual, or a reference to it");
                activities.Add(ActivityKind.Dual);
            }
            else
            {
                activities.Add(target.IsDifferentiableOperand(i) && tangent(operand, 0) != null ? ActivityKind.Dual : ActivityKind.Const);
            }
        }
        var returnsTangent = resultIsActive && CallTarget.IsFloating(call.Type);
        var returnsShadow = memory.Contains(call);
        ActivityKind? result = call.Type.MetadataType == MetadataType.Void ? null : returnsTangent || returnsShadow ? ActivityKind.Dual : ActivityKind.Const;
        var derivatives = CalleeDerivatives.Of(builder.Method.Module);
        var (method, signature) = derivatives.Get(derivatives.PrimalOf(target, call), DerivativeMode.Forward, activities, result, frame.Width);

        var copy = frame.Copy.Map(call);
        builder.Before(copy);
        builder.DebugLocation = call.DebugLocation;
        var arguments = signature.Parameters.Select(p => p.Kind == DerivativeParameterKind.Primal
            ? frame.Copy.Map(call.Operands[p.PrimalIndex])
            : SpanArguments.IsShadowed(call.Operands[p.PrimalIndex], memory)
            ? SpanArguments.Shadow(builder, call.Operands[p.PrimalIndex], operand => shadows.ShadowOf(operand, p.Lane, frame.Copy.Map), frame.Copy.Map)
            : tangent(call.Operands[p.PrimalIndex], p.Lane)!).ToList();
        var derivativeCall = builder.Call(method, signature.ReturnType, arguments);
        if (!returnsTangent && !returnsShadow)
        {
            Replace(frame, call, copy, derivativeCall);
            return null;
        }
        // (value, tangent₀, …, tangentₙ₋₁), one tangent per lane, nested through Rest beyond seven items; a returned
        // array's tangents are its shadows.
        var items = Enumerable.Range(0, signature.Results.Count)
            .Select(i => NestedTupleItems.Load(builder, derivativeCall, signature.ReturnType, i, signature.Results[i].Type))
            .ToList();
        if (returnsShadow)
            ReturnedShadows.Resolve(copy, items.Skip(1).ToList());
        Replace(frame, call, copy, items[0]);
        return returnsTangent ? items.Skip(1).ToList() : null;
    }

    private static void Replace(DerivativeFrame frame, Instruction call, Instruction copy, Value replacement)
    {
        copy.ReplaceAllUsesWith(replacement);
        copy.Remove();
        frame.Copy.Redirect(call, replacement);
    }

    private static WeaverException Unsupported(Instruction call, CallTarget target, string why) =>
        new(DiagnosticCode.UnsupportedCall, $"cannot differentiate call to {target.Name} with shadowed memory: {why}", call.DebugLocation);
}
