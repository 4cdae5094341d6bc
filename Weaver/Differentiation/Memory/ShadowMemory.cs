using System;
using System.Collections.Generic;
using Autodiff.Weaver.Analysis;
using Autodiff.Weaver.Ir;

namespace Autodiff.Weaver.Differentiation.Memory;

/// <summary>
/// Reads and writes of shadow memory, mirroring a primal access: the shadow of an array parameter is its
/// shadow parameter, the shadow of <c>a[i]</c> is <c>da[i]</c>, the shadow of a jagged <c>a[i][j]</c> is
/// <c>da[i][j]</c> and the shadow of a <c>ref</c> parameter is its shadow reference (Enzyme's shadow
/// pointers). Indices come from <c>available</c>: the copies in forward mode, taped values in reverse.
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
        if (access.Index != null)
            yield return access.Index;
        var pointer = access.Pointer;
        while (pointer is Instruction { Opcode: Opcode.ElementAddress or Opcode.LoadElement } element)
        {
            yield return element.Operands[1];
            pointer = element.Operands[0];
        }
    }

    /// <summary>The shadow of the value <paramref name="access"/> reads or writes, in one lane.</summary>
    public Value Load(MemoryAccess access, int lane, Func<Value, Value> available) => access.Index != null
        ? Builder.LoadElement(Pointer(access.Pointer, lane, available), available(access.Index), access.ValueType)
        : Builder.Load(Pointer(access.Pointer, lane, available), access.ValueType);

    /// <summary>Overwrites the shadow of the value <paramref name="access"/> writes with <paramref name="value"/>.</summary>
    public void Store(MemoryAccess access, int lane, Value value, Func<Value, Value> available)
    {
        value = DerivativeArithmetic.Coerce(Builder, value, access.ValueType);
        if (access.Index != null)
            Builder.StoreElement(Pointer(access.Pointer, lane, available), available(access.Index), value, access.ValueType);
        else
            Builder.Store(Pointer(access.Pointer, lane, available), value, access.ValueType);
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

    private Value Address(MemoryAccess access, int lane, Func<Value, Value> available) => access.Index != null
        ? Builder.ElementAddress(Pointer(access.Pointer, lane, available), available(access.Index), access.ValueType)
        : Pointer(access.Pointer, lane, available);

    private Value Pointer(Value primal, int lane, Func<Value, Value> available) => primal switch
    {
        Parameter parameter => frame.Shadow(parameter.Index, lane)
            ?? throw new InvalidOperationException($"Parameter {parameter.Name} is shadowed memory but has no shadow parameter."),
        Instruction { Opcode: Opcode.ElementAddress } element =>
            Builder.ElementAddress(Pointer(element.Operands[0], lane, available), available(element.Operands[1]), element.TypeOperand!),
        Instruction { Opcode: Opcode.LoadElement } element =>
            Builder.LoadElement(Pointer(element.Operands[0], lane, available), available(element.Operands[1]), element.TypeOperand!),
        _ => throw new InvalidOperationException("Only shadowed memory has a shadow pointer."),
    };
}
