using System;
using System.Linq;
using Autodiff.Weaver.Analysis;
using Autodiff.Weaver.Diagnostics;
using Autodiff.Weaver.Differentiation.Reverse;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Loading;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Calls;

/// <summary>
/// Reverse mode through a call to a <c>[Checkpoint]</c> callee that receives a Duplicated array (other callees are
/// split, <see cref="SplitCalls"/>): in the caller's reverse sweep, one call of the callee's reverse derivative, at
/// the caller's width, with the array's shadows and the result's adjoints as seeds. It recomputes the callee's
/// primal, adds the arrays' gradients into their shadows and returns the scalar arguments' gradients, which are
/// added to their adjoints. Exact because such callees only read memory (<see cref="CalleeEffects"/>;
/// MemorySupportCheck rejects the others).
/// </summary>
public static class CallAdjoints
{
    /// <summary>True for a call that passes one of the derivative's shadowed array or reference parameters.</summary>
    public static bool Applies(DerivativeFrame frame, Instruction instruction) =>
        instruction.Opcode is Opcode.Call or Opcode.CallVirtual && instruction.Operands.Any(o => IsShadowedParameter(frame, o));

    public static void Emit(DerivativeFrame frame, ActivityAnalysis activity, Instruction call, IAdjointAccumulator adjoints, Func<Value, Value> available)
    {
        var target = CallTarget.Of(call)!;
        var activities = call.Operands.Select((operand, i) =>
            IsShadowedParameter(frame, operand) ? ActivityKind.Duplicated
            : target.IsDifferentiableOperand(i) && activity.IsActive(operand) ? ActivityKind.Active
            : ActivityKind.Const).ToList();
        ActivityKind? result = call.Type.MetadataType == MetadataType.Void ? null : activity.IsActive(call) ? ActivityKind.ActiveOnly : ActivityKind.Const;
        var derivatives = CalleeDerivatives.Of(frame.Builder.Method.Module);
        // Under Width = N the callee's derivative has width N too: one call takes every lane's seed and shadows.
        var (method, signature) = derivatives.Get(derivatives.PrimalOf(target, call), DerivativeMode.Reverse, activities, result, frame.Width);
        var builder = frame.Builder;
        builder.DebugLocation = call.DebugLocation;
        var seeds = Enumerable.Range(0, frame.Width).Select(lane => adjoints.Read(call, lane)).ToArray();
        var arguments = signature.Parameters.Select(p => p.Kind switch
        {
            DerivativeParameterKind.Primal => available(call.Operands[p.PrimalIndex]),
            DerivativeParameterKind.Shadow => frame.Shadow(((Parameter)call.Operands[p.PrimalIndex]).Index, p.Lane)!,
            _ => seeds[p.Lane] ?? DerivativeArithmetic.Zero(builder, p.Type),
        }).ToList();
        CallGradients.Add(builder, call, signature, builder.Call(method, signature.ReturnType, arguments), adjoints);
    }

    private static bool IsShadowedParameter(DerivativeFrame frame, Value operand) =>
        operand is Parameter parameter && (operand.Type.IsArray || operand.Type.IsByReference) && frame.Shadow(parameter.Index, 0) != null;
}
