using System;
using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Optimization;

/// <summary>
/// Evaluates arithmetic, comparisons and conversions of constants exactly as the CLR does at run time
/// (ECMA-335 Partition III), or declines: null means "not foldable" — the operation would throw
/// (division by zero, <c>int.MinValue / -1</c>, a checked overflow), its result is unspecified (a shift
/// by the operand width or more, an unchecked float-to-integer conversion out of range), or it needs a
/// constant the IR cannot express (native integers).
/// </summary>
internal static class ConstantEvaluator
{
    // Every numeric arm is boxed on its own: a switch expression would otherwise widen all its arms to
    // their best common type (an int result would come back as a long).

    /// <summary>The result payload (<c>int</c>, <c>long</c>, <c>float</c> or <c>double</c>), or null.</summary>
    public static object? Binary(Opcode opcode, object? left, object? right)
    {
        try
        {
            return (left, right) switch
            {
                (int a, int b) => Int32(opcode, a, b),
                (long a, long b) => Int64(opcode, a, b),
                (long a, int b) when opcode is Opcode.Shl or Opcode.Shr or Opcode.ShrUn => Int64Shift(opcode, a, b),
                (float a, float b) => Float32(opcode, a, b),
                (double a, double b) => Float64(opcode, a, b),
                _ => null,
            };
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    public static object? Unary(Opcode opcode, object? operand) => (opcode, operand) switch
    {
        (Opcode.Neg, int a) => (object)(unchecked(-a)),
        (Opcode.Neg, long a) => (object)(unchecked(-a)),
        (Opcode.Neg, float a) => (object)(-a),
        (Opcode.Neg, double a) => (object)(-a),
        (Opcode.Not, int a) => (object)(~a),
        (Opcode.Not, long a) => (object)(~a),
        _ => null,
    };

    /// <summary>0 or 1, or null when the operands are not two numbers of one kind.</summary>
    public static int? Compare(ComparePredicate predicate, object? left, object? right)
    {
        bool? result = (left, right) switch
        {
            (int a, int b) => Integers(predicate, a.CompareTo(b), ((uint)a).CompareTo((uint)b)),
            (long a, long b) => Integers(predicate, a.CompareTo(b), ((ulong)a).CompareTo((ulong)b)),
            (float a, float b) => Floats(predicate, a, b),
            (double a, double b) => Floats(predicate, a, b),
            _ => null,
        };
        return result == null ? null : result.Value ? 1 : 0;
    }

    /// <summary>conv, conv.un, conv.ovf and conv.ovf.un to a primitive numeric type.</summary>
    public static object? Convert(object? operand, MetadataType target, InstructionFlags flags)
    {
        var isChecked = (flags & InstructionFlags.Checked) != 0;
        var unsignedSource = (flags & InstructionFlags.UnsignedSource) != 0;
        try
        {
            return operand switch
            {
                // conv.u8 zero-extends an int32 (ECMA-335 §III.3.27: C# emits it for (ulong)uintValue).
                int i when unsignedSource || target == MetadataType.UInt64 && !isChecked => FromUnsigned((uint)i, target, isChecked),
                int i => FromSigned(i, target, isChecked),
                long l when unsignedSource => FromUnsigned((ulong)l, target, isChecked),
                long l => FromSigned(l, target, isChecked),
                float f => FromFloat(f, target),
                double d => FromFloat(d, target),
                _ => null,
            };
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    private static object? Int32(Opcode opcode, int a, int b) => opcode switch
    {
        Opcode.Add => (object)(unchecked(a + b)),
        Opcode.Sub => (object)(unchecked(a - b)),
        Opcode.Mul => (object)(unchecked(a * b)),
        Opcode.Div when b != 0 && !(a == int.MinValue && b == -1) => (object)(a / b),
        Opcode.Rem when b != 0 && !(a == int.MinValue && b == -1) => (object)(a % b),
        Opcode.DivUn when b != 0 => (object)((int)((uint)a / (uint)b)),
        Opcode.RemUn when b != 0 => (object)((int)((uint)a % (uint)b)),
        Opcode.AddOvf => (object)(checked(a + b)),
        Opcode.AddOvfUn => (object)((int)checked((uint)a + (uint)b)),
        Opcode.SubOvf => (object)(checked(a - b)),
        Opcode.SubOvfUn => (object)((int)checked((uint)a - (uint)b)),
        Opcode.MulOvf => (object)(checked(a * b)),
        Opcode.MulOvfUn => (object)((int)checked((uint)a * (uint)b)),
        Opcode.And => (object)(a & b),
        Opcode.Or => (object)(a | b),
        Opcode.Xor => (object)(a ^ b),
        // ECMA-335 §III.3.58: the result of shifting by the width or more is unspecified.
        Opcode.Shl when (uint)b < 32 => (object)(a << b),
        Opcode.Shr when (uint)b < 32 => (object)(a >> b),
        Opcode.ShrUn when (uint)b < 32 => (object)((int)((uint)a >> b)),
        _ => null,
    };

    private static object? Int64(Opcode opcode, long a, long b) => opcode switch
    {
        Opcode.Add => (object)(unchecked(a + b)),
        Opcode.Sub => (object)(unchecked(a - b)),
        Opcode.Mul => (object)(unchecked(a * b)),
        Opcode.Div when b != 0 && !(a == long.MinValue && b == -1) => (object)(a / b),
        Opcode.Rem when b != 0 && !(a == long.MinValue && b == -1) => (object)(a % b),
        Opcode.DivUn when b != 0 => (object)((long)((ulong)a / (ulong)b)),
        Opcode.RemUn when b != 0 => (object)((long)((ulong)a % (ulong)b)),
        Opcode.AddOvf => (object)(checked(a + b)),
        Opcode.AddOvfUn => (object)((long)checked((ulong)a + (ulong)b)),
        Opcode.SubOvf => (object)(checked(a - b)),
        Opcode.SubOvfUn => (object)((long)checked((ulong)a - (ulong)b)),
        Opcode.MulOvf => (object)(checked(a * b)),
        Opcode.MulOvfUn => (object)((long)checked((ulong)a * (ulong)b)),
        Opcode.And => (object)(a & b),
        Opcode.Or => (object)(a | b),
        Opcode.Xor => (object)(a ^ b),
        _ => null,
    };

    private static object? Int64Shift(Opcode opcode, long a, int b) => opcode switch
    {
        Opcode.Shl when (uint)b < 64 => (object)(a << b),
        Opcode.Shr when (uint)b < 64 => (object)(a >> b),
        Opcode.ShrUn when (uint)b < 64 => (object)((long)((ulong)a >> b)),
        _ => null,
    };

    // IEEE 754 arithmetic never throws; rem is C#'s % (fmod), as CIL rem on floats.
    private static object? Float32(Opcode opcode, float a, float b) => opcode switch
    {
        Opcode.Add => (object)(a + b),
        Opcode.Sub => (object)(a - b),
        Opcode.Mul => (object)(a * b),
        Opcode.Div => (object)(a / b),
        Opcode.Rem => (object)(a % b),
        _ => null,
    };

    private static object? Float64(Opcode opcode, double a, double b) => opcode switch
    {
        Opcode.Add => (object)(a + b),
        Opcode.Sub => (object)(a - b),
        Opcode.Mul => (object)(a * b),
        Opcode.Div => (object)(a / b),
        Opcode.Rem => (object)(a % b),
        _ => null,
    };

    private static bool? Integers(ComparePredicate predicate, int signed, int unsigned) => predicate switch
    {
        ComparePredicate.Equal => signed == 0,
        ComparePredicate.NotEqualUn => signed != 0,
        ComparePredicate.Less => signed < 0,
        ComparePredicate.LessUn => unsigned < 0,
        ComparePredicate.LessOrEqual => signed <= 0,
        ComparePredicate.LessOrEqualUn => unsigned <= 0,
        ComparePredicate.Greater => signed > 0,
        ComparePredicate.GreaterUn => unsigned > 0,
        ComparePredicate.GreaterOrEqual => signed >= 0,
        ComparePredicate.GreaterOrEqualUn => unsigned >= 0,
        _ => null,
    };

    /// <summary>ECMA-335: the <c>.un</c> forms are true when unordered (a NaN operand), the others false.</summary>
    private static bool? Floats(ComparePredicate predicate, double a, double b) => predicate switch
    {
        ComparePredicate.Equal => a == b,
        ComparePredicate.NotEqualUn => !(a == b),
        ComparePredicate.Less => a < b,
        ComparePredicate.LessUn => !(a >= b),
        ComparePredicate.LessOrEqual => a <= b,
        ComparePredicate.LessOrEqualUn => !(a > b),
        ComparePredicate.Greater => a > b,
        ComparePredicate.GreaterUn => !(a <= b),
        ComparePredicate.GreaterOrEqual => a >= b,
        ComparePredicate.GreaterOrEqualUn => !(a < b),
        _ => null,
    };

    private static object? FromSigned(long value, MetadataType target, bool isChecked) => isChecked
        ? target switch
        {
            MetadataType.SByte => (object)((int)checked((sbyte)value)),
            MetadataType.Byte => (object)((int)checked((byte)value)),
            MetadataType.Int16 => (object)((int)checked((short)value)),
            MetadataType.UInt16 or MetadataType.Char => (object)((int)checked((ushort)value)),
            MetadataType.Int32 => (object)(checked((int)value)),
            MetadataType.UInt32 => (object)(unchecked((int)checked((uint)value))),
            MetadataType.Int64 => (object)(value),
            MetadataType.UInt64 => (object)(unchecked((long)checked((ulong)value))),
            _ => null,
        }
        : Truncate(unchecked((ulong)value), target) ?? target switch
        {
            MetadataType.Single => (object)((float)value),
            MetadataType.Double => (object)((double)value),
            _ => null,
        };

    private static object? FromUnsigned(ulong value, MetadataType target, bool isChecked) => isChecked
        ? target switch
        {
            MetadataType.SByte => (object)((int)checked((sbyte)value)),
            MetadataType.Byte => (object)((int)checked((byte)value)),
            MetadataType.Int16 => (object)((int)checked((short)value)),
            MetadataType.UInt16 or MetadataType.Char => (object)((int)checked((ushort)value)),
            MetadataType.Int32 => (object)(checked((int)value)),
            MetadataType.UInt32 => (object)(unchecked((int)checked((uint)value))),
            MetadataType.Int64 => (object)(checked((long)value)),
            MetadataType.UInt64 => (object)(unchecked((long)value)),
            _ => null,
        }
        : Truncate(value, target) ?? target switch
        {
            // conv.r.un: exact below 2^53; larger values are left alone, since the JIT may convert
            // straight to float32 where a folded double would round twice.
            MetadataType.Single when value < 1UL << 53 => (object)((float)(double)value),
            MetadataType.Double when value < 1UL << 53 => (object)((double)value),
            _ => null,
        };

    /// <summary>Integer-to-integer conversions keep the low bits and extend as the target type says.</summary>
    private static object? Truncate(ulong bits, MetadataType target) => target switch
    {
        MetadataType.SByte => (object)((int)unchecked((sbyte)bits)),
        MetadataType.Byte => (object)((int)unchecked((byte)bits)),
        MetadataType.Int16 => (object)((int)unchecked((short)bits)),
        MetadataType.UInt16 or MetadataType.Char => (object)((int)unchecked((ushort)bits)),
        MetadataType.Int32 or MetadataType.UInt32 => (object)(unchecked((int)bits)),
        MetadataType.Int64 or MetadataType.UInt64 => (object)(unchecked((long)bits)),
        _ => null,
    };

    private static object? FromFloat(double value, MetadataType target)
    {
        switch (target)
        {
            case MetadataType.Single:
                return (float)value;
            case MetadataType.Double:
                return value;
        }
        // Truncation toward zero is defined only when the result fits (ECMA-335 §III.3.27); checked
        // conversions throw otherwise, unchecked ones are unspecified. Either way: do not fold.
        var truncated = Math.Truncate(value);
        (double Min, double Max) range = target switch
        {
            MetadataType.SByte => (sbyte.MinValue, sbyte.MaxValue),
            MetadataType.Byte => (byte.MinValue, byte.MaxValue),
            MetadataType.Int16 => (short.MinValue, short.MaxValue),
            MetadataType.UInt16 or MetadataType.Char => (ushort.MinValue, ushort.MaxValue),
            MetadataType.Int32 => (int.MinValue, int.MaxValue),
            MetadataType.UInt32 => (uint.MinValue, uint.MaxValue),
            // 2^63 and 2^64 are exact doubles; the ranges are half-open at the top.
            MetadataType.Int64 => (-9223372036854775808.0, 9223372036854775807.0),
            MetadataType.UInt64 => (0.0, 18446744073709551615.0),
            _ => (double.NaN, double.NaN),
        };
        if (double.IsNaN(truncated) || double.IsNaN(range.Min) || truncated < range.Min || truncated > range.Max
            || target is MetadataType.Int64 or MetadataType.UInt64 && truncated >= range.Max)
            return null;
        return target switch
        {
            MetadataType.Int64 => (object)((long)truncated),
            MetadataType.UInt64 => (object)(unchecked((long)(ulong)truncated)),
            MetadataType.UInt32 => (object)(unchecked((int)(uint)truncated)),
            _ => (object)((int)truncated),
        };
    }
}
