using System;
using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Ir;

namespace Autodiff.Weaver.Differentiation.Reverse;

/// <summary>
/// Instructions cheap enough to compute again rather than keep, whose result depends only on their operands:
/// integer and float arithmetic, comparisons, unchecked conversions and array lengths (an array's length never
/// changes). Integer division may throw, but only where the forward sweep already threw on the same operands.
/// </summary>
public static class PureExpressions
{
    public static bool IsCheap(Instruction instruction) =>
        instruction.Opcode switch
        {
            Opcode.Add or Opcode.Sub or Opcode.Mul or Opcode.Div or Opcode.Rem or Opcode.Neg
                or Opcode.And or Opcode.Or or Opcode.Xor or Opcode.Shl or Opcode.Shr or Opcode.ShrUn
                or Opcode.Compare or Opcode.ArrayLength => true,
            Opcode.Convert => (instruction.Flags & InstructionFlags.Checked) == 0,
            _ => false,
        };

    /// <summary>True when <paramref name="value"/> has the same value on every iteration of the loop <paramref name="body"/>.</summary>
    public static bool IsInvariant(Value value, IReadOnlyCollection<Block> body) =>
        value is not Instruction instruction
        || !body.Contains(instruction.Block!)
        || (IsCheap(instruction) && instruction.Operands.All(operand => IsInvariant(operand, body)));

    /// <summary>Emits a copy of <paramref name="instruction"/> over <paramref name="operands"/>.</summary>
    public static Instruction Clone(IrBuilder builder, Instruction instruction, IEnumerable<Value> operands)
    {
        var copy = builder.Emit(instruction.Opcode, instruction.Type, operands.ToArray());
        copy.TypeOperand = instruction.TypeOperand;
        copy.Member = instruction.Member;
        copy.Predicate = instruction.Predicate;
        copy.Flags = instruction.Flags;
        copy.Alignment = instruction.Alignment;
        copy.Name = instruction.Name;
        return copy;
    }

    /// <summary>
    /// Rebuilds <paramref name="value"/> at the builder: the instructions in <paramref name="body"/> it depends on
    /// are cloned, everything else is <paramref name="outside"/>'s (a loop-invariant bound in the preheader).
    /// </summary>
    public static Value Rebuild(IrBuilder builder, Value value, IReadOnlyCollection<Block> body, Func<Value, Value> outside) =>
        value is Instruction instruction && body.Contains(instruction.Block!)
            ? Clone(builder, instruction, instruction.Operands.Select(operand => Rebuild(builder, operand, body, outside)))
            : outside(value);
}
