using System;
using System.Collections.Generic;
using System.Linq;
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
    public static List<(Value Operand, Value Partial)> Build(DerivativeFrame frame, Instruction instruction, Func<Value, bool> needsDerivative) =>
        Build(frame, instruction, needsDerivative, frame.Copy.Map);

    /// <param name="available">
    /// The derivative-side value of a primal value at the insertion point: its copy where that is in scope,
    /// or a reload of it where the insertion point is not dominated by the copy.
    /// </param>
    public static List<(Value Operand, Value Partial)> Build(DerivativeFrame frame, Instruction instruction, Func<Value, bool> needsDerivative, Func<Value, Value> available)
    {
        var rule = DerivativeRules.Find(instruction) ?? throw DifferentiationErrors.NoRule(instruction, frame.Primal);
        frame.Builder.DebugLocation = instruction.DebugLocation;
        var operands = instruction.Operands.Select(available).ToList();
        var context = new RuleContext(frame.Builder, instruction, operands, available(instruction));
        var partials = new List<(Value, Value)>();
        for (var i = 0; i < instruction.Operands.Count; i++)
        {
            if (rule.Partials[i] is { } partial && needsDerivative(instruction.Operands[i]))
                partials.Add((instruction.Operands[i], partial(context)));
        }
        return partials;
    }
}
