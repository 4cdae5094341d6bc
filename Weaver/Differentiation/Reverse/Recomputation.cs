using System;
using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Ir;

namespace Autodiff.Weaver.Differentiation.Reverse;

/// <summary>
/// Enzyme's cache-versus-recompute choice (Moses and Churavy 2020 §4, cache minimization): a value the reverse sweep
/// reads is computed again there, instead of being taped, when it is a small pure expression
/// (<see cref="PureExpressions"/>) over constants, parameters, loads from arrays the primal never writes
/// (<see cref="ReadOnlyArrays"/>), counters of the counted loops around every reader (<see cref="ReverseCounter"/>)
/// and their other induction variables (<see cref="InductionVariable"/>, whose entry value may itself be taped).
/// A load and a few arithmetic instructions cost less than a push, a peek and a pop, and need no tape storage.
/// </summary>
public sealed class Recomputation
{
    // A tree larger than this is taped: recomputing it in every reverse block that reads it would cost more than the tape.
    private const int MaxInstructions = 12;

    private readonly IReadOnlyDictionary<Instruction, ReverseCounter> counters;
    private readonly IReadOnlyDictionary<Instruction, InductionVariable> inductionVariables;
    private readonly ReadOnlyArrays arrays;

    public Recomputation(IReadOnlyDictionary<Instruction, ReverseCounter> counters, ReadOnlyArrays arrays)
    {
        this.counters = counters;
        this.arrays = arrays;
        inductionVariables = counters.Values.SelectMany(InductionVariable.Find).ToDictionary(p => p.Phi, p => p.Variable);
    }

    /// <summary>True when <paramref name="value"/> can be computed again in the reverse of each of <paramref name="readers"/>.</summary>
    public bool CanRecompute(Instruction value, IReadOnlyCollection<Block> readers)
    {
        var seen = new HashSet<Instruction>();
        return Fits(value, readers, seen) && seen.Count <= MaxInstructions;
    }

    /// <summary>
    /// The instructions <paramref name="value"/>'s recomputation emits (itself included) and the values outside it
    /// that the reverse of <paramref name="readers"/> must also get (entry values and starts of induction variables,
    /// recomputed or taped in turn); notes the arrays it rereads, for the entry checks.
    /// </summary>
    public (IReadOnlyCollection<Instruction> Tree, IReadOnlyList<Instruction> Needs) Adopt(Instruction value, IReadOnlyCollection<Block> readers)
    {
        var tree = new HashSet<Instruction>();
        Collect(value, tree);
        foreach (var load in tree.Where(i => i.Opcode is Opcode.LoadElement or Opcode.ElementAddress))
            arrays.Reread((Parameter)load.Operands[0]);
        var needs = tree.Where(inductionVariables.ContainsKey).Select(phi => inductionVariables[phi])
            .SelectMany(v => new[] { v.Init, v.Counter.Loop.Start }).OfType<Instruction>().Distinct().ToList();
        return (tree, needs);
    }

    /// <summary>Emits <paramref name="value"/> at the builder, its operands from <paramref name="reload"/>.</summary>
    public Value Emit(IrBuilder builder, Instruction value, Func<Value, Value> reload) =>
        counters.TryGetValue(value, out var counter) ? counter.Current(builder)
        : inductionVariables.TryGetValue(value, out var variable) ? variable.Emit(builder, reload)
        : PureExpressions.Clone(builder, value, value.Operands.Select(reload));

    private bool Fits(Value value, IReadOnlyCollection<Block> readers, HashSet<Instruction> seen)
    {
        if (value is not Instruction instruction || !seen.Add(instruction))
            return true;
        if (seen.Count > MaxInstructions)
            return false;
        if (counters.TryGetValue(instruction, out var counter))
            return readers.All(counter.Loop.Body.Contains);
        if (inductionVariables.TryGetValue(instruction, out var variable))
            return readers.All(variable.Counter.Loop.Body.Contains);
        var rereads = instruction.Opcode switch
        {
            Opcode.LoadElement or Opcode.ElementAddress => arrays.MayReread(instruction.Operands[0]),
            Opcode.Load => instruction.Operands[0] is Instruction { Opcode: Opcode.ElementAddress },
            _ => PureExpressions.IsCheap(instruction),
        };
        return rereads && instruction.Operands.All(operand => Fits(operand, readers, seen));
    }

    private void Collect(Instruction value, HashSet<Instruction> tree)
    {
        if (!tree.Add(value) || counters.ContainsKey(value))
            return;
        if (inductionVariables.TryGetValue(value, out var variable))
        {
            tree.Add(variable.Counter.Loop.Counter);
            return;
        }
        foreach (var operand in value.Operands.OfType<Instruction>())
            Collect(operand, tree);
    }
}
