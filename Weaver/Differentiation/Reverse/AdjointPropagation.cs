using System;
using System.Linq;
using Autodiff.Weaver.Analysis;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Loading;

namespace Autodiff.Weaver.Differentiation.Reverse;

/// <summary>The steps every reverse sweep takes, whatever its control flow and wherever its adjoints live.</summary>
public static class AdjointPropagation
{
    /// <summary>f̄ = seed per lane, when the returned value is active.</summary>
    public static void Seed(DerivativeFrame frame, ActivityAnalysis activity, Value? returned, IAdjointAccumulator adjoints)
    {
        if (returned == null || !activity.IsActive(returned))
            return;
        for (var lane = 0; lane < frame.Width; lane++)
            adjoints.Add(returned, lane, frame.Seed(lane)!);
    }

    /// <summary>
    /// x̄ᵢ += ∂f/∂xᵢ·f̄ per lane for each active operand xᵢ of <paramref name="instruction"/>; nothing when no
    /// adjoint has reached f. <paramref name="available"/> gives the primal values the partials read.
    /// </summary>
    public static void Propagate(DerivativeFrame frame, ActivityAnalysis activity, Instruction instruction, IAdjointAccumulator adjoints, Func<Value, Value> available)
    {
        var resultAdjoints = Enumerable.Range(0, frame.Width).Select(lane => adjoints.Read(instruction, lane)).ToArray();
        if (resultAdjoints.All(a => a == null))
            return;
        if (Calls.CallAdjoints.Applies(frame, instruction))
        {
            Calls.CallAdjoints.Emit(frame, activity, instruction, adjoints, available);
            return;
        }
        var builder = frame.Builder;
        foreach (var (operand, partial) in PartialDerivatives.Build(frame, instruction, activity.IsActive, available))
        {
            for (var lane = 0; lane < resultAdjoints.Length; lane++)
            {
                if (resultAdjoints[lane] is { } adjoint)
                    adjoints.Add(operand, lane, DerivativeArithmetic.Coerce(builder, DerivativeArithmetic.Scale(builder, partial, adjoint), operand.Type));
            }
        }
    }

    /// <summary>The gradient a result element asks for: the parameter's adjoint, or zero when nothing reached it.</summary>
    public static Value Gradient(DerivativeFrame frame, IAdjointAccumulator adjoints, DerivativeResultElement element)
    {
        var parameter = frame.Primal.Parameters[element.PrimalIndex];
        return adjoints.Read(parameter, element.Lane) ?? DerivativeArithmetic.Zero(frame.Builder, parameter.Type);
    }
}
