using System;

namespace Autodiff;

/// <summary>
/// Requests a derivative. Form 1, on the primal, names the derivative method in the same type;
/// form 2, on a bodiless stub (<c>extern</c> or <c>partial</c>), names the primal it differentiates.
/// After compilation the weaver synthesizes the derivative's body; a stub it is asked to fill is never left
/// callable un-woven — the build fails with a diagnostic instead.
/// </summary>
/// <remarks>
/// <para><b>Activities.</b> One per parameter, in order (<c>this</c> first for instance methods), then one for
/// the return value when it is not <c>void</c>. A <em>differentiable value</em> is <c>float</c>, <c>double</c>,
/// or a struct whose fields are all differentiable values (e.g. <c>System.Numerics.Vector3</c>). A
/// <em>differentiable reference</em> is <c>T[]</c> (any rank, jagged too), <c>Span&lt;T&gt;</c>,
/// <c>ReadOnlySpan&lt;T&gt;</c>, <c>ref</c>/<c>in</c>/<c>out T</c>, or a class instance with differentiable
/// fields. Integers, <c>bool</c>, enums, <c>string</c> and pointers are only ever <see cref="Activity.Const"/>.</para>
/// <para><b>Reverse mode</b> — the derivative takes each primal parameter in order, each shadow right after
/// its primal:</para>
/// <list type="table">
/// <listheader><term>Activity</term><description>primal parameter → derivative takes; effect</description></listheader>
/// <item><term><see cref="Activity.Const"/></term><description>any <c>T p</c> → <c>T p</c>; no derivative.</description></item>
/// <item><term><see cref="Activity.Active"/></term><description>differentiable value <c>T p</c> → <c>T p</c>; its gradient is appended to the result.</description></item>
/// <item><term><see cref="Activity.Duplicated"/></term><description>differentiable reference <c>T p</c> → <c>T p, T' dp</c>; the gradient is <em>added</em> into <c>dp</c> (<c>dp += ∂/∂p</c>).</description></item>
/// <item><term><see cref="Activity.DuplicatedOnly"/></term><description>as Duplicated; <c>p</c>'s contents are unspecified afterwards and primal outputs through <c>p</c> are not computed.</description></item>
/// </list>
/// <para><c>T'</c> is the mutable counterpart: <c>ReadOnlySpan&lt;T&gt;</c> → <c>Span&lt;T&gt;</c>,
/// <c>in T</c> → <c>ref T</c>, otherwise <c>T</c>. The return activity is <see cref="Activity.Const"/> (the value
/// is returned), <see cref="Activity.Active"/> (a last parameter <c>R seed</c> is appended; the value is returned)
/// or <see cref="Activity.ActiveOnly"/> (<c>R seed</c> is appended; the value is not returned). The result is
/// [the primal value, unless <c>void</c> or ActiveOnly] followed by [the gradient of each Active parameter, in
/// order]: none → <c>void</c>, one → that value, more → a <c>ValueTuple</c> in that order. Example:
/// <c>f(x, y) = x*x + 3*y</c> with <c>(Active, Active, Active)</c> gives
/// <c>(double, double, double) DF(double x, double y, double seed)</c>, which returns <c>(46, 10, 3)</c> at (5, 7).</para>
/// <para>Reverse mode <b>accumulates</b>: callers zero shadows before the first call, and calling the derivative
/// k times with the same inputs adds k times the gradient. It <b>zeroes each seed it consumes</b> through a
/// Duplicated output (the shadow of a <c>ref double y</c> or of an output array reads 0 after the call).</para>
/// <para><b>Forward mode</b>:</para>
/// <list type="table">
/// <listheader><term>Activity</term><description>primal parameter → derivative takes; effect</description></listheader>
/// <item><term><see cref="Activity.Const"/></term><description>any <c>T p</c> → <c>T p</c>; no tangent.</description></item>
/// <item><term><see cref="Activity.Dual"/></term><description>differentiable value or reference <c>T p</c> → <c>T p, T' dp</c>; <c>dp</c> is the tangent: read for inputs, <em>overwritten</em> for outputs.</description></item>
/// <item><term><see cref="Activity.DualOnly"/></term><description>as Dual; <c>p</c>'s contents are unspecified afterwards.</description></item>
/// </list>
/// <para>The return activity gives <c>R</c> (Const), <c>(R value, R tangent)</c> (Dual) or <c>R</c>, the
/// tangent (DualOnly). Forward mode overwrites output tangents and leaves input tangents unchanged.</para>
/// <para><b>Width</b> N &gt; 1 (vector mode): each shadow parameter becomes N consecutive parameters
/// (<c>dp_0 … dp_{N-1}</c>), each seed becomes N seeds (<c>seed_0 …</c>), and each gradient or tangent in the
/// result becomes N consecutive elements; one call yields N directional derivatives.</para>
/// <para><b>Instance methods</b>: form 1 makes the derivative an instance method of the same type, and the shadow
/// of <c>this</c> (when <c>this</c> is Duplicated or Dual) is its first explicit parameter. A form-2 stub is
/// static and takes the receiver first, followed by its shadow.</para>
/// <para><b>Checks</b>: unless the weaver's <c>NoSafetyChecks</c> flag is set, a shadow array or span whose length
/// differs from its primal's, or a null shadow for a non-null primal, throws <see cref="ArgumentException"/> or
/// <see cref="ArgumentNullException"/> naming the parameter before any work is done. Derivatives are
/// thread-safe and re-entrant.</para>
/// <para><b>Validation</b>: a wrong activity count (AD1001), an activity that does not fit its parameter's type or
/// the mode (AD1002), or a stub whose signature differs from these rules (AD1003) fails the build, and the message
/// prints the expected C# declaration.</para>
/// <para>The name <see cref="Activity"/> clashes with <c>System.Diagnostics.Activity</c>; files importing both
/// namespaces write <c>using Activity = Autodiff.Activity;</c>.</para>
/// </remarks>
/// <example>
/// <code>
/// public static partial class Model
/// {
///     [Autodiff(nameof(DF), Mode.Reverse, Activity.Duplicated, Activity.Active)]
///     public static double F(double[] x) =&gt; x[0] * x[0] + x[1] * x[0];
///
///     [System.CodeDom.Compiler.GeneratedCode("Autodiff", "1")]
///     public static extern double DF(double[] x, double[] dx, double seed);
/// }
/// var dx = new double[2];
/// double y = Model.DF(new[] { 2.0, 3.0 }, dx, 1.0);   // y = 10, dx = [7, 2]
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class AutodiffAttribute : Attribute
{
    /// <summary>Form 1, on the primal: generate derivative <paramref name="derivative"/> of this method.</summary>
    /// <param name="derivative">
    /// Name of the derivative method in the primal's type: a bodiless declaration there (an <c>extern</c> stub, or a
    /// <c>partial</c> one the Autodiff generator implements) with exactly the signature the rules give, or, when
    /// none is declared, a public method the weaver adds.
    /// </param>
    /// <param name="mode">Forward or reverse.</param>
    /// <param name="activities">One per parameter (<c>this</c> first), then one for a non-void return.</param>
    public AutodiffAttribute(string derivative, Mode mode, params Activity[] activities)
    {
        Derivative = derivative;
        Mode = mode;
        Activities = activities;
    }

    /// <summary>
    /// Form 2, on a bodiless <c>static</c> stub (<c>extern</c> or <c>partial</c>): this is the derivative of
    /// <paramref name="primalType"/>.<paramref name="primal"/>, which may live in another type or a referenced assembly.
    /// </summary>
    /// <param name="primalType">Type that declares the primal.</param>
    /// <param name="primal">Name of the primal method; among overloads, the one whose activity count and derivative signature match the stub.</param>
    /// <param name="mode">Forward or reverse.</param>
    /// <param name="activities">One per parameter (the receiver first), then one for a non-void return.</param>
    public AutodiffAttribute(Type primalType, string primal, Mode mode, params Activity[] activities)
    {
        PrimalType = primalType;
        Primal = primal;
        Mode = mode;
        Activities = activities;
    }

    /// <summary>Form 1: name of the derivative method; <c>null</c> for form 2.</summary>
    public string? Derivative { get; }

    /// <summary>Form 2: type declaring the primal; <c>null</c> for form 1.</summary>
    public Type? PrimalType { get; }

    /// <summary>Form 2: name of the primal; <c>null</c> for form 1.</summary>
    public string? Primal { get; }

    /// <summary>Forward or reverse.</summary>
    public Mode Mode { get; }

    /// <summary>The activities, one per parameter then one for a non-void return.</summary>
    public Activity[] Activities { get; }

    /// <summary>
    /// Batch (vector) width, at least 1: the number of directions one call computes. Each shadow, seed, gradient
    /// and tangent becomes this many consecutive ones (<c>dx_0 … dx_{N-1}</c>).
    /// </summary>
    public int Width { get; set; } = 1;
}
