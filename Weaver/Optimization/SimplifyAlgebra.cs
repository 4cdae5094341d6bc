using System.Linq;
using Autodiff.Weaver.Ir;

namespace Autodiff.Weaver.Optimization;

/// <summary>
/// Algebraic identities with one constant or two equal operands. Integers take all of them. Floats take
/// only those IEEE 754 makes exact for every input, NaN, infinities and signed zeros included:
/// <c>x*1</c>, <c>x/1</c>, <c>x+(-0.0)</c>, <c>x-0.0</c> are <c>x</c> and <c>x*(-1)</c> is <c>-x</c>;
/// never <c>x+0.0</c> (<c>-0.0+0.0</c> is <c>+0.0</c>) nor <c>x*0</c> (NaN, infinities, sign), nor
/// <c>x-x</c>. (Exact up to the sign and payload of a NaN, which IEEE 754 leaves unspecified for
/// arithmetic: <c>NaN*(-1)</c> may keep the sign that <c>-NaN</c> flips.) A result replaces the
/// instruction only when it has the instruction's stack kind. For both, <c>x+(-y)</c> is <c>x-y</c> and
/// <c>x-(-y)</c> is <c>x+y</c> (IEEE 754 defines subtraction as addition of the negation; two's complement
/// wraps alike), which removes the negations reverse sweeps leave on adjoints of subtractions.
/// </summary>
public sealed class SimplifyAlgebra : IIrPass
{
    public string Name => "SimplifyAlgebra";

    public bool Run(IrMethod method)
    {
        var changed = false;
        foreach (var instruction in method.Blocks.SelectMany(b => b.Instructions).ToList())
        {
            if (instruction.Block == null)
                continue;
            var simplified = Simplify(method, instruction);
            if (simplified == null || method.Types.KindOf(simplified.Type) != method.Types.KindOf(instruction.Type))
                continue;
            IrEdits.Replace(instruction, simplified);
            changed = true;
        }
        return changed;
    }

    private static Value? Simplify(IrMethod method, Instruction instruction)
    {
        var kind = method.Types.KindOf(instruction.Type);
        switch (instruction.Opcode)
        {
            case Opcode.Neg or Opcode.Not:
                // -(-x) and ~~x are x bit for bit (negation flips the sign bit of floats, NaN included).
                return instruction.Operands[0] is Instruction inner && inner.Opcode == instruction.Opcode ? inner.Operands[0] : null;
            case Opcode.Add or Opcode.Sub when instruction.Operands[1] is Instruction { Opcode: Opcode.Neg } negated
                && method.Types.KindOf(negated.Operands[0].Type) == kind && method.Types.KindOf(instruction.Operands[0].Type) == kind:
                return new IrBuilder(method) { DebugLocation = instruction.DebugLocation }.Before(instruction)
                    .Binary(instruction.Opcode == Opcode.Add ? Opcode.Sub : Opcode.Add, instruction.Operands[0], negated.Operands[0]);
            case Opcode.Add or Opcode.Sub or Opcode.Mul or Opcode.Div or Opcode.DivUn or Opcode.Rem or Opcode.RemUn
                or Opcode.And or Opcode.Or or Opcode.Xor or Opcode.Shl or Opcode.Shr or Opcode.ShrUn:
                return kind switch
                {
                    StackKind.Float32 or StackKind.Float64 => SimplifyFloat(instruction),
                    StackKind.Int32 or StackKind.Int64 or StackKind.NativeInt => SimplifyInteger(method, instruction, kind),
                    _ => null,
                };
            default:
                return null;
        }
    }

    private static Value? SimplifyInteger(IrMethod method, Instruction instruction, StackKind kind)
    {
        var x = instruction.Operands[0];
        var y = instruction.Operands[1];
        var left = IntegerOf(x);
        var right = IntegerOf(y);
        Value? Zero() => kind switch { StackKind.Int32 => method.Int32(0), StackKind.Int64 => method.Int64(0), _ => null };
        switch (instruction.Opcode)
        {
            case Opcode.Add or Opcode.Or or Opcode.Xor when right == 0:
            case Opcode.Sub or Opcode.Shl or Opcode.Shr or Opcode.ShrUn when right == 0:
            case Opcode.Mul or Opcode.Div or Opcode.DivUn when right == 1:
            case Opcode.And when right == -1:
                return x;
            case Opcode.Add or Opcode.Or or Opcode.Xor when left == 0:
            case Opcode.Mul when left == 1:
            case Opcode.And when left == -1:
                return y;
            case Opcode.Mul or Opcode.And when right == 0 || left == 0:
            case Opcode.Rem or Opcode.RemUn when right == 1:
                return Zero();
            case Opcode.Sub or Opcode.Xor when ReferenceEquals(x, y):
                return Zero();
            case Opcode.And or Opcode.Or when ReferenceEquals(x, y):
                return x;
            case Opcode.Mul when right == -1:
                return Negate(instruction, x);
            case Opcode.Mul when left == -1:
                return Negate(instruction, y);
            default:
                return null;
        }
    }

    private static Value? SimplifyFloat(Instruction instruction)
    {
        var x = instruction.Operands[0];
        var y = instruction.Operands[1];
        var left = FloatOf(x);
        var right = FloatOf(y);
        switch (instruction.Opcode)
        {
            case Opcode.Mul or Opcode.Div when right == 1:
            case Opcode.Add when IsNegativeZero(right):
            case Opcode.Sub when IsPositiveZero(right):
                return x;
            case Opcode.Mul when left == 1:
            case Opcode.Add when IsNegativeZero(left):
                return y;
            case Opcode.Mul when right == -1:
                return Negate(instruction, x);
            case Opcode.Mul when left == -1:
                return Negate(instruction, y);
            default:
                return null;
        }
    }

    /// <summary>A <c>neg</c> of <paramref name="operand"/> inserted before <paramref name="instruction"/>, if it has its stack kind.</summary>
    private static Instruction? Negate(Instruction instruction, Value operand)
    {
        var method = instruction.Block!.Method;
        if (method.Types.KindOf(operand.Type) != method.Types.KindOf(instruction.Type))
            return null;
        return new IrBuilder(method) { DebugLocation = instruction.DebugLocation }.Before(instruction).Neg(operand);
    }

    private static long? IntegerOf(Value value) => value is Constant { Payload: int or long } c ? System.Convert.ToInt64(c.Payload) : null;

    private static double? FloatOf(Value value) => value switch
    {
        Constant { Payload: double d } => d,
        Constant { Payload: float f } => f,
        _ => null,
    };

    private static bool IsNegativeZero(double? value) => value is 0 && System.BitConverter.DoubleToInt64Bits(value.Value) < 0;

    private static bool IsPositiveZero(double? value) => value is 0 && System.BitConverter.DoubleToInt64Bits(value.Value) == 0;
}
