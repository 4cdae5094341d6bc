using System;
using System.Collections.Generic;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Autodiff.Weaver.Ir;

/// <summary>
/// The only way to create instructions: appends at the end of a block or inserts before an instruction,
/// and computes result types from the operands (ECMA-335 typing, floats kept apart).
/// </summary>
public sealed partial class IrBuilder
{
    private Block? block;
    private int insertIndex = -1;

    public IrBuilder(IrMethod method) => Method = method;

    public IrMethod Method { get; }

    public IrTypes Types => Method.Types;

    public Block Block => block ?? throw new InvalidOperationException("The builder has no insertion point.");

    /// <summary>Location attached to every instruction created from now on.</summary>
    public SequencePoint? DebugLocation { get; set; }

    public IrBuilder AtEnd(Block target)
    {
        block = target;
        insertIndex = -1;
        return this;
    }

    /// <summary>Inserts before <paramref name="instruction"/> (which stays after everything inserted).</summary>
    public IrBuilder Before(Instruction instruction)
    {
        block = instruction.Block ?? throw new InvalidOperationException("The instruction is not in a block.");
        insertIndex = block.Instructions.IndexOf(instruction);
        return this;
    }

    /// <summary>Inserts after the phis of <paramref name="target"/>.</summary>
    public IrBuilder AfterPhis(Block target)
    {
        block = target;
        insertIndex = 0;
        while (insertIndex < target.Instructions.Count && target.Instructions[insertIndex].Opcode == Opcode.Phi)
            insertIndex++;
        return this;
    }

    /// <summary>Creates any instruction; the typed helpers below are preferred.</summary>
    public Instruction Emit(Opcode opcode, TypeReference type, params Value[] operands)
    {
        var instruction = new Instruction(opcode, type, operands) { DebugLocation = DebugLocation };
        var target = Block;
        instruction.Block = target;
        if (insertIndex < 0)
        {
            target.Instructions.Add(instruction);
        }
        else
        {
            target.Instructions.Insert(insertIndex, instruction);
            insertIndex++;
        }
        return instruction;
    }

    /// <summary>A phi at the start of <paramref name="target"/>, with no incoming values yet.</summary>
    public Instruction Phi(Block target, TypeReference type)
    {
        var instruction = new Instruction(Opcode.Phi, type, Array.Empty<Value>()) { Block = target };
        var index = 0;
        while (index < target.Instructions.Count && target.Instructions[index].Opcode == Opcode.Phi)
            index++;
        target.Instructions.Insert(index, instruction);
        if (ReferenceEquals(target, block) && insertIndex >= index)
            insertIndex++;
        return instruction;
    }

    public Instruction Binary(Opcode opcode, Value left, Value right)
    {
        var type = opcode is Opcode.Shl or Opcode.Shr or Opcode.ShrUn
            ? Types.TypeOf(Types.KindOf(left.Type))
            : Types.BinaryResult(left.Type, right.Type);
        return Emit(opcode, type, left, right);
    }

    public Instruction Add(Value left, Value right) => Binary(Opcode.Add, left, right);
    public Instruction Sub(Value left, Value right) => Binary(Opcode.Sub, left, right);
    public Instruction Mul(Value left, Value right) => Binary(Opcode.Mul, left, right);
    public Instruction Div(Value left, Value right) => Binary(Opcode.Div, left, right);

    public Instruction Neg(Value operand) => Emit(Opcode.Neg, Types.TypeOf(Types.KindOf(operand.Type)), operand);
    public Instruction Not(Value operand) => Emit(Opcode.Not, Types.TypeOf(Types.KindOf(operand.Type)), operand);

    public Instruction Compare(ComparePredicate predicate, Value left, Value right)
    {
        var instruction = Emit(Opcode.Compare, Types.Int32, left, right);
        instruction.Predicate = predicate;
        return instruction;
    }

    public Instruction Convert(Value operand, TypeReference target, InstructionFlags flags = InstructionFlags.None)
    {
        var instruction = Emit(Opcode.Convert, target, operand);
        instruction.TypeOperand = target;
        instruction.Flags = flags;
        return instruction;
    }

    /// <summary>A stack slot (a local whose address is taken), placed in the entry block.</summary>
    public Instruction StackSlot(TypeReference type, string? name, bool pinned = false)
    {
        var entry = Method.Entry;
        var instruction = new Instruction(Opcode.StackSlot, IrTypes.ByReference(type), Array.Empty<Value>())
        {
            Block = entry,
            TypeOperand = type,
            Name = name,
            Flags = pinned ? InstructionFlags.Pinned : InstructionFlags.None,
        };
        var index = 0;
        while (index < entry.Instructions.Count && entry.Instructions[index].Opcode is Opcode.Phi or Opcode.StackSlot)
            index++;
        entry.Instructions.Insert(index, instruction);
        if (ReferenceEquals(entry, block) && insertIndex >= index)
            insertIndex++;
        return instruction;
    }

