namespace Autodiff;

/// <summary>
/// How one parameter (or the return value) takes part in differentiation. One activity per
/// parameter, in order (<c>this</c> first for instance methods), then one for the return value
/// when it is not <c>void</c>. Reverse mode takes Const, Active, Duplicated and DuplicatedOnly for
/// parameters and Const, Active and ActiveOnly for the return value; forward mode takes Const, Dual and
/// DualOnly everywhere. The full tables are on <see cref="AutodiffAttribute"/>.
/// </summary>
/// <remarks>
/// The name clashes with <c>System.Diagnostics.Activity</c>; files importing both namespaces write
/// <c>using Activity = Autodiff.Activity;</c>.
/// </remarks>
public enum Activity
{
    /// <summary>No derivative: the parameter is passed through unchanged (both modes).</summary>
    Const,

    /// <summary>
    /// Reverse mode, differentiable value (<c>float</c>, <c>double</c>, or a struct whose fields all are): its
    /// gradient is appended to the derivative's result, after the primal value and the gradients of earlier
    /// Active parameters. As a return activity: the derivative takes a last parameter <c>R seed</c> and still
    /// returns the primal value.
    /// </summary>
    Active,

    /// <summary>
    /// Reverse mode, return value only: as <see cref="Active"/>, but the primal value is not returned.
    /// </summary>
    ActiveOnly,

    /// <summary>
    /// Reverse mode, differentiable reference (<c>T[]</c>, spans, <c>ref</c>/<c>in</c>/<c>out</c>, objects):
    /// the derivative takes <c>T p, T' dp</c> right after each other (<c>T'</c>: <c>ReadOnlySpan&lt;T&gt;</c> →
    /// <c>Span&lt;T&gt;</c>, <c>in T</c> → <c>ref T</c>, else <c>T</c>) and <em>adds</em> the gradient into
    /// <c>dp</c>: callers zero shadows before the first call, and k calls add k times the gradient. Where
    /// <c>p</c> is an output, <c>dp</c> holds its seed on entry, and that seed is zeroed once it is consumed.
    /// </summary>
    Duplicated,

    /// <summary>
    /// As <see cref="Duplicated"/>, but the contents of <c>p</c> are unspecified afterwards and primal
    /// outputs through <c>p</c> are not computed.
    /// </summary>
    DuplicatedOnly,

    /// <summary>
    /// Forward mode: the derivative takes <c>T p, T' dp</c>; <c>dp</c> is the tangent, read for inputs and
    /// overwritten for outputs. As a return activity the derivative returns <c>(R value, R tangent)</c>.
    /// </summary>
    Dual,

    /// <summary>
    /// Forward mode: as <see cref="Dual"/>, but <c>p</c>'s contents are unspecified afterwards; as a return
    /// activity the derivative returns only the tangent.
    /// </summary>
    DualOnly,
}
