using Autodiff.Weaver.Ir;

namespace Autodiff.Weaver.Differentiation.Reverse;

/// <summary>
/// Where the reverse sweep keeps adjoints (x̄ per primal value and lane). Straight-line code keeps them
/// as SSA values (<see cref="SsaAdjoints"/>); loops will need adjoints that live in memory across iterations.
/// </summary>
public interface IAdjointAccumulator
{
    /// <summary>x̄ += <paramref name="contribution"/>, emitted at the builder's insertion point.</summary>
    void Add(Value primal, int lane, Value contribution);

    /// <summary>The adjoint accumulated so far, or null when nothing has flowed into it.</summary>
    Value? Read(Value primal, int lane);
}
