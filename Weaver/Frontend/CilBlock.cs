using System.Collections.Generic;
using Autodiff.Weaver.Ir;
using CilInstruction = Mono.Cecil.Cil.Instruction;

namespace Autodiff.Weaver.Frontend;

/// <summary>A basic block of the CIL body: a leader and the instructions up to the next leader.</summary>
internal sealed class CilBlock
{
    public CilBlock(CilInstruction first) => First = first;

    public CilInstruction First { get; }

    public List<CilInstruction> Instructions { get; } = new();

    public CilInstruction Last => Instructions[Instructions.Count - 1];

    /// <summary>Normal successors, each once, in branch-target order (fall-through last).</summary>
    public List<CilBlock> Successors { get; } = new();

    /// <summary>Reachable normal predecessors, each once.</summary>
    public List<CilBlock> Predecessors { get; } = new();

    /// <summary>Innermost try, handler or filter containing the block; null for the method body.</summary>
    public CilRange? Range { get; set; }

    public bool IsReachable { get; set; }

    /// <summary>The IR block this block is lifted into.</summary>
    public Block? Target { get; set; }
}
