using System;
using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Analysis;
using Autodiff.Weaver.Differentiation.Reverse;
using Autodiff.Weaver.Differentiation.Rules;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Loading;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Calls;

/// <summary>
/// Reverse mode through a call, Enzyme's way: in the forward sweep the call becomes a call of the callee's
/// augmented forward, which runs the callee once (its effects included) and leaves what its reverse needs on the
/// call record; in the reverse sweep the callee's reverse takes that record back, gets the primal arguments and
/// shadows and the result's adjoint as seed, adds into the shadows and returns the scalar arguments' gradients,
/// which are added to their adjoints. Under Width N the reverse takes N shadows and seeds and returns N gradients
/// per argument; the augmented forward is the same for every width. <c>[Checkpoint]</c> callees are not split: their reverse recomputes them
/// (<see cref="CallPartials"/>); nor are woven derivatives that write only arrays of their own (<see cref="HigherOrder.SelfContainedDerivatives"/>), and a woven
/// derivative's tape operations run backwards on the tapes' adjoints (<see cref="HigherOrder.TapeAdjointSweep"/>).
/// </summary>
public static class SplitCalls
{
    /// <summary>Whether reverse mode differentiates <paramref name="instruction"/> through its callee's split derivative.</summary>
    public static bool Is(Instruction instruction, ActivityAnalysis activity, ShadowedMemory memory)
    {
        if (instruction.Opcode is not (Opcode.Call or Opcode.CallVirtual) || !(activity.IsActive(instruction) || ShadowedCalls.Is(instruction, memory))
            || HigherOrder.TapeFlow.IsTapeOperation(instruction))
            return false;
        if (CallTarget.Of(instruction) is not { } target || target.Kind != CallTargetKind.Body && !target.IsInstantiable)
            return false;
        var module = instruction.Block!.Method.Module;
        return !target.IsCheckpointed && !InactiveAnnotation.IsInactive(target.Reference)
            && !CalleeDerivatives.Of(module).Rules.Covers(target.Definition!)
            && !HigherOrder.SelfContainedDerivatives.Is(target.Definition!, module);
    }

    /// <summary>Forward sweep: the copy of <paramref name="call"/> becomes a call of the augmented forward, which returns the primal result.</summary>
    public static void ReplaceForward(DerivativeFrame frame, ActivityAnalysis activity, ShadowedMemory memory, Instruction call, PooledTape record)
    {
        var split = Split(frame, activity, memory, call);
        var copy = frame.Copy.Map(call);
        var builder = new IrBuilder(frame.Method).Before(copy);
        builder.DebugLocation = call.DebugLocation;
        var arguments = split.AugmentedSignature.Parameters.Select(p => frame.Copy.Map(call.Operands[p.PrimalIndex])).Append(record.Storage).ToList();
        var augmented = builder.Call(split.Augmented, split.AugmentedSignature.ReturnType, arguments);
        if (memory.Contains(call))
        {
            // The returned array's shadow lanes are on top of the record, the last lane topmost.
            var shadows = new Value[frame.Width];
            for (var lane = frame.Width - 1; lane >= 0; lane--)
            {
                shadows[lane] = record.Peek(builder);
                record.Pop(builder);
            }
            ReturnedShadows.Resolve(copy, shadows);
        }
        copy.ReplaceAllUsesWith(augmented);
        copy.Remove();
        frame.Copy.Redirect(call, augmented);
    }

    /// <summary>
    /// The primal values the reverse sweep passes to <paramref name="call"/>'s reverse: its arguments, the inputs
    /// rebuilding the shadows of those passed with one (a row's index), and for an element address the array and
    /// indices it is rebuilt from (a managed pointer cannot be taped).
    /// </summary>
    public static IEnumerable<Value> ReverseInputs(Instruction call, Memory.ShadowMemory memory) =>
        call.Operands.SelectMany(operand => SpanArguments.IsWindow(operand, memory.Shadowed) ? SpanArguments.Inputs(operand, memory)
            : (IsElementAddress(operand) ? ((Instruction)operand).Operands : new[] { operand })
                .Concat(memory.Shadowed.Contains(operand) ? memory.PointerInputs(operand) : Enumerable.Empty<Value>()));

    /// <summary>Reverse sweep: the callee's reverse with the primal arguments (<paramref name="available"/>), shadows, seed and record.</summary>
    public static void EmitReverse(DerivativeFrame frame, ActivityAnalysis activity, Memory.ShadowMemory shadows, Instruction call, IAdjointAccumulator adjoints, Func<Value, Value> available, PooledTape record)
    {
        var split = Split(frame, activity, shadows.Shadowed, call);
        var builder = frame.Builder;
        var signature = split.ReverseSignature;
        var arguments = signature.Parameters.Select(p => p.Kind switch
        {
            DerivativeParameterKind.Primal => Argument(builder, call.Operands[p.PrimalIndex], available),
            DerivativeParameterKind.Shadow => SpanArguments.Shadow(builder, call.Operands[p.PrimalIndex], operand => shadows.ShadowOf(operand, p.Lane, available), available),
            _ => adjoints.Read(call, p.Lane) ?? DerivativeArithmetic.Zero(builder, p.Type),
        }).Append(record.Storage).ToList();
        CallGradients.Add(builder, call, signature, builder.Call(split.Reverse, signature.ReturnType, arguments), adjoints);
    }

    // An element address (ref a[i], ref a[i, j]) is rebuilt from its array and indices, a span window from its array
    // and bounds; other arguments are reloaded.
    private static Value Argument(IrBuilder builder, Value operand, Func<Value, Value> available)
    {
        if (!IsElementAddress(operand))
            return SpanArguments.Primal(builder, operand, available);
        var address = (Instruction)operand;
        var operands = address.Operands.Select(available).ToList();
        return address.Opcode == Opcode.ElementAddress
            ? builder.ElementAddress(operands[0], operands[1], address.TypeOperand!)
            : builder.Call((MethodReference)address.Member!, address.Type, operands);
    }

    private static bool IsElementAddress(Value operand) =>
        operand is Instruction instruction && (instruction.Opcode == Opcode.ElementAddress || MemoryAccess.ArrayMethod(instruction) is { Name: "Address" });

    private static SplitDerivative Split(DerivativeFrame frame, ActivityAnalysis activity, ShadowedMemory memory, Instruction call)
    {
        var target = CallTarget.Of(call)!;
        var parameters = call.Operands.Select((operand, i) =>
            SpanArguments.IsShadowed(operand, memory) ? ActivityKind.Duplicated
            : target.IsDifferentiableOperand(i) && activity.IsActive(operand) ? ActivityKind.Active
            : ActivityKind.Const).ToList();
        // A float result always gets a seed (zero when nothing reached it): the reverse half computes no primal value to return.
        ActivityKind? result = call.Type.MetadataType == MetadataType.Void ? null
            : CallTarget.IsFloating(call.Type) ? ActivityKind.ActiveOnly
            : memory.Contains(call) ? CallAllocations.ReturnActivity(DerivativeMode.Reverse)
            : ActivityKind.Const;
        var derivatives = CalleeDerivatives.Of(frame.Method.Module);
        return derivatives.GetSplit(derivatives.PrimalOf(target, call), parameters, result, frame.Width, call);
    }
}
