using System.Collections.Generic;
using Autodiff.Weaver.Ir;
using CilInstruction = Mono.Cecil.Cil.Instruction;

namespace Autodiff.Weaver.Backend;

/// <summary>
/// A block of the CIL being produced: either an IR block, or a block created on a critical edge to hold the
/// phi copies of that edge (then <see cref="Source"/> is null and <see cref="EdgeFrom"/>/<see cref="EdgeTo"/> name it).
/// </summary>
internal sealed class LoweredBlock
{
    public LoweredBlock(Block source)
    {
        Source = source;
        Region = source.Region;
    }

    public LoweredBlock(Block edgeFrom, Block edgeTo)
    {
        EdgeFrom = edgeFrom;
        EdgeTo = edgeTo;
        Region = edgeFrom.Region;
    }

    public Block? Source { get; }

    public Block? EdgeFrom { get; }

    public Block? EdgeTo { get; }

    /// <summary>Innermost region; an edge block lies in the region of the branch it splits (branches stay inside a region).</summary>
    public Region? Region { get; }

    /// <summary>Normal control-flow successors, in the order of the branch targets.</summary>
    public List<LoweredBlock> Successors { get; } = new();

    /// <summary>The CIL of this block, once emitted.</summary>
    public List<CilInstruction> Code { get; } = new();
}
