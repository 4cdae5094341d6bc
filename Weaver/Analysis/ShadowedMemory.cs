using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Analysis;

/// <summary>
/// Which memory has a shadow: the arrays and references passed with one (Duplicated, DuplicatedOnly, Dual,
/// DualOnly), element addresses inside them (rank 1 and multi-dimensional), the inner arrays of jagged ones, and the elements of
/// shadowed spans. Loads from this memory are
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
        Instruction call when MemoryAccess.ArrayMethod(call) is { Name: "Address" } || IsSpanIndexer(call) => Contains(call.Operands[0]),
        Instruction { Opcode: Opcode.StackSlot } slot => SpanOf(slot) != null,
        _ => false,
    };

    /// <summary>
    /// The shadowed span parameter a stack slot holds: C# indexes a span parameter through its address, so the
    /// frontend gives it a slot that the entry stores it into. Null unless every store into the slot stores that one parameter.
    /// </summary>
    public Parameter? SpanOf(Instruction slot)
    {
        var stored = slot.Uses.Select(use => use.User)
            .Where(user => user.Opcode == Opcode.Store && user.Operands[0] == slot)
            .Select(store => store.Operands[1])
            .Distinct()
            .ToList();
        return stored.Count == 1 && stored[0] is Parameter parameter && roots.Contains(parameter) && IsSpan(parameter.Type) ? parameter : null;
    }

    /// <summary><c>ref T Span&lt;T&gt;.this[int]</c> or <c>ref readonly T ReadOnlySpan&lt;T&gt;.this[int]</c>.</summary>
    public static bool IsSpanIndexer(Instruction call) =>
        call.Opcode == Opcode.Call && call.Member is MethodReference { Name: "get_Item", DeclaringType: var type } && IsSpan(type);

    public static bool IsSpan(TypeReference type) => type.Namespace == "System" && type.Name is "Span`1" or "ReadOnlySpan`1";

    /// <summary>
    /// True for calls that read only the shape of an array or span (<c>GetLength</c>, <c>Length</c>, bounds, rank):
    /// the primal and its shadow share it, so such calls need no derivative.
    /// </summary>
    public static bool ReadsOnlyShape(Instruction call) =>
        call.Member is MethodReference { DeclaringType: var type, Name: var name }
        && (type is ArrayType || type.FullName == "System.Array" || IsSpan(type))
        && ShapeQueries.Contains(name);

    private static readonly HashSet<string> ShapeQueries = new()
    {
        "GetLength", "GetLongLength", "get_Length", "get_LongLength", "GetLowerBound", "GetUpperBound", "get_Rank", "get_IsEmpty",
    };

    /// <summary>The access <paramref name="instruction"/> makes to shadowed memory, or null.</summary>
    public MemoryAccess? AccessOf(Instruction instruction) =>
        MemoryAccess.Of(instruction) is { } access && Contains(access.Pointer) ? access : null;
}
