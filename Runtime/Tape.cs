using System;
using System.ComponentModel;

namespace Autodiff.Runtime;

/// <summary>
/// Tape storage for woven reverse-mode derivatives of code with loops: a stack of primal values the forward
/// sweep pushes and the reverse sweep peeks and pops. Woven code calls it; user code has no use for it.
/// </summary>
/// <remarks>
/// Pooling (DESIGN §2, "concurrent calls on different threads and recursive calls never share tape storage"):
/// a derivative rents one tape per cached value on entry and returns it on its single exit. Returned tapes wait
/// in a per-thread free list (<see cref="ThreadStaticAttribute"/>), so a steady-state call allocates nothing,
/// a call on another thread finds its own list, and a recursive call rents a different tape because the
/// caller's is out of the list while the caller is live. A call that ends in an exception does not return its
/// tapes; they are simply collected, and never handed to anyone else. Capacity grows geometrically (doubling)
/// unless <see cref="Reserve"/> announces a known trip count first, and is kept when the tape is returned.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class Tape<T>
{
    private const int InitialCapacity = 16;

    [ThreadStatic]
    private static Tape<T>? free;

    private Tape<T>? next;
    private T[] items = new T[InitialCapacity];
    private int count;

    private Tape()
    {
    }

    /// <summary>The number of values on the tape.</summary>
    public int Count => count;

    /// <summary>The number of values the tape holds without growing.</summary>
    public int Capacity => items.Length;

    /// <summary>An empty tape owned by the caller until <see cref="Return"/>: this thread's free one, or a new one.</summary>
    public static Tape<T> Rent()
    {
        var tape = free;
        if (tape == null)
            return new Tape<T>();
        free = tape.next;
        tape.next = null;
        return tape;
    }

    /// <summary>Empties <paramref name="tape"/> and puts it back in this thread's free list.</summary>
    public static void Return(Tape<T> tape)
    {
        tape.count = 0;
        tape.next = free;
        free = tape;
    }

    /// <summary>
    /// Makes room for <paramref name="additional"/> more values at once: a loop whose trip count is known at
    /// entry. Never less than doubling, so a loop entered again and again (an inner loop) still grows geometrically.
    /// </summary>
    public void Reserve(int additional)
    {
        if (additional > 0 && items.Length - count < additional)
            Array.Resize(ref items, Math.Max(count + additional, 2 * items.Length));
    }

    /// <summary>
    /// The backing array, with room for <paramref name="additional"/> more values after the first <paramref name="count"/>:
    /// for woven code that keeps the count in a local and stores into the array directly, because the loop that pushes
    /// announced its trip count at entry. Grows as <see cref="Reserve"/> does; <see cref="Count"/> is not kept then.
    /// </summary>
    public T[] Storage(int count, int additional)
    {
        if (additional > 0 && items.Length - count < additional)
            Array.Resize(ref items, Math.Max(count + additional, 2 * items.Length));
        return items;
    }

    /// <summary>Puts <paramref name="value"/> on top, doubling the capacity when full.</summary>
    public void Push(T value)
    {
        if (count == items.Length)
            Array.Resize(ref items, 2 * items.Length);
        items[count++] = value;
    }

    /// <summary>The value pushed last and not yet popped.</summary>
    public T Peek() => items[count - 1];

    /// <summary>Drops the top value.</summary>
    public void Pop() => count--;
}
