using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Analysis;
using Autodiff.Weaver.Frontend;
using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Memory;

/// <summary>
/// What a constructor of a differentiable struct does, replayed in place of the call, so that <c>new P(x, y)</c>
/// becomes stores into the fields its derivative can follow. Known: the BCL's field-wise constructors
/// (<c>Vector2/3/4</c>, <c>Complex</c>, <c>ValueTuple</c>), whose bodies the weaver may not see, and constructors with IL of one block
/// that computes from its arguments without side effects (arithmetic, <c>Math</c>) and assigns fields of <c>this</c>.
/// </summary>
public static class StructConstructors
{
    private static readonly HashSet<string> FieldWise = new()
    {
        "System.Numerics.Vector2", "System.Numerics.Vector3", "System.Numerics.Vector4", "System.Numerics.Complex",
        "System.ValueTuple`2", "System.ValueTuple`3", "System.ValueTuple`4", "System.ValueTuple`5", "System.ValueTuple`6", "System.ValueTuple`7",
    };

    /// <summary>
    /// Emits what <paramref name="constructor"/> does to the struct at <paramref name="address"/>; false (nothing
    /// emitted) when the constructor is not one of the known kinds.
    /// </summary>
    public static bool TryExpand(MethodReference constructor, IrBuilder builder, Value address, IReadOnlyList<Value> arguments)
    {
        var type = constructor.DeclaringType;
        var fields = DifferentiableStruct.InstanceFields(type);
        if (FieldWise.Contains(OpenName(type)))
        {
            var sameShape = constructor.Parameters.Count == fields.Count
                && constructor.Parameters.Select((p, i) => p.ParameterType.IsGenericParameter || p.ParameterType.FullName == DifferentiableStruct.FieldType(fields[i]).FullName).All(same => same);
            if (!sameShape)
                return false;
            for (var i = 0; i < fields.Count; i++)
                builder.StoreField(address, fields[i], arguments[i]);
            return true;
        }
        if (constructor.Resolve() is not { HasBody: true } definition || !ReferenceEquals(definition.Module, type.Module) || Lift(definition) is not { } body)
            return false;
        var map = new Dictionary<Value, Value> { [body.Parameters[0]] = address };
        for (var i = 1; i < body.Parameters.Count; i++)
            map[body.Parameters[i]] = arguments[i - 1];
        if (!body.Entry.Instructions.All(i => CanReplay(i, body.Parameters[0], map)))
            return false;
        foreach (var instruction in body.Entry.Instructions.Where(i => i.Opcode != Opcode.Return))
        {
            var operands = instruction.Operands.Select(o => Map(o, map, builder.Method)!).ToArray();
            var copy = builder.Emit(instruction.Opcode, instruction.Type, instruction.Opcode == Opcode.StoreField ? new[] { address, operands[1] } : operands);
            copy.TypeOperand = instruction.TypeOperand;
            copy.Member = instruction.Member;
            copy.Predicate = instruction.Predicate;
            copy.Flags = instruction.Flags;
            map[instruction] = copy;
        }
        return true;
    }

    private static string OpenName(TypeReference type) => (type is GenericInstanceType instance ? instance.ElementType : type).FullName;

    private static IrMethod? Lift(MethodDefinition constructor)
    {
        try
        {
            var body = MethodLifter.Lift(constructor);
            return body.Blocks.Count == 1 ? body : null;
        }
        catch (Diagnostics.WeaverException)
        {
            return null;
        }
    }

    // Stores into fields of `this`, side-effect-free computations (Math calls included) of arguments and constants, the return.
    private static bool CanReplay(Instruction instruction, Parameter self, Dictionary<Value, Value> map)
    {
        var operandsKnown = instruction.Operands.All(o => o is Parameter && o != self || o is Instruction || Map(o, map, null) != null);
        return instruction.Opcode switch
        {
            Opcode.Return => true,
            Opcode.StoreField => instruction.Operands[0] == self && operandsKnown && instruction.Operands[1] != self,
            Opcode.Call => instruction.Member is MethodReference { HasThis: false, DeclaringType.FullName: "System.Math" or "System.MathF" } && operandsKnown,
            _ => !instruction.Info.HasSideEffects && instruction.Opcode != Opcode.Phi && operandsKnown,
        };
    }

    /// <summary>The caller's value for a callee's: a mapped parameter or instruction, or the same constant; null for other constants.</summary>
    private static Value? Map(Value value, Dictionary<Value, Value> map, IrMethod? caller) => value switch
    {
        _ when map.TryGetValue(value, out var mapped) => mapped,
        Constant { Payload: double d } => caller?.Float64(d) ?? value,
        Constant { Payload: float f } => caller?.Float32(f) ?? value,
        Constant { Payload: int i } when value.Type.MetadataType == MetadataType.Int32 => caller?.Int32(i) ?? value,
        Constant { Payload: long l } => caller?.Int64(l) ?? value,
        _ => null,
    };
}
