using System;
using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;

namespace Autodiff.Weaver.Ir.Construction;

/// <summary>
/// On-the-fly SSA construction after Braun, Buchwald, Hack, Leißa, Mallon and Zwinkau, "Simple and
/// Efficient Construction of Static Single Assignment Form" (CC 2013): <see cref="WriteVariable"/> and
/// <see cref="ReadVariable"/> per block, incomplete phis in unsealed blocks, and recursive removal of
/// trivial phis. Generic over the variable key so the frontend (CIL locals, arguments, stack slots) and
/// later passes (mem2reg over stack slots) share it.
/// </summary>
/// <typeparam name="TVariable">What a variable is; compared with its default equality.</typeparam>
public sealed class SsaConstruction<TVariable>
    where TVariable : notnull
{
    private readonly IrBuilder phiBuilder;
    private readonly Func<Block, IReadOnlyList<Block>> predecessors;
    private readonly Func<TVariable, TypeReference?> typeOf;
    private readonly Func<TVariable, Value> undefined;
    private readonly Func<TVariable, string?>? nameOf;
    private readonly Dictionary<TVariable, Dictionary<Block, Value>> currentDefinition = new();
    private readonly Dictionary<Block, List<(TVariable Variable, Instruction Phi)>> incompletePhis = new();
    private readonly HashSet<Block> sealedBlocks = new();
    private readonly Dictionary<Instruction, Value> replacedPhis = new();

    /// <param name="method">The method whose blocks receive phis.</param>
    /// <param name="predecessors">Control-flow predecessors of a block, each once; must be complete when the block is sealed.</param>
    /// <param name="typeOf">Type of a variable's phis; null infers it from the first incoming value.</param>
    /// <param name="undefined">Value read where no definition reaches (e.g. a zero-initialized CIL local).</param>
    /// <param name="nameOf">Source name given to a variable's phis, if any.</param>
    public SsaConstruction(
        IrMethod method,
        Func<Block, IReadOnlyList<Block>> predecessors,
        Func<TVariable, TypeReference?> typeOf,
        Func<TVariable, Value> undefined,
        Func<TVariable, string?>? nameOf = null)
    {
        phiBuilder = new IrBuilder(method);
        this.predecessors = predecessors;
        this.typeOf = typeOf;
        this.undefined = undefined;
        this.nameOf = nameOf;
    }

    public void WriteVariable(TVariable variable, Block block, Value value)
    {
        if (!currentDefinition.TryGetValue(variable, out var definitions))
        {
            definitions = new Dictionary<Block, Value>();
            currentDefinition.Add(variable, definitions);
        }
        definitions[block] = value;
    }

    public Value ReadVariable(TVariable variable, Block block)
    {
        if (currentDefinition.TryGetValue(variable, out var definitions) && definitions.TryGetValue(block, out var value))
            return Resolve(value);
        return ReadVariableRecursive(variable, block);
    }

    /// <summary>Declares that <paramref name="block"/> gets no further predecessors; completes its incomplete phis.</summary>
    public void SealBlock(Block block)
    {
        if (!sealedBlocks.Add(block))
            return;
        if (!incompletePhis.TryGetValue(block, out var pending))
            return;
        incompletePhis.Remove(block);
        foreach (var (variable, phi) in pending)
            AddPhiOperands(variable, phi);
    }

    /// <summary>
    /// A phi removed as trivial is replaced by another value everywhere it was used; a caller that holds
    /// a value outside the IR (a not yet consumed operand) maps it through here.
    /// </summary>
    public Value Resolve(Value value)
    {
        while (value is Instruction phi && replacedPhis.TryGetValue(phi, out var replacement))
            value = replacement;
        return value;
    }

    private Value ReadVariableRecursive(TVariable variable, Block block)
    {
        Value value;
        if (!sealedBlocks.Contains(block))
        {
            var phi = NewPhi(variable, block);
            if (!incompletePhis.TryGetValue(block, out var pending))
            {
                pending = new List<(TVariable, Instruction)>();
                incompletePhis.Add(block, pending);
            }
            pending.Add((variable, phi));
            value = phi;
        }
        else
        {
            var incoming = predecessors(block);
            if (incoming.Count == 0)
            {
                value = undefined(variable);
            }
            else if (incoming.Count == 1)
            {
                value = ReadVariable(variable, incoming[0]);
            }
            else
            {
                // Break cycles: the phi is this block's definition before its operands are read.
                var phi = NewPhi(variable, block);
                WriteVariable(variable, block, phi);
                value = AddPhiOperands(variable, phi);
            }
        }
        value = Resolve(value);
        WriteVariable(variable, block, value);
        return value;
    }

    private Instruction NewPhi(TVariable variable, Block block)
    {
        var phi = phiBuilder.Phi(block, typeOf(variable) ?? block.Method.Types.Object);
        phi.Name = nameOf?.Invoke(variable);
        return phi;
    }

    private Value AddPhiOperands(TVariable variable, Instruction phi)
    {
        foreach (var predecessor in predecessors(phi.Block!))
            phi.AddPhiIncoming(predecessor, ReadVariable(variable, predecessor));
        if (typeOf(variable) == null)
        {
            // The first incoming value that says most: a null constant is typed object.
            var incoming = phi.Operands.Where(o => !ReferenceEquals(o, phi)).ToList();
            var typed = incoming.FirstOrDefault(o => o is not Constant { Payload: null }) ?? incoming.FirstOrDefault();
            if (typed != null)
                phi.Type = typed.Type;
        }
        return TryRemoveTrivialPhi(variable, phi);
    }

    private Value TryRemoveTrivialPhi(TVariable variable, Instruction phi)
    {
        Value? same = null;
        foreach (var operand in phi.Operands)
        {
            if (ReferenceEquals(operand, same) || ReferenceEquals(operand, phi))
                continue;
            if (same != null)
                return phi;
            same = operand;
        }
        same ??= undefined(variable);

        var phiUsers = phi.Uses.Select(u => u.User).Where(u => u.Opcode == Opcode.Phi && !ReferenceEquals(u, phi)).Distinct().ToList();
        phi.ReplaceAllUsesWith(same);
        phi.Remove();
        replacedPhis[phi] = same;
        foreach (var user in phiUsers)
        {
            if (user.Block != null)
                TryRemoveTrivialPhi(variable, user);
        }
        // Removing the users may have removed `same` too (it can be one of them); return what replaced it.
        return Resolve(same);
    }
}
