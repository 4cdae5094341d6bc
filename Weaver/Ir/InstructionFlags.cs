using System;

namespace Autodiff.Weaver.Ir;

/// <summary>Prefixes and variants of an instruction.</summary>
[Flags]
public enum InstructionFlags
{
    None = 0,
    /// <summary>Convert: overflow-checked (conv.ovf.*).</summary>
    Checked = 1,
    /// <summary>Convert: the source is unsigned (conv.r.un, conv.ovf.*.un).</summary>
    UnsignedSource = 2,
    /// <summary>Memory access: volatile. prefix.</summary>
    Volatile = 4,
    /// <summary>Memory access: unaligned. prefix (alignment in <see cref="Instruction.Alignment"/>).</summary>
    Unaligned = 8,
    /// <summary>ElementAddress: readonly. prefix.</summary>
    ReadOnly = 16,
    /// <summary>Call: tail. prefix.</summary>
    Tail = 32,
    /// <summary>StackSlot: pinned local.</summary>
    Pinned = 64,
    /// <summary>ElementAddress / LoadElement / StoreElement: no. prefix type check skipped.</summary>
    NoTypeCheck = 128,
}
