using System.Collections.Generic;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace Autodiff.Runtime;

/// <summary>
/// Which shadow belongs to which primal array or object, for a reverse sweep that meets a reference chosen at run
/// time (a list walk's <c>node</c>, an array allocated in a loop): the forward sweep records each pair, the reverse
/// sweep looks the shadow up from the taped primal reference (Enzyme tapes the shadow pointer itself; a woven .NET
/// method looks it up instead). One map per derivative call; called only by woven code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ShadowMap
{
    private readonly Dictionary<object, object?> shadows = new(ByReference.Instance);

    /// <summary>Records <paramref name="shadow"/> as the shadow of <paramref name="primal"/> (nothing for a null primal).</summary>
    /// <param name="primal">A primal array or object.</param>
    /// <param name="shadow">Its shadow.</param>
    public void Set(object? primal, object? shadow)
    {
        if (primal != null)
            shadows[primal] = shadow;
    }

    /// <summary>The shadow recorded for <paramref name="primal"/>; null for a null primal.</summary>
    /// <param name="primal">A primal array or object recorded by <see cref="Set"/>.</param>
    /// <returns>Its shadow.</returns>
    public object? Get(object? primal) => primal == null ? null : shadows[primal];

    private sealed class ByReference : IEqualityComparer<object>
    {
        public static readonly ByReference Instance = new();

        bool IEqualityComparer<object>.Equals(object? x, object? y) => ReferenceEquals(x, y);

        public int GetHashCode(object obj) => RuntimeHelpers.GetHashCode(obj);
    }
}
