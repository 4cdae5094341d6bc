using System.Linq;
using Autodiff.Weaver.Ir;

namespace Autodiff.Weaver.Optimization;

/// <summary>
/// Replaces arithmetic, comparisons, conversions and <c>ckfinite</c> whose operands are constants by
/// their result, computed with the CLR's semantics by <see cref="ConstantEvaluator"/>. What would throw
/// at run time stays, so the exception still happens where it did.
/// </summary>
public sealed class FoldConstants : IIrPass
{
    public string Name => "FoldConstants";

    public bool Run(IrMethod method)
    {
        var changed = false;
        foreach (var instruction in method.Blocks.SelectMany(b => b.Instructions).ToList())
        {
            if (instruction.Operands.Count == 0 || !instruction.Operands.All(o => o is Constant))
                continue;
            var result = Evaluate(instruction);
            var constant = result == null ? null : ConstantOf(method, instruction, result);
            if (constant == null)
                continue;
            IrEdits.Replace(instruction, constant);
            changed = true;
        }
        return changed;
    }

    private static object? Evaluate(Instruction instruction)
    {
        var operands = instruction.Operands.Select(o => ((Constant)o).Payload).ToArray();
        switch (instruction.Opcode)
        {
            case Opcode.Add or Opcode.Sub or Opcode.Mul or Opcode.Div or Opcode.DivUn or Opcode.Rem or Opcode.RemUn
                or Opcode.AddOvf or Opcode.AddOvfUn or Opcode.SubOvf or Opcode.SubOvfUn or Opcode.MulOvf or Opcode.MulOvfUn
                or Opcode.And or Opcode.Or or Opcode.Xor or Opcode.Shl or Opcode.Shr or Opcode.ShrUn:
                return ConstantEvaluator.Binary(instruction.Opcode, operands[0], operands[1]);
            case Opcode.Neg or Opcode.Not:
                return ConstantEvaluator.Unary(instruction.Opcode, operands[0]);
            case Opcode.Compare:
                return ConstantEvaluator.Compare(instruction.Predicate, operands[0], operands[1]);
            case Opcode.Convert:
                return ConstantEvaluator.Convert(operands[0], instruction.TypeOperand!.MetadataType, instruction.Flags);
            case Opcode.CheckFinite:
                return operands[0] switch
                {
                    double d when !double.IsNaN(d) && !double.IsInfinity(d) => d,
                    float f when !float.IsNaN(f) && !float.IsInfinity(f) => f,
                    _ => null,
                };
            default:
                return null;
        }
    }

    /// <summary>The constant of <paramref name="instruction"/>'s stack kind holding <paramref name="payload"/>, if the IR has one.</summary>
    private static Constant? ConstantOf(IrMethod method, Instruction instruction, object payload)
    {
        var type = instruction.Type;
        return (method.Types.KindOf(type), payload) switch
        {
            (StackKind.Int32, int i) when type.MetadataType == Mono.Cecil.MetadataType.Boolean && i is 0 or 1 => method.Boolean(i == 1),
            (StackKind.Int32, int i) => method.Int32(i),
            (StackKind.Int64, long l) => method.Int64(l),
            (StackKind.Float32, float f) => method.Float32(f),
            (StackKind.Float64, double d) => method.Float64(d),
            _ => null,
        };
    }
}
