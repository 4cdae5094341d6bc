using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Reverse;

/// <summary>A tape for acyclic code, where every block runs at most once: one stack slot, nothing allocated.</summary>
public sealed class SlotTape : IValueTape
{
    private readonly Instruction slot;
    private readonly TypeReference type;

    public SlotTape(IrBuilder builder, TypeReference type, string? name)
    {
        this.type = type;
        slot = builder.StackSlot(type, name);
    }

    public Block? PushBlock { get; private set; }

    public void Push(IrBuilder builder, Value value)
    {
        PushBlock = builder.Block;
        builder.Store(slot, value, type);
    }

    public Value Peek(IrBuilder builder) => builder.Load(slot, type);

    /// <summary>Nothing to do: the slot is written once.</summary>
    public void Pop(IrBuilder builder)
    {
    }

    /// <summary>Nothing to do: the slot is the derivative's own local.</summary>
    public void Release(IrBuilder builder)
    {
    }
}
