using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Analysis;
using Autodiff.Weaver.Differentiation.Rules;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Loading;

namespace Autodiff.Weaver.Differentiation.Reverse;

/// <summary>
/// Reverse mode: the copied primal is the augmented forward sweep; before its return, the reverse sweep
/// walks the active instructions backwards, x̄ᵢ += ∂f/∂xᵢ·f̄ per lane, seeded with the return's seeds.
/// The primal values the partials need are still in scope, so nothing is cached. This slice requires every
/// active instruction to dominate the single return (straight-line active code; inactive branches are fine).
/// </summary>
public sealed class ReverseSweepBuilder
{
    private readonly DerivativeFrame frame;
    private readonly ActivityAnalysis activity;
    private readonly IAdjointAccumulator adjoints;

    private ReverseSweepBuilder(DerivativeFrame frame, ActivityAnalysis activity)
    {
        this.frame = frame;
        this.activity = activity;
        adjoints = new SsaAdjoints(frame.Builder);
    }

    public static void Run(DerivativeFrame frame, ActivityAnalysis activity) =>
        new ReverseSweepBuilder(frame, activity).Run();

    private IrBuilder Builder => frame.Builder;

    private void Run()
    {
        var primalReturn = SingleReturn();
        var dominators = DominatorTree.Build(frame.Primal);
        var active = dominators.ReversePostorder
            .SelectMany(b => b.Instructions)
            .Where(activity.IsActive)
            .ToList();
        foreach (var instruction in active)
        {
            if (instruction.Opcode == Opcode.Phi || !dominators.Dominates(instruction.Block!, primalReturn.Block!))
                throw DifferentiationErrors.ActiveControlFlow(instruction, frame.Primal);
        }

        var copy = frame.Copy.Map(primalReturn);
        Builder.Before(copy);
        var returned = primalReturn.Operands.Count == 1 ? primalReturn.Operands[0] : null;
        if (returned != null && activity.IsActive(returned))
        {
            for (var lane = 0; lane < frame.Width; lane++)
                adjoints.Add(returned, lane, frame.Seed(lane)!);
        }
        for (var i = active.Count - 1; i >= 0; i--)
            Propagate(active[i]);

        Builder.DebugLocation = primalReturn.DebugLocation;
        ResultPacker.Return(Builder, frame.Request.Signature, element => element.Kind switch
        {
            DerivativeResultKind.PrimalValue => frame.Copy.Map(returned!),
            _ => Gradient(frame.Primal.Parameters[element.PrimalIndex], element.Lane),
        });
        copy.Remove();
    }

    private Instruction SingleReturn()
    {
        var returns = frame.Primal.Blocks.Select(b => b.Terminator).Where(t => t?.Opcode == Opcode.Return).ToList();
        if (returns.Count != 1)
            throw DifferentiationErrors.ActiveControlFlow(returns.Count > 1 ? returns[1]! : frame.Primal.Entry.Instructions.Last(), frame.Primal);
        return returns[0]!;
    }

    private void Propagate(Instruction instruction)
    {
        var resultAdjoints = Enumerable.Range(0, frame.Width).Select(lane => adjoints.Read(instruction, lane)).ToArray();
        if (resultAdjoints.All(a => a == null))
            return;
        var rule = DerivativeRules.Find(instruction) ?? throw DifferentiationErrors.NoRule(instruction, frame.Primal);
        var copy = frame.Copy.Map(instruction);
        Builder.DebugLocation = instruction.DebugLocation;
        var context = new RuleContext(Builder, instruction, copy.Operands, copy);
        for (var i = 0; i < instruction.Operands.Count; i++)
        {
            var operand = instruction.Operands[i];
            if (rule.Partials[i] is not { } partialRule || !activity.IsActive(operand))
                continue;
            var partial = partialRule(context);
            for (var lane = 0; lane < resultAdjoints.Length; lane++)
            {
                if (resultAdjoints[lane] is { } adjoint)
                    adjoints.Add(operand, lane, DerivativeArithmetic.Coerce(Builder, DerivativeArithmetic.Scale(Builder, partial, adjoint), operand.Type));
            }
        }
    }

    private Value Gradient(Parameter parameter, int lane) =>
        adjoints.Read(parameter, lane) ?? DerivativeArithmetic.Zero(Builder, parameter.Type);
}
