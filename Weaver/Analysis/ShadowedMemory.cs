using System.Collections.Generic;
using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Analysis;

/// <summary>
/// Which memory has a shadow: the arrays and references passed with one (Duplicated, DuplicatedOnly, Dual,
/// DualOnly), element addresses inside them (rank 1 and multi-dimensional), and the inner arrays of jagged ones. Loads from this memory are
/// varied and stores into it are useful, as Enzyme treats a duplicated argument's memory as active.
/// Everything else (Const arrays, locals, static fields) is constant memory.
/// </summary>
public sealed class ShadowedMemory
{
    private readonly HashSet<Parameter> roots;

    public ShadowedMemory(IEnumerable<Parameter> roots) => this.roots = new HashSet<Parameter>(roots);

    public static ShadowedMemory None { get; } = new(System.Array.Empty<Parameter>());

    public IReadOnlyCollection<Parameter> Roots => roots;

    /// <summary>True when <paramref name="pointer"/> (an array or an address) points into shadowed memory.</summary>
    public bool Contains(Value pointer) => (pointer.Type.IsArray || pointer.Type.IsByReference) && pointer switch
    {
        Parameter parameter => roots.Contains(parameter),
        Instruction { Opcode: Opcode.ElementAddress or Opcode.LoadElement } element => Contains(element.Operands[0]),
        Instruction call when MemoryAccess.ArrayMethod(call) is { Name: "Address" } => Contains(call.Operands[0]),
        _ => false,
    };

    /// <summary>
    /// True for calls that read only the shape of an array or span (<c>GetLength</c>, <c>Length</c>, bounds, rank):
    /// the primal and its shadow share it, so such calls need no derivative.
    /// </summary>
    public static bool ReadsOnlyShape(Instruction call) =>
        call.Member is MethodReference { DeclaringType: var type, Name: var name }
        && (type is ArrayType || type.FullName == "System.Array" || type.Namespace == "System" && type.Name is "Span`1" or "ReadOnlySpan`1")
        && ShapeQueries.Contains(name);

    private static readonly HashSet<string> ShapeQueries = new()
    {
        "GetLength", "GetLongLength", "get_Length", "get_LongLength", "GetLowerBound", "GetUpperBound", "get_Rank", "get_IsEmpty",
    };

    /// <summary>The access <paramref name="instruction"/> makes to shadowed memory, or null.</summary>
    public MemoryAccess? AccessOf(Instruction instruction) =>
        MemoryAccess.Of(instruction) is { } access && Contains(access.Pointer) ? access : null;
}
