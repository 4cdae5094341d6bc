using Autodiff.Weaver.Ir;

namespace Autodiff.Weaver.Optimization;

/// <summary>
/// <see cref="OpcodeInfo"/> says what an opcode may do; this says what one instruction may do, looking
/// at its operands and flags: an unchecked conversion never throws (only conv.ovf does, ECMA-335
/// §III.3.19), nor does floating division or remainder, nor integer division by a constant other than
/// 0 and -1 (-1 overflows on the minimum value).
/// </summary>
internal static class InstructionEffects
{
    public static bool MayThrow(Instruction instruction)
    {
        if (!instruction.Info.MayThrow)
            return false;
        switch (instruction.Opcode)
        {
            case Opcode.Convert:
                return (instruction.Flags & InstructionFlags.Checked) != 0;
            case Opcode.Div or Opcode.Rem or Opcode.DivUn or Opcode.RemUn:
                if (instruction.Block!.Method.Types.IsFloating(instruction.Type))
                    return false;
                if (instruction.Operands[1] is not Constant { Payload: int or long } divisor)
                    return true;
                var value = System.Convert.ToInt64(divisor.Payload);
                return value == 0 || value == -1 && instruction.Opcode is Opcode.Div or Opcode.Rem;
            default:
                return true;
        }
    }

    /// <summary>
    /// No side effects and cannot throw: may be removed, duplicated away or executed speculatively. A
    /// static field's address is not: taking it may run the type's initializer (ECMA-335 §II.10.5.3.1),
    /// which must neither disappear nor move before the loop test that guarded it.
    /// </summary>
    public static bool IsPure(Instruction instruction) =>
        !instruction.Info.HasSideEffects && !MayThrow(instruction) && instruction.Opcode != Opcode.StaticFieldAddress;
}
