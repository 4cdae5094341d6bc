using System;

namespace Autodiff;

/// <summary>
/// Requests a derivative. Form 1, on the primal, names the derivative method in the same type;
/// form 2, on a bodiless stub (<c>extern</c> or <c>partial</c>), names the primal it differentiates.
/// </summary>
/// <remarks>
/// <para>Reverse mode: the derivative takes each primal parameter in order, each shadow right after its
/// primal (<see cref="Activity.Duplicated"/>), then a seed when the return is <see cref="Activity.Active"/>
/// or <see cref="Activity.ActiveOnly"/>. It returns the primal value (unless <c>void</c> or
/// <see cref="Activity.ActiveOnly"/>) followed by the gradient of each <see cref="Activity.Active"/>
/// parameter: none → <c>void</c>, one → that value, more → a <c>ValueTuple</c>.</para>
/// <para>Reverse mode accumulates: calling it k times adds k times the gradient. It zeroes every seed it
/// consumes through a Duplicated output.</para>
/// <para>Forward mode: each <see cref="Activity.Dual"/> parameter is followed by its tangent; the return is
/// <c>R</c> (Const), <c>(R value, R tangent)</c> (Dual) or <c>R</c> the tangent (DualOnly).</para>
/// <para>With <see cref="Width"/> N &gt; 1 every shadow, seed, gradient and tangent becomes N consecutive ones.</para>
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class AutodiffAttribute : Attribute
{
    /// <summary>Form 1, on the primal: generate derivative <paramref name="derivative"/> of this method.</summary>
    /// <param name="derivative">Name of the derivative method in the primal's type.</param>
    /// <param name="mode">Forward or reverse.</param>
    /// <param name="activities">One per parameter (<c>this</c> first), then one for a non-void return.</param>
    public AutodiffAttribute(string derivative, Mode mode, params Activity[] activities)
    {
        Derivative = derivative;
        Mode = mode;
        Activities = activities;
    }

    /// <summary>Form 2, on a bodiless stub: this is the derivative of <paramref name="primalType"/>.<paramref name="primal"/>.</summary>
    /// <param name="primalType">Type that declares the primal.</param>
    /// <param name="primal">Name of the primal method.</param>
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

    /// <summary>Batch (vector) width, at least 1: the number of directions one call computes.</summary>
    public int Width { get; set; } = 1;
}
