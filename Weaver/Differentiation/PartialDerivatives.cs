using System;
using System.Collections.Generic;
using Autodiff.Weaver.Differentiation.Rules;
using Autodiff.Weaver.Ir;

namespace Autodiff.Weaver.Differentiation;

/// <summary>
/// The one place both modes apply a rule: ∂f/∂xᵢ of a primal instruction, built at the frame builder's
/// insertion point from the copied operands, at the primal's source location, for the operands that need one.
/// </summary>
public static class PartialDerivatives
{
    /// <returns>Each primal operand that needs a derivative and has a partial, with that partial.</returns>
    public static List<(Value Operand, Value Partial)> Build(DerivativeFrame frame, Instruction instruction, Func<Value, bool> needsDerivative)
    {
        var rule = DerivativeRules.Find(instruction) ?? throw DifferentiationErrors.NoRule(instruction, frame.Primal);
        var copy = frame.Copy.Map(instruction);
        frame.Builder.DebugLocation = instruction.DebugLocation;
        var context = new RuleContext(frame.Builder, instruction, copy.Operands, copy);
        var partials = new List<(Value, Value)>();
        for (var i = 0; i < instruction.Operands.Count; i++)
        {
            if (rule.Partials[i] is { } partial && needsDerivative(instruction.Operands[i]))
                partials.Add((instruction.Operands[i], partial(context)));
        }
        return partials;
    }
}
