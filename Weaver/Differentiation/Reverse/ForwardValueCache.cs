using System;
using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Reverse;

/// <summary>
/// Primal values the reverse sweep needs where their definition does not dominate it. Each is either computed
/// again where it is needed (<see cref="Recomputation"/>), or pushed on a tape right after it is computed,
/// peeked (once per reverse block) where it is needed, and popped at the end of its own block's reverse.
/// </summary>
public sealed class ForwardValueCache
{
    private readonly Dictionary<Instruction, IValueTape> tapes = new();
    private readonly HashSet<Instruction> recomputed = new();
    private readonly Dictionary<Instruction, HashSet<Block>> readers = new();
    private readonly Dictionary<(Block, Value), Value> reloads = new();
    private readonly DerivativeFrame frame;
    private readonly Func<TypeReference, string?, Block, IValueTape> newTape;
    private readonly Recomputation? recomputation;

    /// <param name="frame">The derivative being built.</param>
    /// <param name="newTape">Makes a tape for values of a type and name pushed in a primal block.</param>
    /// <param name="recomputation">What may be recomputed; null to tape everything.</param>
    public ForwardValueCache(DerivativeFrame frame, Func<TypeReference, string?, Block, IValueTape> newTape, Recomputation? recomputation)
    {
        this.frame = frame;
        this.newTape = newTape;
        this.recomputation = recomputation;
    }

    /// <summary>Notes that the reverse of <paramref name="reader"/> (a primal block) reads <paramref name="primal"/>.</summary>
    public void Need(Instruction primal, Block reader)
    {
        // A stack slot is an address fixed for the whole call, defined in the entry block, which dominates every reader.
        if (primal.Opcode == Opcode.StackSlot)
            return;
        if (!readers.TryGetValue(primal, out var blocks))
            readers[primal] = blocks = new HashSet<Block>();
        blocks.Add(reader);
    }

    /// <summary>
    /// Decides, for every value needed, whether to recompute or tape it, and pushes the taped ones; reports each
    /// choice (<paramref name="taped"/> right after its tape is created).
    /// </summary>
    public void Commit(Action<Instruction, IValueTape> taped, Action<Instruction> recompute)
    {
        var work = new Queue<(Instruction, IReadOnlyCollection<Block>)>(readers.Select(entry => (entry.Key, (IReadOnlyCollection<Block>)entry.Value)));
        while (work.Count > 0)
        {
            var (primal, blocks) = work.Dequeue();
            if (tapes.ContainsKey(primal))
                continue;
            if (recomputation != null && recomputation.CanRecompute(primal, blocks))
            {
                var (tree, needs) = recomputation.Adopt(primal, blocks);
                if (!recomputed.Contains(primal))
                    recompute(primal);
                recomputed.UnionWith(tree);
                foreach (var need in needs)
                    work.Enqueue((need, blocks));
                continue;
            }
            taped(primal, Tape(primal));
        }
    }

    /// <summary>
    /// The value in the reverse sweep: taped values peeked and recomputed values computed (once per block of the
    /// builder); constants, parameters and values no rule reads (see <see cref="Rules.RuleInputs"/>) as their copies.
    /// </summary>
    public Value Reload(Value primal)
    {
        if (primal is not Instruction instruction || !(tapes.ContainsKey(instruction) || recomputed.Contains(instruction)))
            return frame.Copy.Map(primal);
        var builder = frame.Builder;
        if (!reloads.TryGetValue((builder.Block, instruction), out var value))
        {
            value = tapes.TryGetValue(instruction, out var tape) ? tape.Peek(builder) : recomputation!.Emit(builder, instruction, Reload);
            reloads[(builder.Block, instruction)] = value;
        }
        return value;
    }

    /// <summary>Pops the values of <paramref name="primalBlock"/> at the end of its reverse: that execution is done.</summary>
    public void PopDefinedIn(Block primalBlock)
    {
        foreach (var instruction in primalBlock.Instructions.Where(tapes.ContainsKey))
            tapes[instruction].Pop(frame.Builder);
    }

    /// <summary>Pushes the copy of <paramref name="primal"/> right after it (after the phis for a phi).</summary>
    private IValueTape Tape(Instruction primal)
    {
        var tape = newTape(primal.Type, primal.Name, primal.Block!);
        var copy = frame.Copy.Map(primal);
        var block = copy.Block!;
        var builder = new IrBuilder(frame.Method);
        if (copy.Opcode == Opcode.Phi)
            builder.AfterPhis(block);
        else
            builder.Before(block.Instructions[block.Instructions.IndexOf(copy) + 1]);
        builder.DebugLocation = primal.DebugLocation;
        tape.Push(builder, copy);
        tapes[primal] = tape;
        return tape;
    }
}
