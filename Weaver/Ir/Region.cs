using System.Collections.Generic;
using Mono.Cecil;

namespace Autodiff.Weaver.Ir;

public enum RegionKind { Try, Catch, Filter, FilteredCatch, Finally, Fault }

/// <summary>
/// A protected region or handler body. Handlers are not nested inside the try they protect: a try and
/// its handlers are siblings under the same <see cref="Parent"/>, as in CIL's exception table.
/// </summary>
public sealed class Region
{
    internal Region(RegionKind kind, Region? parent)
    {
        Kind = kind;
        Parent = parent;
    }

    public RegionKind Kind { get; }

    public Region? Parent { get; set; }

    /// <summary>First block of the region; control enters only here.</summary>
    public Block Entry { get; set; } = null!;

    /// <summary>For a handler or filter: the try region it protects.</summary>
    public Region? Try { get; set; }

    /// <summary>For a try: its handlers, in exception-table order.</summary>
    public List<Region> Handlers { get; } = new();

    /// <summary>For a <see cref="RegionKind.Catch"/>: the caught type.</summary>
    public TypeReference? CatchType { get; set; }

    /// <summary>For a <see cref="RegionKind.FilteredCatch"/>: the filter region deciding whether it runs.</summary>
    public Region? Filter { get; set; }

    /// <summary>True when <paramref name="other"/> is this region or nested inside it.</summary>
    public bool Contains(Region? other)
    {
        for (var r = other; r != null; r = r.Parent)
        {
            if (ReferenceEquals(r, this))
                return true;
        }
        return false;
    }
}
