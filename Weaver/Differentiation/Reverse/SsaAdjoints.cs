using System.Collections.Generic;
using Autodiff.Weaver.Ir;

namespace Autodiff.Weaver.Differentiation.Reverse;

/// <summary>Adjoints as SSA values: each accumulation is an <c>add</c> whose result becomes the current adjoint.</summary>
public sealed class SsaAdjoints : IAdjointAccumulator
{
    private readonly Dictionary<(Value, int), Value> adjoints = new();
    private readonly IrBuilder builder;

    public SsaAdjoints(IrBuilder builder) => this.builder = builder;

    public void Add(Value primal, int lane, Value contribution)
    {
        adjoints.TryGetValue((primal, lane), out var sum);
        adjoints[(primal, lane)] = DerivativeArithmetic.Sum(builder, sum, contribution);
    }

    public Value? Read(Value primal, int lane) => adjoints.TryGetValue((primal, lane), out var adjoint) ? adjoint : null;
}
