using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Analysis;

/// <summary>
/// A read or write of one float or double in memory: <c>ldelem</c>/<c>stelem</c> on a rank-1 array,
/// <c>Get</c>/<c>Set</c> on a multi-dimensional one (<see cref="Indices"/> set), <c>ldind</c>/<c>stind</c>
/// through an address, or <c>ldfld</c>/<c>stfld</c> (<see cref="Indices"/> empty). <see cref="Pointer"/> is the
/// array, the address or the object (for a field of a struct value, that value: not memory);
/// its shadow is where the derivative lives.
/// </summary>
public sealed record MemoryAccess(Instruction Instruction, Value Pointer, IReadOnlyList<Value> Indices, Value? StoredValue, TypeReference ValueType)
{
    public bool IsStore => StoredValue != null;

    /// <summary>The field a <c>ldfld</c>/<c>stfld</c> reads or writes; null for other accesses.</summary>
    public FieldReference? Field => Instruction.Member as FieldReference;

    /// <summary>The access <paramref name="instruction"/> makes, or null when it is not a load or store of a float or double.</summary>
    public static MemoryAccess? Of(Instruction instruction)
    {
        var operands = instruction.Operands;
        if (ArrayMethod(instruction) is { } method)
        {
            var array = (ArrayType)method.DeclaringType;
            if (!IsFloating(array.ElementType))
                return null;
            return method.Name switch
            {
                "Get" => new MemoryAccess(instruction, operands[0], operands.Skip(1).ToList(), null, array.ElementType),
                "Set" => new MemoryAccess(instruction, operands[0], operands.Skip(1).Take(operands.Count - 2).ToList(), operands[operands.Count - 1], array.ElementType),
                _ => null,
            };
        }
        if (instruction.Opcode is Opcode.LoadField or Opcode.StoreField && instruction.Member is FieldReference field)
        {
            var fieldType = DifferentiableStruct.FieldType(field);
            if (!IsFloating(fieldType))
                return null;
            return instruction.Opcode == Opcode.LoadField
                ? new MemoryAccess(instruction, operands[0], System.Array.Empty<Value>(), null, fieldType)
                : new MemoryAccess(instruction, operands[0], System.Array.Empty<Value>(), operands[1], fieldType);
        }
        var type = instruction.TypeOperand;
        if (type == null || !IsFloating(type))
            return null;
        return instruction.Opcode switch
        {
            Opcode.LoadElement => new MemoryAccess(instruction, operands[0], new[] { operands[1] }, null, type),
            Opcode.StoreElement => new MemoryAccess(instruction, operands[0], new[] { operands[1] }, operands[2], type),
            Opcode.Load => new MemoryAccess(instruction, operands[0], System.Array.Empty<Value>(), null, type),
            Opcode.Store => new MemoryAccess(instruction, operands[0], System.Array.Empty<Value>(), operands[1], type),
            _ => null,
        };
    }

    /// <summary>The runtime-provided <c>Get</c>/<c>Set</c>/<c>Address</c> of a multi-dimensional array <paramref name="instruction"/> calls, or null.</summary>
    public static MethodReference? ArrayMethod(Instruction instruction) =>
        instruction.Opcode == Opcode.Call && instruction.Member is MethodReference { DeclaringType: ArrayType } method ? method : null;

    private static bool IsFloating(TypeReference type) => type.MetadataType is MetadataType.Double or MetadataType.Single;
}
