using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Analysis;

/// <summary>
/// A read or write of one differentiable value in memory: <c>ldelem</c>/<c>stelem</c> on an array
/// (<see cref="Index"/> set) or <c>ldind</c>/<c>stind</c> through an address (<see cref="Index"/> null).
/// <see cref="Pointer"/> is the array or the address; its shadow is where the derivative lives.
/// </summary>
public sealed record MemoryAccess(Instruction Instruction, Value Pointer, Value? Index, Value? StoredValue, TypeReference ValueType)
{
    public bool IsStore => StoredValue != null;

    /// <summary>The access <paramref name="instruction"/> makes, or null when it is not a load or store of a float or double.</summary>
    public static MemoryAccess? Of(Instruction instruction)
    {
        var type = instruction.TypeOperand;
        if (type == null || !instruction.Block!.Method.Types.IsFloating(type))
            return null;
        var operands = instruction.Operands;
        return instruction.Opcode switch
        {
            Opcode.LoadElement => new MemoryAccess(instruction, operands[0], operands[1], null, type),
            Opcode.StoreElement => new MemoryAccess(instruction, operands[0], operands[1], operands[2], type),
            Opcode.Load => new MemoryAccess(instruction, operands[0], null, null, type),
            Opcode.Store => new MemoryAccess(instruction, operands[0], null, operands[1], type),
            _ => null,
        };
    }
}
