using System;
using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Ir;

namespace Autodiff.Weaver.Analysis;

/// <summary>
/// Enzyme's activity analysis: a value is active iff it is varied (depends on an active input) and useful
/// (influences an active output); only active values get tangents or adjoints. Both halves are
/// <see cref="ValueFlow"/> closures over SSA def-use edges, restricted to differentiable values. Memory enters
/// as Enzyme's duplicated arguments do: loads from <see cref="ShadowedMemory"/> are varied seeds, and values
/// stored into it are useful seeds (the caller reads them through the shadow). A woven derivative's tapes, met
/// when it is differentiated again, carry activity from what is pushed to what is peeked (<c>TapeFlow</c>).
/// </summary>
public sealed class ActivityAnalysis
{
    private readonly HashSet<Value> varied;
    private readonly HashSet<Value> useful;

    private ActivityAnalysis(IrMethod method, HashSet<Value> varied, HashSet<Value> useful)
    {
        Method = method;
        this.varied = varied;
        this.useful = useful;
    }

    public IrMethod Method { get; }

    /// <param name="carriesDerivative">
    /// False for instructions whose derivative is zero everywhere (comparisons, <c>Floor</c>, …): their
    /// results are constants even when their operands vary (Enzyme's known-inactive operations).
    /// </param>
    public static ActivityAnalysis Run(IrMethod method, TypeAnalysis types, ActivitySeeds seeds, Func<Instruction, bool> carriesDerivative)
    {
        bool Flows(Instruction instruction) =>
            types.IsDifferentiable(instruction) && carriesDerivative(instruction);

        var accesses = method.Blocks.SelectMany(b => b.Instructions).Select(seeds.Memory.AccessOf).OfType<MemoryAccess>().ToList();
        // A call receiving shadowed memory reads it (its result is varied) and may write it from its other arguments (useful).
        // A call returning shadowed memory (an array with its shadow) is memory: what is loaded from it is varied.
        var shadowedCalls = method.Blocks.SelectMany(b => b.Instructions).Where(i => Differentiation.Calls.ShadowedCalls.Is(i, seeds.Memory)).ToList();
        var varied = ValueFlow.Reach(
            seeds.ActiveParameters.Where(types.IsDifferentiable).Cast<Value>().Concat(accesses.Where(a => !a.IsStore).Select(a => a.Instruction))
                .Concat(shadowedCalls.Where(call => !seeds.Memory.Contains(call))),
            value => value.Uses.Select(use => use.User).Where(Flows).Concat(Differentiation.HigherOrder.TapeFlow.VariedThrough(value)));

        var returned = seeds.ReturnIsActive
            ? method.Blocks.Select(b => b.Terminator)
                .Where(t => t is { Opcode: Opcode.Return, Operands.Count: 1 })
                .Select(t => t!.Operands[0])
                .Where(types.IsDifferentiable)
            : Enumerable.Empty<Value>();
        var stored = accesses.Where(a => a.IsStore).Select(a => a.StoredValue!).Where(types.IsDifferentiable);
        var useful = ValueFlow.Reach(
            returned.Concat(stored).Concat(shadowedCalls.SelectMany(c => c.Operands).Where(types.IsDifferentiable)),
            value => (value is Instruction instruction && Flows(instruction)
                ? instruction.Operands.Where(types.IsDifferentiable)
                : Enumerable.Empty<Value>()).Concat(Differentiation.HigherOrder.TapeFlow.UsefulThrough(value)));

        return new ActivityAnalysis(method, varied, useful);
    }

    public bool IsVaried(Value value) => varied.Contains(value);

    public bool IsUseful(Value value) => useful.Contains(value);

    public bool IsActive(Value value) => IsVaried(value) && IsUseful(value);
}
