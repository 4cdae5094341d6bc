using Autodiff.Weaver.Ir;

namespace Autodiff.Weaver.Optimization;

/// <summary>
/// One transformation of a method's SSA IR (ILSpy's transform idea: one small interface). A pass keeps
/// the IR valid for <see cref="IrVerifier"/> and never fails on valid IR: what it cannot prove safe, it
/// leaves alone.
/// </summary>
public interface IIrPass
{
    /// <summary>Name used in dumps and by <c>adweave inspect --after</c>.</summary>
    string Name { get; }

    /// <summary>Transforms <paramref name="method"/> in place; true when anything changed.</summary>
    bool Run(IrMethod method);
}
