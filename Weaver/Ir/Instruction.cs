using System;
using System.Collections.Generic;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Autodiff.Weaver.Ir;

/// <summary>
/// One IR instruction: an <see cref="Opcode"/>, value operands, and a payload whose meaning the opcode
/// defines (see the comments in <see cref="Opcode"/>). Create instructions through <see cref="IrBuilder"/>.
/// </summary>
public sealed class Instruction : Value
{
    private Value[] operands;

    internal Instruction(Opcode opcode, TypeReference type, Value[] operands)
        : base(type)
    {
        Opcode = opcode;
        this.operands = Array.Empty<Value>();
        SetOperands(operands);
    }

    public Opcode Opcode { get; }

    public OpcodeInfo Info => OpcodeInfo.Of(Opcode);

    public Block? Block { get; internal set; }

    public IReadOnlyList<Value> Operands => operands;

    /// <summary>Element, slot, conversion target, token, constrained. or cast type.</summary>
    public TypeReference? TypeOperand { get; set; }

    /// <summary>Method or field referenced by the instruction.</summary>
    public MemberReference? Member { get; set; }

    /// <summary>Signature of a <see cref="Opcode.CallIndirect"/>.</summary>
    public CallSite? Signature { get; set; }

    public ComparePredicate Predicate { get; set; }

    public InstructionFlags Flags { get; set; }

    /// <summary>Alignment given by an unaligned. prefix.</summary>
    public byte Alignment { get; set; }

    /// <summary>Branch targets; for a <see cref="Opcode.Phi"/>, the predecessor each operand comes from.</summary>
    public Block[] Targets { get; set; } = Array.Empty<Block>();

    /// <summary>Source location this instruction was lifted from, kept for the woven PDB.</summary>
    public SequencePoint? DebugLocation { get; set; }

    public bool IsTerminator => Info.IsTerminator;

    public void SetOperand(int index, Value value)
    {
        operands[index].RemoveUse(this, index);
        operands[index] = value;
        value.AddUse(this, index);
    }

    public void SetOperands(IReadOnlyList<Value> values)
    {
        DropOperands();
        operands = new Value[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            operands[i] = values[i];
            values[i].AddUse(this, i);
        }
    }

    /// <summary>Adds an incoming value to a phi.</summary>
    public void AddPhiIncoming(Block predecessor, Value value)
    {
        var values = new List<Value>(operands) { value };
        var blocks = new List<Block>(Targets) { predecessor };
        SetOperands(values);
        Targets = blocks.ToArray();
    }

    /// <summary>Unlinks this instruction from its block and from its operands' use lists.</summary>
    public void Remove()
    {
        DropOperands();
        operands = Array.Empty<Value>();
        Block?.Instructions.Remove(this);
        Block = null;
    }

    private void DropOperands()
    {
        for (var i = 0; i < operands.Length; i++)
            operands[i].RemoveUse(this, i);
    }
}
