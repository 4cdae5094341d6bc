using System;
using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Analysis;
using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Memory;

/// <summary>
/// Reads and writes of shadow memory, mirroring a primal access: the shadow of an array parameter is its
/// shadow parameter, the shadow of <c>a[i]</c> is <c>da[i]</c> (of <c>a[i, j]</c>, <c>da[i, j]</c>), the shadow
/// of a jagged <c>a[i][j]</c> is <c>da[i][j]</c> and the shadow of a <c>ref</c> parameter is its shadow
/// reference (Enzyme's shadow pointers). Indices come from <c>available</c>: the copies in forward mode,
/// taped values in reverse.
/// </summary>
public sealed class ShadowMemory
{
    private readonly DerivativeFrame frame;

    public ShadowMemory(DerivativeFrame frame, ShadowedMemory shadowed)
    {
        this.frame = frame;
        Shadowed = shadowed;
    }

    public ShadowedMemory Shadowed { get; }

    private IrBuilder Builder => frame.Builder;

    /// <summary>The primal values (indices) rebuilding <paramref name="access"/>'s shadow pointer reads.</summary>
    public static IEnumerable<Value> AddressInputs(MemoryAccess access)
    {
        var inputs = new List<Value>(access.Indices);
        var pointer = access.Pointer;
        while (pointer is Instruction instruction && PointerStep(instruction))
        {
            inputs.AddRange(instruction.Operands.Skip(1));
            pointer = instruction.Operands[0];
        }
        return inputs;
    }

    /// <summary>The shadow of the value <paramref name="access"/> reads, in one lane.</summary>
    public Value Load(MemoryAccess access, int lane, Func<Value, Value> available)
    {
        var shadow = Pointer(access.Pointer, lane, available);
        var indices = access.Indices.Select(available).ToList();
        return access.Instruction.Opcode switch
        {
            Opcode.LoadElement => Builder.LoadElement(shadow, indices[0], access.ValueType),
            Opcode.Load => Builder.Load(shadow, access.ValueType),
            _ => Builder.Call(MemoryAccess.ArrayMethod(access.Instruction)!, access.ValueType, indices.Prepend(shadow).ToList()),
        };
    }

    /// <summary>Overwrites the shadow of the value <paramref name="access"/> writes with <paramref name="value"/>.</summary>
    public void Store(MemoryAccess access, int lane, Value value, Func<Value, Value> available)
    {
        value = DerivativeArithmetic.Coerce(Builder, value, access.ValueType);
        var shadow = Pointer(access.Pointer, lane, available);
        var indices = access.Indices.Select(available).ToList();
        switch (access.Instruction.Opcode)
        {
            case Opcode.StoreElement:
                Builder.StoreElement(shadow, indices[0], value, access.ValueType);
                break;
            case Opcode.Store:
                Builder.Store(shadow, value, access.ValueType);
                break;
            default:
                Builder.Call(MemoryAccess.ArrayMethod(access.Instruction)!, Builder.Types.Void, indices.Prepend(shadow).Append(value).ToList());
                break;
        }
    }

    /// <summary>shadow += <paramref name="contribution"/> through one address (<c>ref double d = ref da[i]; d += c</c>).</summary>
    public void Add(MemoryAccess access, int lane, Value contribution, Func<Value, Value> available)
    {
        var address = Address(access, lane, available);
        var sum = Builder.Add(Builder.Load(address, access.ValueType), DerivativeArithmetic.Coerce(Builder, contribution, access.ValueType));
        Builder.Store(address, sum, access.ValueType);
    }

    /// <summary>Reads the shadow (a consumed seed) and zeroes it through one address: the reverse of a store.</summary>
    public Value Take(MemoryAccess access, int lane, Func<Value, Value> available)
    {
        var address = Address(access, lane, available);
        var value = Builder.Load(address, access.ValueType);
        Builder.Store(address, DerivativeArithmetic.Zero(Builder, access.ValueType), access.ValueType);
        return value;
    }

    // Steps from an address or inner array to the array it lies in: a[i] as an address or a jagged row, a[i, j]'s address.
    private static bool PointerStep(Instruction instruction) =>
        instruction.Opcode is Opcode.ElementAddress or Opcode.LoadElement || MemoryAccess.ArrayMethod(instruction) is { Name: "Address" };

    private Value Address(MemoryAccess access, int lane, Func<Value, Value> available)
    {
        var shadow = Pointer(access.Pointer, lane, available);
        var indices = access.Indices.Select(available).ToList();
        return access.Instruction.Opcode switch
        {
            Opcode.LoadElement or Opcode.StoreElement => Builder.ElementAddress(shadow, indices[0], access.ValueType),
            Opcode.Load or Opcode.Store => shadow,
            _ => Builder.Call(AddressMethod((ArrayType)MemoryAccess.ArrayMethod(access.Instruction)!.DeclaringType), IrTypes.ByReference(access.ValueType), indices.Prepend(shadow).ToList()),
        };
    }

    /// <summary>The runtime-provided <c>T&amp; T[,…]::Address(int, …)</c> of a multi-dimensional array type.</summary>
    private static MethodReference AddressMethod(ArrayType array)
    {
        var method = new MethodReference("Address", IrTypes.ByReference(array.ElementType), array) { HasThis = true };
        for (var i = 0; i < array.Rank; i++)
            method.Parameters.Add(new ParameterDefinition(array.Module.TypeSystem.Int32));
        return method;
    }

    private Value Pointer(Value primal, int lane, Func<Value, Value> available)
    {
        if (primal is Parameter parameter)
        {
            return frame.Shadow(parameter.Index, lane)
                ?? throw new InvalidOperationException($"Parameter {parameter.Name} is shadowed memory but has no shadow parameter.");
        }
        var step = (Instruction)primal;
        var shadow = Pointer(step.Operands[0], lane, available);
        var indices = step.Operands.Skip(1).Select(available).ToList();
        return step.Opcode switch
        {
            Opcode.ElementAddress => Builder.ElementAddress(shadow, indices[0], step.TypeOperand!),
            Opcode.LoadElement => Builder.LoadElement(shadow, indices[0], step.TypeOperand!),
            _ => Builder.Call((MethodReference)step.Member!, step.Type, indices.Prepend(shadow).ToList()),
        };
    }
}
