using System.Collections.Generic;
using Autodiff.Weaver.Ir;

namespace Autodiff.Weaver.Analysis;

/// <summary>
/// Which memory has a shadow: the arrays and references passed with one (Duplicated, DuplicatedOnly, Dual,
/// DualOnly), element addresses inside them, and the inner arrays of jagged ones. Loads from this memory are
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
        _ => false,
    };

    /// <summary>The access <paramref name="instruction"/> makes to shadowed memory, or null.</summary>
    public MemoryAccess? AccessOf(Instruction instruction) =>
        MemoryAccess.Of(instruction) is { } access && Contains(access.Pointer) ? access : null;
}
