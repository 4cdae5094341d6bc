namespace Autodiff.Weaver.Differentiation.Calls;

/// <summary>Which half of a callee's split reverse derivative is being built (Enzyme's augmented primal and reverse).</summary>
public enum SplitHalf
{
    /// <summary>Runs the primal once, with its effects, and hands what its reverse needs over on the call record.</summary>
    AugmentedForward,

    /// <summary>Takes that record back, propagates adjoints and accumulates into shadows; runs no primal code.</summary>
    Reverse,
}
