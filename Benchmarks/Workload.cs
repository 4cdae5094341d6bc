using System;

namespace Autodiff.Benchmarks;

/// <summary>
/// One benchmark problem with the methods compared on it. Every method works on state prepared in the constructor,
/// so a call allocates only what the method itself allocates. A method that does not exist for this problem
/// (no woven derivative yet, no hand-written Jacobian) is null.
/// </summary>
public abstract class Workload
{
    /// <summary>Short name printed in quick mode, e.g. "gmm_d10_K25".</summary>
    public abstract string Name { get; }

    /// <summary>Number of partial derivatives one gradient (or Jacobian) call produces, counted by input direction.</summary>
    public abstract long Partials { get; }

    /// <summary>The plain objective.</summary>
    public abstract Action Primal { get; }

    /// <summary>The hand-written derivative.</summary>
    public abstract Action? Manual { get; }

    /// <summary>The derivative the weaver generated.</summary>
    public abstract Action? Woven { get; }

    /// <summary>The plain central-difference loop over a strided subset of <see cref="SubsetPartials"/> partials.</summary>
    public abstract Action CentralSubset { get; }

    /// <summary>MathNet.Numerics finite differences over the same subset.</summary>
    public abstract Action? MathNetSubset { get; }

    /// <summary>How many partials the subset methods compute; their times are scaled by Partials / SubsetPartials.</summary>
    public abstract long SubsetPartials { get; }

    /// <summary>Checks every method above against golden values or the manual derivative; throws on disagreement.</summary>
    public abstract string Verify();
}