    public Instruction Load(Value address, TypeReference type)
    {
        var instruction = Emit(Opcode.Load, type, address);
        instruction.TypeOperand = type;
        return instruction;
    }

    public Instruction Store(Value address, Value value, TypeReference type)
    {
        var instruction = Emit(Opcode.Store, Types.Void, address, value);
        instruction.TypeOperand = type;
        return instruction;
    }

    public Instruction LoadElement(Value array, Value index, TypeReference elementType)
    {
        var instruction = Emit(Opcode.LoadElement, elementType, array, index);
        instruction.TypeOperand = elementType;
        return instruction;
    }

    public Instruction StoreElement(Value array, Value index, Value value, TypeReference elementType)
    {
        var instruction = Emit(Opcode.StoreElement, Types.Void, array, index, value);
        instruction.TypeOperand = elementType;
        return instruction;
    }

    public Instruction ElementAddress(Value array, Value index, TypeReference elementType)
    {
        var instruction = Emit(Opcode.ElementAddress, IrTypes.ByReference(elementType), array, index);
        instruction.TypeOperand = elementType;
        return instruction;
    }

    public Instruction ArrayLength(Value array) => Emit(Opcode.ArrayLength, Types.IntPtr, array);

    public Instruction NewArray(TypeReference elementType, Value length)
    {
        var instruction = Emit(Opcode.NewArray, new ArrayType(elementType), length);
        instruction.TypeOperand = elementType;
        return instruction;
    }

    public Instruction LoadField(Value instance, FieldReference field) =>
        WithMember(Emit(Opcode.LoadField, field.FieldType, instance), field);

    public Instruction StoreField(Value instance, FieldReference field, Value value) =>
        WithMember(Emit(Opcode.StoreField, Types.Void, instance, value), field);

    public Instruction FieldAddress(Value instance, FieldReference field) =>
        WithMember(Emit(Opcode.FieldAddress, IrTypes.ByReference(field.FieldType), instance), field);

    public Instruction LoadStaticField(FieldReference field) =>
        WithMember(Emit(Opcode.LoadStaticField, field.FieldType), field);

    public Instruction StoreStaticField(FieldReference field, Value value) =>
        WithMember(Emit(Opcode.StoreStaticField, Types.Void, value), field);

    public Instruction StaticFieldAddress(FieldReference field) =>
        WithMember(Emit(Opcode.StaticFieldAddress, IrTypes.ByReference(field.FieldType)), field);

    /// <summary>A call; <paramref name="returnType"/> is the method's return type with generic arguments substituted.</summary>
    public Instruction Call(MethodReference method, TypeReference returnType, IReadOnlyList<Value> arguments, bool isVirtual = false, TypeReference? constrained = null)
    {
        var instruction = Emit(isVirtual ? Opcode.CallVirtual : Opcode.Call, returnType, ToArray(arguments));
        instruction.Member = method;
        instruction.TypeOperand = constrained;
        return instruction;
    }

    public Instruction NewObject(MethodReference constructor, IReadOnlyList<Value> arguments) =>
        WithMember(Emit(Opcode.NewObject, constructor.DeclaringType, ToArray(arguments)), constructor);

    public Instruction Branch(Block target)
    {
        var instruction = Emit(Opcode.Branch, Types.Void);
        instruction.Targets = new[] { target };
        return instruction;
    }

    public Instruction BranchIf(Value condition, Block whenNonZero, Block whenZero)
    {
        var instruction = Emit(Opcode.BranchIf, Types.Void, condition);
        instruction.Targets = new[] { whenNonZero, whenZero };
        return instruction;
    }

    public Instruction Switch(Value index, IReadOnlyList<Block> cases, Block fallThrough)
    {
        var instruction = Emit(Opcode.Switch, Types.Void, index);
        var targets = new List<Block>(cases) { fallThrough };
        instruction.Targets = targets.ToArray();
        return instruction;
    }

    public Instruction Return(Value? value) =>
        value == null ? Emit(Opcode.Return, Types.Void) : Emit(Opcode.Return, Types.Void, value);

    public Instruction Leave(Block target)
    {
        var instruction = Emit(Opcode.Leave, Types.Void);
        instruction.Targets = new[] { target };
        return instruction;
    }

    private static Instruction WithMember(Instruction instruction, MemberReference member)
    {
        instruction.Member = member;
        return instruction;
    }

    private static Value[] ToArray(IReadOnlyList<Value> values)
    {
        var array = new Value[values.Count];
        for (var i = 0; i < array.Length; i++)
            array[i] = values[i];
        return array;
    }
}
