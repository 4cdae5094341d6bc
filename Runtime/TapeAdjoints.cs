using System;
using System.ComponentModel;
using System.Numerics;

namespace Autodiff.Runtime;

/// <summary>
/// The adjoints of a <see cref="Tape{T}"/>'s values, for woven code that differentiates a woven reverse derivative
/// again in reverse mode (reverse over reverse). A value pushed on a tape and read back carries a derivative, so the
/// outer reverse sweep runs the tape's operations backwards on this shadow (Enzyme's shadow of its own cache): a
/// <c>Peek</c> adds the peeked value's adjoint to the top (<see cref="AddToTop"/>), a <c>Pop</c> brings a zero slot back
/// (<see cref="Unpop"/>), a <c>Push</c> takes the top into the pushed value's adjoint (<see cref="Take"/>). A cursor
/// tape, read and written by index, has its adjoints at the same indices (<see cref="Elements"/>). Every slot is zero
/// until a read adds to it, and the matching write takes it back to zero.
/// </summary>
/// <remarks>Pooled per thread like <see cref="Tape{T}"/>: rented where the outer reverse sweep meets the tape's last use, returned where it meets the tape's <c>Rent</c>.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class TapeAdjoints<T>
    where T : struct, IAdditionOperators<T, T, T>
{
    private const int InitialCapacity = 16;

    [ThreadStatic]
    private static TapeAdjoints<T>? free;

    private TapeAdjoints<T>? next;
    private T[] items = new T[InitialCapacity];
    private int count;
    private int used;

    private TapeAdjoints()
    {
    }

    /// <summary>Zero adjoints owned by the caller until <see cref="Return"/>: this thread's free ones, or new ones.</summary>
    public static TapeAdjoints<T> Rent()
    {
        var adjoints = free;
        if (adjoints == null)
            return new TapeAdjoints<T>();
        free = adjoints.next;
        adjoints.next = null;
        return adjoints;
    }

    /// <summary>Zeroes what <paramref name="adjoints"/> used and puts it back in this thread's free list.</summary>
    public static void Return(TapeAdjoints<T> adjoints)
    {
        Array.Clear(adjoints.items, 0, adjoints.used);
        adjoints.count = 0;
        adjoints.used = 0;
        adjoints.next = free;
        free = adjoints;
    }

    /// <summary>The reverse of <c>Pop</c>: the popped value's adjoint, zero so far, is on top again.</summary>
    public void Unpop()
    {
        Cover(count + 1);
        count++;
    }

    /// <summary>The reverse of <c>Peek</c>: adds the peeked value's adjoint to the top's.</summary>
    public void AddToTop(T adjoint) => items[Top()] += adjoint;

    /// <summary>The reverse of <c>Push</c>: the pushed value's adjoint, cleared and dropped from the top.</summary>
    public T Take()
    {
        var top = Top();
        var adjoint = items[top];
        items[top] = default;
        count = top;
        return adjoint;
    }

    /// <summary>
    /// The adjoints of a cursor tape's storage whose array is <paramref name="length"/> long, at the same indices:
    /// one array for all of the tape's storage arrays (a grown one keeps its values at their indices).
    /// </summary>
    public T[] Elements(int length)
    {
        Cover(length);
        return items;
    }

    private int Top() => count > 0
        ? count - 1
        : throw new InvalidOperationException("The tape's adjoints were read past their bottom: the woven derivative differentiated again pops values it did not push.");

    private void Cover(int length)
    {
        if (items.Length < length)
            Array.Resize(ref items, Math.Max(length, 2 * items.Length));
        used = Math.Max(used, length);
    }
}
