using System;
using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Reverse;

/// <summary>
/// Primal values the reverse sweep needs where their definition does not dominate it: each is pushed on a
/// tape right after it is computed, peeked (once per reverse block) where it is needed, and popped at the
/// end of its own block's reverse.
/// </summary>
public sealed class ForwardValueCache
{
    private readonly Dictionary<Instruction, IValueTape> tapes = new();
    private readonly Dictionary<(Block, Value), Value> reloads = new();
    private readonly DerivativeFrame frame;
    private readonly Func<TypeReference, string?, IValueTape> newTape;

    public ForwardValueCache(DerivativeFrame frame, Func<TypeReference, string?, IValueTape> newTape)
    {
        this.frame = frame;
        this.newTape = newTape;
    }

    /// <summary>Pushes the copy of <paramref name="primal"/> right after it (after the phis for a phi).</summary>
    public void Cache(Instruction primal)
    {
        if (tapes.ContainsKey(primal))
            return;
        var tape = newTape(primal.Type, primal.Name);
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
    }

    /// <summary>
    /// The value in the reverse sweep: cached values peeked in the builder's block; constants, parameters and
    /// values no rule reads (see <see cref="Rules.RuleInputs"/>) as their copies.
    /// </summary>
    public Value Reload(Value primal)
    {
        if (primal is not Instruction instruction || !tapes.ContainsKey(instruction))
            return frame.Copy.Map(primal);
        var builder = frame.Builder;
        if (!reloads.TryGetValue((builder.Block, instruction), out var value))
        {
            value = tapes[instruction].Peek(builder);
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
}
