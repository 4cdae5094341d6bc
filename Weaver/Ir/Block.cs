using System.Collections.Generic;
using System.Linq;

namespace Autodiff.Weaver.Ir;

/// <summary>A basic block: phis first, one terminator last.</summary>
public sealed class Block
{
    internal Block(IrMethod method, Region? region)
    {
        Method = method;
        Region = region;
    }

    public IrMethod Method { get; }

    /// <summary>Innermost try, handler or filter body containing the block; null for the method body.</summary>
    public Region? Region { get; set; }

    public List<Instruction> Instructions { get; } = new();

    public Instruction? Terminator =>
        Instructions.Count > 0 && Instructions[Instructions.Count - 1].IsTerminator ? Instructions[Instructions.Count - 1] : null;

    public IEnumerable<Instruction> Phis => Instructions.TakeWhile(i => i.Opcode == Opcode.Phi);

    /// <summary>Normal control-flow successors (targets of the terminator).</summary>
    public IReadOnlyList<Block> Successors => Terminator?.Targets ?? System.Array.Empty<Block>();

    /// <summary>Blocks whose terminator targets this block, in block order, each once.</summary>
    public IReadOnlyList<Block> Predecessors =>
        Method.Blocks.Where(b => b.Successors.Contains(this)).ToList();

    /// <summary>
    /// Entries of the handlers (and filters) that an exception raised in this block may reach: those of
    /// every try region enclosing it.
    /// </summary>
    public IEnumerable<Block> ExceptionalSuccessors
    {
        get
        {
            for (var r = Region; r != null; r = r.Parent)
            {
                if (r.Kind != RegionKind.Try)
                    continue;
                foreach (var handler in r.Handlers)
                    yield return handler.Filter?.Entry ?? handler.Entry;
            }
        }
    }
}
