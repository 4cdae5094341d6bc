using System.Linq;
using Autodiff.Weaver.Analysis;
using Autodiff.Weaver.Ir;

namespace Autodiff.Weaver.Differentiation.Calls;

/// <summary>
/// Calls that receive shadowed memory (a Duplicated/Dual array) as an argument, other than the array and span
/// accessors the memory analysis follows itself. Their result depends on that memory, and they may write it.
/// </summary>
public static class ShadowedCalls
{
    public static bool Is(Instruction instruction, ShadowedMemory memory) =>
        instruction.Opcode is Opcode.Call or Opcode.CallVirtual
        && MemoryAccess.ArrayMethod(instruction) is not { Name: "Address" }
        && !ShadowedMemory.IsSpanIndexer(instruction)
        && !ShadowedMemory.ReadsOnlyShape(instruction)
        && instruction.Operands.Any(memory.Contains);
}
