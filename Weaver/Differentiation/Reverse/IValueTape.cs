using Autodiff.Weaver.Ir;

namespace Autodiff.Weaver.Differentiation.Reverse;

/// <summary>
/// Where the forward sweep leaves a value for the reverse sweep: pushed once per execution of its block,
/// read (peeked) by reverse blocks, popped once by its own block's reverse. Reverse blocks run in exactly
/// the reverse order of the forward blocks, so a stack discipline hands each of them its own execution's value.
/// </summary>
public interface IValueTape
{
    void Push(IrBuilder builder, Value value);

    Value Peek(IrBuilder builder);

    void Pop(IrBuilder builder);
}
