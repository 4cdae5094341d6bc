using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Analysis;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Ir.Construction;
using Autodiff.Weaver.Loading;

namespace Autodiff.Weaver.Differentiation.Reverse;

/// <summary>
/// Reverse mode: the copied primal is the augmented forward sweep; before each return, a reverse sweep
/// walks the active instructions that dominate it backwards, x̄ᵢ += ∂f/∂xᵢ·f̄ per lane, seeded with the
/// return's seeds. The primal values the partials need are still in scope, so nothing is cached and
/// nothing is allocated. Without active phis, every active value a return depends on dominates it, so
/// branches and loops whose values are inactive need no record of the path taken; primals with active
/// phis go to <see cref="BranchingSweepBuilder"/> instead.
/// </summary>
public sealed class ReverseSweepBuilder
{
    private readonly DerivativeFrame frame;
    private readonly ActivityAnalysis activity;

    private ReverseSweepBuilder(DerivativeFrame frame, ActivityAnalysis activity)
    {
        this.frame = frame;
        this.activity = activity;
    }

    public static void Run(DerivativeFrame frame, ActivityAnalysis activity) =>
        new ReverseSweepBuilder(frame, activity).Run();

    private IrBuilder Builder => frame.Builder;

    private void Run()
    {
        var dominators = DominatorTree.Compute(frame.Primal);
        var active = dominators.ReversePostorder.SelectMany(b => b.Instructions).Where(activity.IsActive).ToList();
        if (active.Any(i => i.Opcode == Opcode.Phi))
            throw new System.InvalidOperationException("A primal with active phis needs the " + nameof(BranchingSweepBuilder) + ".");
        // An unreachable return dominates nothing of the sweep; it still returns the derivative's type.
        foreach (var primalReturn in frame.PrimalReturns)
            EmitSweep(primalReturn, active.Where(i => dominators.Dominates(i.Block!, primalReturn.Block!)).ToList());
    }

    /// <summary>Replaces one return by the reverse sweep over <paramref name="active"/> (in forward order) and the packed result.</summary>
    private void EmitSweep(Instruction primalReturn, List<Instruction> active)
    {
        var copy = frame.Copy.Map(primalReturn);
        Builder.Before(copy);
        var adjoints = new SsaAdjoints(Builder);
        var returned = primalReturn.Operands.Count == 1 ? primalReturn.Operands[0] : null;
        AdjointPropagation.Seed(frame, activity, returned, adjoints);
        for (var i = active.Count - 1; i >= 0; i--)
            AdjointPropagation.Propagate(frame, activity, active[i], adjoints, frame.Copy.Map);

        Builder.DebugLocation = primalReturn.DebugLocation;
        ResultPacker.Return(Builder, frame.Request.Signature, element => element.Kind switch
        {
            DerivativeResultKind.PrimalValue => frame.Copy.Map(returned!),
            _ => AdjointPropagation.Gradient(frame, adjoints, element),
        });
        copy.Remove();
    }
}
