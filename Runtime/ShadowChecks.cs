using System;
using System.ComponentModel;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Autodiff.Runtime;

/// <summary>
/// The argument checks a woven derivative runs before any work (DESIGN §1.1): every shadow must match its
/// primal's shape. Called only by woven code; the <c>NoSafetyChecks</c> flag leaves the calls out. The checks
/// are <see cref="InactiveAttribute"/>: differentiating a woven derivative (higher order) runs them once, as they are.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ShadowChecks
{
    /// <summary>
    /// Throws <see cref="ArgumentNullException"/> when <paramref name="shadow"/> is null and <paramref name="primal"/>
    /// is not, and <see cref="ArgumentException"/> when their ranks or the lengths of any dimension differ.
    /// </summary>
    /// <param name="primal">The primal argument.</param>
    /// <param name="shadow">Its shadow (tangent or gradient accumulator).</param>
    /// <param name="shadowName">The shadow parameter's name, reported in the exception.</param>
    [Inactive]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Array(Array? primal, Array? shadow, string shadowName)
    {
        // The common case in a few instructions, inlined into the derivative's entry, which every call pays for;
        // the per-dimension comparison calls GetLength. Equal total lengths at rank 1 are equal shapes.
        if (primal == null || shadow != null && shadow.Length == primal.Length && primal.Rank == 1 && shadow.Rank == 1)
            return;
        ArrayShapes(primal, shadow, shadowName);
    }

    private static void ArrayShapes(Array primal, Array? shadow, string shadowName)
    {
        if (shadow == null)
            throw new ArgumentNullException(shadowName, "The shadow of a non-null array must not be null.");
        if (shadow.Rank != primal.Rank)
            throw new ArgumentException(string.Format(CultureInfo.InvariantCulture, "The shadow has rank {0}; its primal has rank {1}.", shadow.Rank, primal.Rank), shadowName);
        for (var dimension = 0; dimension < primal.Rank; dimension++)
        {
            if (shadow.GetLength(dimension) != primal.GetLength(dimension))
            {
                throw new ArgumentException(
                    string.Format(CultureInfo.InvariantCulture, "The shadow's length {0} in dimension {1} differs from its primal's length {2}.", shadow.GetLength(dimension), dimension, primal.GetLength(dimension)),
                    shadowName);
            }
        }
    }

    /// <summary>
    /// Throws <see cref="ArgumentNullException"/> when <paramref name="shadow"/> is null and <paramref name="primal"/>
    /// is not, and <see cref="ArgumentException"/> when their runtime types differ.
    /// </summary>
    /// <param name="primal">The primal argument.</param>
    /// <param name="shadow">Its shadow, an object of the same runtime type.</param>
    /// <param name="shadowName">The shadow parameter's name, reported in the exception.</param>
    [Inactive]
    public static void Object(object? primal, object? shadow, string shadowName)
    {
        if (primal == null)
            return;
        if (shadow == null)
            throw new ArgumentNullException(shadowName, "The shadow of a non-null object must not be null.");
        if (shadow.GetType() != primal.GetType())
            throw new ArgumentException(string.Format(CultureInfo.InvariantCulture, "The shadow is a {0}; its primal is a {1}.", shadow.GetType(), primal.GetType()), shadowName);
    }

    /// <summary>Throws <see cref="ArgumentException"/> when <paramref name="shadow"/>'s length differs from <paramref name="primal"/>'s.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="primal">The primal argument.</param>
    /// <param name="shadow">Its shadow.</param>
    /// <param name="shadowName">The shadow parameter's name, reported in the exception.</param>
    [Inactive]
    public static void SpanLength<T>(ReadOnlySpan<T> primal, Span<T> shadow, string shadowName) => Lengths(primal.Length, shadow.Length, shadowName);

    /// <inheritdoc cref="SpanLength{T}(ReadOnlySpan{T}, Span{T}, string)"/>
    [Inactive]
    public static void SpanLength<T>(Span<T> primal, Span<T> shadow, string shadowName) => Lengths(primal.Length, shadow.Length, shadowName);

    private static void Lengths(int primal, int shadow, string shadowName)
    {
        if (shadow != primal)
            throw new ArgumentException(string.Format(CultureInfo.InvariantCulture, "The shadow's length {0} differs from its primal's length {1}.", shadow, primal), shadowName);
    }
}
