using System;
using System.ComponentModel;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Autodiff.Runtime;

/// <summary>
/// The entry check of a woven reverse derivative whose reverse sweep reloads elements of an array argument the
/// function never writes instead of taping them: that is exact only when no array the function writes is the same
/// object. Called only by woven code; <see cref="InactiveAttribute"/>: differentiating a woven derivative (higher
/// order) runs the check once, as it is.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class TapeRecomputation
{
    /// <summary>
    /// Throws <see cref="ArgumentException"/> when <paramref name="reread"/> and <paramref name="written"/> are the same
    /// non-empty array (an empty one, such as <c>Array.Empty&lt;T&gt;()</c> passed twice, has nothing to change).
    /// </summary>
    /// <param name="reread">An array argument the function only reads.</param>
    /// <param name="written">An array argument the function writes.</param>
    /// <param name="rereadName">The first parameter's name, reported in the exception.</param>
    /// <param name="writtenName">The second parameter's name, reported in the exception.</param>
    [Inactive]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RequireDistinct(Array? reread, Array? written, string rereadName, string writtenName)
    {
        // Inlined into the derivative's entry; the throw stays out of line.
        if (reread != null && reread.Length != 0 && ReferenceEquals(reread, written))
            SameArray(rereadName, writtenName);
    }

    private static void SameArray(string rereadName, string writtenName) =>
        throw new ArgumentException(
            string.Format(CultureInfo.InvariantCulture, "'{0}' and '{1}' are the same array; the derivative rereads '{0}' in its reverse sweep and needs it unchanged, so pass a copy as '{0}'.", rereadName, writtenName),
            rereadName);
}
