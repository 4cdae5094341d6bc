using System;
using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Ir.Construction;

namespace Autodiff.Weaver.Optimization;

/// <summary>
/// Dominator-scoped value numbering: walking the dominator tree, an instruction equal to one that
/// dominates it (same opcode, type, operands and payload) is replaced by it. Only pure instructions
/// (no side effects, cannot throw) take part — loads never do, since memory may change between them —
/// and phis, stack slots and exception objects never do, since each stands for a distinct thing.
/// Operands of commutative integer operations are ordered first; float operations keep their order
/// (which NaN propagates depends on it).
/// </summary>
public sealed class EliminateCommonSubexpressions : IIrPass
{
    public string Name => "EliminateCommonSubexpressions";

    public bool Run(IrMethod method)
    {
        var dominators = DominatorTree.Compute(method);
        var available = new Dictionary<Key, Instruction>();
        var changed = false;
        var stack = new Stack<(Block Block, List<Key>? Added)>();
        stack.Push((method.Entry, null));
        while (stack.Count > 0)
        {
            var (block, added) = stack.Pop();
            if (added != null)
            {
                // Leaving the block's subtree: its definitions no longer dominate what comes next.
                foreach (var key in added)
                    available.Remove(key);
                continue;
            }
            var mine = new List<Key>();
            foreach (var instruction in block.Instructions.ToList())
            {
                if (!Participates(instruction))
                    continue;
                var key = Key.Of(method, instruction);
                if (available.TryGetValue(key, out var earlier) && IrEdits.RegionAllows(earlier, block))
                {
                    IrEdits.Replace(instruction, earlier);
                    changed = true;
                }
                else if (!available.ContainsKey(key))
                {
                    available.Add(key, instruction);
                    mine.Add(key);
                }
            }
            stack.Push((block, mine));
            foreach (var child in dominators.Children(block))
                stack.Push((child, null));
        }
        return changed;
    }

    private static bool Participates(Instruction instruction) =>
        InstructionEffects.IsPure(instruction) && instruction.Type.MetadataType != Mono.Cecil.MetadataType.Void
        && instruction.Opcode is not (Opcode.Phi or Opcode.StackSlot or Opcode.ExceptionObject or Opcode.ArgumentList);

    /// <summary>What makes two pure instructions compute the same value.</summary>
    private readonly struct Key : IEquatable<Key>
    {
        private readonly Opcode opcode;
        private readonly string type;
        private readonly Value[] operands;
        private readonly string payload;

        private Key(Opcode opcode, string type, Value[] operands, string payload)
        {
            this.opcode = opcode;
            this.type = type;
            this.operands = operands;
            this.payload = payload;
        }

        public static Key Of(IrMethod method, Instruction instruction)
        {
            var operands = instruction.Operands.ToArray();
            if (instruction.Opcode is Opcode.Add or Opcode.Mul or Opcode.And or Opcode.Or or Opcode.Xor
                && !method.Types.IsFloating(instruction.Type)
                && Rank(operands[1]) < Rank(operands[0]))
            {
                (operands[0], operands[1]) = (operands[1], operands[0]);
            }
            var payload = string.Join("|",
                instruction.TypeOperand?.FullName, instruction.Member?.FullName, instruction.Predicate, instruction.Flags, instruction.Alignment);
            return new Key(instruction.Opcode, instruction.Type.FullName, operands, payload);
        }

        /// <summary>A stable order for commutative operands: by hash, which is per object and fixed for a run.</summary>
        private static int Rank(Value value) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(value);

        public bool Equals(Key other) =>
            opcode == other.opcode && type == other.type && payload == other.payload
            && operands.Length == other.operands.Length && operands.Zip(other.operands, ReferenceEquals).All(same => same);

        public override bool Equals(object? obj) => obj is Key other && Equals(other);

        // A plain multiplicative combination: System.HashCode would need Microsoft.Bcl.HashCode beside the
        // weaver, and Fody loads only what it provides plus the weaver's own folder.
        public override int GetHashCode()
        {
            unchecked
            {
                var hash = ((int)opcode * 31 + type.GetHashCode()) * 31 + payload.GetHashCode();
                foreach (var operand in operands)
                    hash = hash * 31 + System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(operand);
                return hash;
            }
        }
    }
}
