using Autodiff.Weaver.Ir;

namespace Autodiff.Weaver.Differentiation.Bcl;

/// <summary>
/// <c>start + index</c> when <c>(uint)index &lt; (uint)length</c>, else −1: an access through a view (a span window,
/// a list's live elements) outside the view still throws the IndexOutOfRangeException of the array behind it,
/// without a branch for the differentiator to sweep.
/// </summary>
internal static class GuardedIndex
{
    public static Value Of(IrBuilder builder, Value start, Value index, Value length)
    {
        var method = builder.Method;
        var inside = builder.Compare(ComparePredicate.LessUn, index, length);
        return builder.Sub(builder.Mul(builder.Add(builder.Add(start, index), method.Int32(1)), inside), method.Int32(1));
    }
}
