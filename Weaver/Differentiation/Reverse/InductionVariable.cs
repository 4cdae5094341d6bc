using System;
using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Reverse;

/// <summary>
/// A second induction variable of a counted loop, <c>p = φ(init, p + increment)</c> in its header (GMM's
/// <c>lIndex</c> next to <c>j</c>): in iteration <c>counter</c> it is <c>init + (counter − start) / step · increment</c>,
/// so the reverse sweep rebuilds it from the loop's <see cref="ReverseCounter"/> and <c>init</c>, which is needed once
/// per loop entry rather than once per iteration.
/// </summary>
public sealed class InductionVariable
{
    private InductionVariable(ReverseCounter counter, Value init, int increment)
    {
        Counter = counter;
        Init = init;
        Increment = increment;
    }

    public ReverseCounter Counter { get; }

    /// <summary>The value on entry to the loop (the phi's incoming value from the preheader).</summary>
    public Value Init { get; }

    public int Increment { get; }

    /// <summary>The header's int32 phis, other than the counter, that step by a constant on every iteration.</summary>
    public static IEnumerable<(Instruction Phi, InductionVariable Variable)> Find(ReverseCounter counter)
    {
        var loop = counter.Loop;
        foreach (var phi in loop.Header.Phis.Where(p => p != loop.Counter && p.Type.MetadataType == MetadataType.Int32))
        {
            var stepped = phi.Operands[Array.IndexOf(phi.Targets, loop.Latch)];
            if (stepped is Instruction { Opcode: Opcode.Add } add && add.Type.MetadataType == MetadataType.Int32 && add.Operands.Contains(phi)
                && add.Operands.First(o => o != phi) is Constant { Payload: int increment })
            {
                yield return (phi, new InductionVariable(counter, phi.Operands[Array.IndexOf(phi.Targets, loop.Preheader)], increment));
            }
        }
    }

    /// <summary>init + (counter − start) / step · increment at the builder, the operands from <paramref name="reload"/>.</summary>
    public Value Emit(IrBuilder builder, Func<Value, Value> reload)
    {
        var loop = Counter.Loop;
        var method = builder.Method;
        Value steps = builder.Sub(reload(loop.Counter), reload(loop.Start));
        if (loop.Step != 1)
            steps = builder.Div(steps, method.Int32(loop.Step));
        if (Increment != 1)
            steps = builder.Mul(steps, method.Int32(Increment));
        return builder.Add(reload(Init), steps);
    }
}
