using System;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Pipeline;
using Mono.Cecil;

namespace Autodiff.Weaver.Optimization;

/// <summary>
/// The optimization presets, as flat lists whose comments record why each pass sits where it does
/// (ILSpy's transform list habit). Enzyme's lesson: differentiate optimized IR, then optimize again —
/// the derivative inherits the primal's simplifications and its own redundancy is cleaned afterwards.
/// </summary>
public static class OptimizationPipelines
{
    /// <summary>
    /// Before differentiation. Inlining is on only with <see cref="WeaverFlags.Inline"/>: an inlined
    /// callee could carry a custom derivative rule that only a call would reach; <paramref name="mayInline"/>
    /// lets the caller veto rule targets.
    /// </summary>
    public static OptimizationPipeline PreDifferentiation(WeaverOptions options, Func<MethodDefinition, bool>? mayInline = null)
    {
        var pipeline = new OptimizationPipeline("PreDifferentiation");
        if ((options.Flags & WeaverFlags.Inline) != 0)
        {
            // First, so that inlined bodies are optimized together with their caller, and a slot passed
            // by ref to an inlined callee is left with only loads and stores for PromoteStackSlots.
            pipeline.Then(new InlineCalls(mayInline: mayInline));
        }
        return AddScalarOptimizations(pipeline);
    }

    /// <summary>After differentiation; empty with <see cref="WeaverFlags.NoPostOpt"/>.</summary>
    public static OptimizationPipeline PostDifferentiation(WeaverOptions options)
    {
        var pipeline = new OptimizationPipeline("PostDifferentiation");
        return (options.Flags & WeaverFlags.NoPostOpt) != 0 ? pipeline : AddScalarOptimizations(pipeline);
    }

    public static bool RunPreDifferentiation(
        IrMethod method, WeaverOptions options, Action<string, IrMethod>? afterPass = null, Func<MethodDefinition, bool>? mayInline = null) =>
        PreDifferentiation(options, mayInline).Run(method, afterPass);

    public static bool RunPostDifferentiation(IrMethod method, WeaverOptions options, Action<string, IrMethod>? afterPass = null) =>
        PostDifferentiation(options).Run(method, afterPass);

    private static OptimizationPipeline AddScalarOptimizations(OptimizationPipeline pipeline) => pipeline
        // Before slot promotion, which makes the field slots it leaves SSA values; after inlining, which turns a
        // constructor or method call on a struct local (its address passed) into field stores and loads.
        .Then(new ScalarizeStructLocals())
        // Before slot promotion, which turns the element slots it leaves into SSA values; after inlining, whose
        // callees' constant arguments may make indices constant. Before differentiation it spares the derivative
        // the array and its shadow.
        .Then(new ScalarizeShortLivedArrays())
        // Before everything that works on SSA values: slots hide values from folding, CSE and hoisting
        // (reverse-mode adjoints kept in slots become plain values here).
        .Then(new PromoteStackSlots())
        // Folding feeds the algebra (x*1 appears once 1 is known) and branch folding (constant
        // conditions); removing dead branches makes phis trivial, which exposes more constants; CSE
        // leaves dead duplicates behind for dead-code elimination. Memory forwarding after CSE, whose equal
        // indices make equal locations; its forwarded values feed folding and CSE again. Hence one group, to a fixed point.
        .Repeat(new FoldConstants(), new SimplifyAlgebra(), new SimplifyControlFlow(), new EliminateCommonSubexpressions(), new ForwardMemoryInBlocks(), new EliminateDeadCode())
        // After CSE, so an invariant computed twice in the loop is hoisted once.
        .Then(new HoistLoopInvariants())
        // Hoisting may leave a new preheader mergeable and a duplicate across loop levels: clean up.
        .Repeat(new SimplifyControlFlow(), new EliminateCommonSubexpressions(), new EliminateDeadCode());
}
