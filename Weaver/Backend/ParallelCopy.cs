using System;
using System.Collections.Generic;
using Autodiff.Weaver.Ir;
using Mono.Cecil.Cil;

namespace Autodiff.Weaver.Backend;

/// <summary>
/// Sequentializes the parallel copy that the phis of one block perform on one incoming edge
/// (Boissinot et al., "Revisiting Out-of-SSA Translation", Algorithm 1): a copy is emitted once no other
/// pending copy still reads its destination; a cycle (the swap problem, <c>(a, b) = (b, a)</c>) is broken by
/// saving one destination into a temporary first.
/// </summary>
internal static class ParallelCopy
{
    /// <summary><see cref="Destination"/> := <see cref="SourceVariable"/> when set, else := <see cref="Source"/> (a constant, argument or slot address).</summary>
    public sealed class Move
    {
        public Move(VariableDefinition destination, VariableDefinition? sourceVariable, Value? source)
        {
            Destination = destination;
            SourceVariable = sourceVariable;
            Source = source;
        }

        public VariableDefinition Destination { get; }

        public VariableDefinition? SourceVariable { get; set; }

        public Value? Source { get; }
    }

    public static List<Move> Sequentialize(IEnumerable<Move> parallel, Func<VariableDefinition, VariableDefinition> newTemporary)
    {
        var pending = new List<Move>();
        foreach (var move in parallel)
        {
            if (!ReferenceEquals(move.SourceVariable, move.Destination))
                pending.Add(move);
        }

        var sequence = new List<Move>();
        while (pending.Count > 0)
        {
            var ready = pending.FindIndex(move => !IsRead(pending, move.Destination));
            if (ready >= 0)
            {
                sequence.Add(pending[ready]);
                pending.RemoveAt(ready);
                continue;
            }
            // Only cycles remain: every destination is still read by another copy.
            var saved = pending[0].Destination;
            var temporary = newTemporary(saved);
            sequence.Add(new Move(temporary, saved, null));
            foreach (var move in pending)
            {
                if (ReferenceEquals(move.SourceVariable, saved))
                    move.SourceVariable = temporary;
            }
        }
        return sequence;
    }

    private static bool IsRead(List<Move> pending, VariableDefinition variable)
    {
        foreach (var move in pending)
        {
            if (ReferenceEquals(move.SourceVariable, variable))
                return true;
        }
        return false;
    }
}
