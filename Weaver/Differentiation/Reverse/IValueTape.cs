using Autodiff.Weaver.Ir;

namespace Autodiff.Weaver.Differentiation.Reverse;

/// <summary>
/// Where the forward sweep leaves a value for the reverse sweep: pushed once per execution of its block,
/// read (peeked) by reverse blocks, popped once by its own block's reverse. Reverse blocks run in exactly
/// the reverse order of the forward blocks, so a stack discipline hands each of them its own execution's value.
/// </summary>
public interface IValueTape
{
    /// <summary>The derivative's block that pushes (the copy of the value's block); null before the push is emitted.</summary>
    Block? PushBlock { get; }

    void Push(IrBuilder builder, Value value);

    Value Peek(IrBuilder builder);

    void Pop(IrBuilder builder);

    /// <summary>Gives the storage back on the derivative's exit.</summary>
    void Release(IrBuilder builder);
}
