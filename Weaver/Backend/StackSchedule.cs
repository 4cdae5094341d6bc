using System;
using System.Collections.Generic;
using Autodiff.Weaver.Ir;

namespace Autodiff.Weaver.Backend;

/// <summary>
/// Decides which values stay on the evaluation stack instead of going through a local. A value is left on the
/// stack when its only use is in the same block and it is computed right where its consumer needs it: the
/// consumer's operands, popped last-in first-out, are exactly the trees computed immediately before it. Because
/// a folded tree is emitted in the original instruction order, nothing is ever reordered; operands that are not
/// folded are constants, arguments, slot addresses or locals, which read the same value wherever they are loaded.
/// Also fuses a compare whose only use is the branch ending its block into a compare-and-branch.
/// </summary>
internal sealed class StackSchedule
{
    private readonly HashSet<Instruction> folded = new();
    private readonly HashSet<Instruction> fusedCompares = new();

    public StackSchedule(IrMethod method)
    {
        foreach (var block in method.Blocks)
        {
            if (block.Terminator is { Opcode: Opcode.BranchIf } branch
                && branch.Operands[0] is Instruction { Opcode: Opcode.Compare } compare
                && compare.Uses.Count == 1
                && ReferenceEquals(compare.Block, block))
            {
                fusedCompares.Add(compare);
            }
        }
        foreach (var block in method.Blocks)
            Fold(block.Instructions);
    }

    /// <summary>Computed as part of its only user's operand tree; never stored.</summary>
    public bool IsFolded(Instruction instruction) => folded.Contains(instruction);

    /// <summary>A compare emitted by the branch that consumes it (beq, blt.un, ...).</summary>
    public bool IsFusedCompare(Instruction instruction) => fusedCompares.Contains(instruction);

    /// <summary>
    /// Emits no code where it stands: phis and slots (handled elsewhere), fused compares, and pure values
    /// nobody uses.
    /// </summary>
    public bool EmitsNothing(Instruction instruction) =>
        instruction.Opcode is Opcode.Phi or Opcode.StackSlot
        || fusedCompares.Contains(instruction)
        || instruction.Uses.Count == 0 && instruction.Opcode != Opcode.ExceptionObject && !instruction.IsTerminator
           && !instruction.Info.HasSideEffects && !instruction.Info.MayThrow;

    /// <summary>The operands an instruction pushes before its own opcode, in push order.</summary>
    public static IReadOnlyList<Value> PushedOperands(Instruction instruction, StackSchedule? schedule)
    {
        switch (instruction.Opcode)
        {
            case Opcode.Phi:
            case Opcode.StackSlot:
                return Array.Empty<Value>();
            case Opcode.Load when IsSlotAccess(instruction):
                return Array.Empty<Value>();
            case Opcode.Store when IsSlotAccess(instruction):
                return new[] { instruction.Operands[1] };
            case Opcode.BranchIf when schedule != null && instruction.Operands[0] is Instruction condition && schedule.IsFusedCompare(condition):
                return condition.Operands;
            default:
                return instruction.Operands;
        }
    }

    /// <summary>A plain load or store of a whole stack slot: becomes ldloc/stloc of the slot's local.</summary>
    public static bool IsSlotAccess(Instruction instruction) =>
        instruction.Opcode is Opcode.Load or Opcode.Store
        && instruction.Operands[0] is Instruction { Opcode: Opcode.StackSlot } slot
        && (instruction.Flags & (InstructionFlags.Volatile | InstructionFlags.Unaligned)) == 0
        && slot.TypeOperand != null
        && IrTypes.AreSame(slot.TypeOperand, instruction.TypeOperand ?? (instruction.Opcode == Opcode.Load ? instruction.Type : instruction.Operands[1].Type));

    private void Fold(List<Instruction> instructions)
    {
        var index = instructions.Count - 1;
        while (index >= 0)
        {
            var root = instructions[index];
            index = EmitsNothing(root) ? index - 1 : FoldOperands(instructions, root, index - 1, atStackBottom: true);
        }
    }

    /// <summary>
    /// Folds the operands of <paramref name="user"/>, last first, against the instructions just before it; returns
    /// the index of the last instruction left before the user's tree.
    /// </summary>
    private int FoldOperands(List<Instruction> instructions, Instruction user, int cursor, bool atStackBottom)
    {
        var operands = PushedOperands(user, this);
        for (var k = operands.Count - 1; k >= 0; k--)
        {
            while (cursor >= 0 && EmitsNothing(instructions[cursor]))
                cursor--;
            if (cursor < 0)
                break;
            if (operands[k] is not Instruction candidate || !ReferenceEquals(instructions[cursor], candidate) || !CanFold(candidate))
                continue;
            // The caught exception is on the stack when the handler starts, and localloc needs an otherwise empty
            // stack (ECMA-335 §III.3.47): either can only be the bottom operand.
            if (candidate.Opcode is Opcode.ExceptionObject or Opcode.LocalAlloc && !(atStackBottom && k == 0))
                continue;
            folded.Add(candidate);
            cursor = FoldOperands(instructions, candidate, cursor - 1, atStackBottom && k == 0);
        }
        return cursor;
    }

    private static bool CanFold(Instruction value) =>
        value.Uses.Count == 1
        && value.Opcode is not (Opcode.Phi or Opcode.StackSlot)
        && value.Uses[0].User.Opcode != Opcode.Phi;
}
