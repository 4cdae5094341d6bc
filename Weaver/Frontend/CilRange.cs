using Autodiff.Weaver.Ir;
using Mono.Cecil.Cil;

namespace Autodiff.Weaver.Frontend;

/// <summary>
/// A protected range, handler or filter of the exception table, by CIL offsets [<see cref="Start"/>,
/// <see cref="End"/>). Try ranges shared by several handlers appear once.
/// </summary>
internal sealed class CilRange
{
    public CilRange(RegionKind kind, int start, int end, ExceptionHandler? handler)
    {
        Kind = kind;
        Start = start;
        End = end;
        Handler = handler;
    }

    public RegionKind Kind { get; }

    public int Start { get; }

    public int End { get; }

    /// <summary>The exception-table entry of a handler or filter; null for a try.</summary>
    public ExceptionHandler? Handler { get; }

    public CilRange? Parent { get; set; }

    /// <summary>For a handler or filter: the try range it protects.</summary>
    public CilRange? Try { get; set; }

    /// <summary>For a filtered catch: its filter.</summary>
    public CilRange? Filter { get; set; }

    public bool Contains(int offset) => Start <= offset && offset < End;

    public bool Contains(CilRange other) => Start <= other.Start && other.End <= End && !ReferenceEquals(this, other);
}
