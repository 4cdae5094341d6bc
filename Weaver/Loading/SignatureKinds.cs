// Linked into the generator with ActivityKind.cs: the shared signature rules (Shared/) speak these enums.
namespace Autodiff.Weaver.Loading;

public enum DerivativeParameterKind
{
    /// <summary>A primal argument passed through (including <c>this</c>).</summary>
    Primal,
    /// <summary>The shadow (reverse) or tangent (forward) of a primal argument, one per lane.</summary>
    Shadow,
    /// <summary>Reverse mode: the seed of an Active/ActiveOnly return value, one per lane.</summary>
    Seed,
}

/// <summary>The C# modifier of a by-reference parameter; CIL types them all <c>T&amp;</c>.</summary>
public enum ParameterRefKind { None, Ref, In, Out }

public enum DerivativeResultKind
{
    /// <summary>The primal's return value.</summary>
    PrimalValue,
    /// <summary>Reverse mode: the gradient of an Active parameter.</summary>
    Gradient,
    /// <summary>Forward mode: the tangent of a Dual/DualOnly return value.</summary>
    Tangent,
}
