using System.Collections.Generic;
using System.Linq;
using Mono.Cecil.Cil;

namespace Autodiff.Weaver.Frontend;

/// <summary>
/// Decides which locals and arguments live in memory. A stack slot is needed when the address is taken
/// (<c>ldloca</c>, <c>ldarga</c>), the local is pinned, or the variable is used in more than one exception
/// region: SSA values do not cross region boundaries, because a handler can be entered from any point of
/// its try. Everything else becomes SSA values.
/// </summary>
internal sealed class LocalPlacement
{
    private LocalPlacement()
    {
    }

    /// <summary>Locals (by index) that become stack slots.</summary>
    public HashSet<int> SlotLocals { get; } = new();

    /// <summary>Arguments (by IR parameter index, <c>this</c> = 0) that become stack slots.</summary>
    public HashSet<int> SlotArguments { get; } = new();

    /// <summary>Arguments written with <c>starg</c> that stay SSA variables.</summary>
    public HashSet<int> WrittenArguments { get; } = new();

    public static LocalPlacement Analyze(MethodBody body, IEnumerable<CilBlock> reachableBlocks)
    {
        var placement = new LocalPlacement();
        var localRegions = new Dictionary<int, HashSet<CilRange?>>();
        // An argument's initial value is defined at the method entry, outside every region.
        var argumentRegions = new Dictionary<int, HashSet<CilRange?>>();
        var writtenArguments = new HashSet<int>();

        foreach (var block in reachableBlocks)
        {
            foreach (var instruction in block.Instructions)
            {
                var local = CilOperands.LocalIndex(instruction);
                if (local >= 0)
                {
                    Regions(localRegions, local).Add(block.Range);
                    if (instruction.OpCode.Code is Code.Ldloca or Code.Ldloca_S)
                        placement.SlotLocals.Add(local);
                }
                var argument = CilOperands.ArgumentIndex(instruction, body);
                if (argument >= 0)
                {
                    Regions(argumentRegions, argument).Add(block.Range);
                    if (instruction.OpCode.Code is Code.Ldarga or Code.Ldarga_S)
                        placement.SlotArguments.Add(argument);
                    if (instruction.OpCode.Code is Code.Starg or Code.Starg_S)
                        writtenArguments.Add(argument);
                }
            }
        }

        foreach (var variable in body.Variables)
        {
            if (variable.IsPinned || localRegions.TryGetValue(variable.Index, out var used) && used.Count > 1)
                placement.SlotLocals.Add(variable.Index);
        }
        foreach (var argument in writtenArguments.Where(a => !placement.SlotArguments.Contains(a)))
        {
            var used = argumentRegions[argument];
            used.Add(null);
            if (used.Count > 1)
                placement.SlotArguments.Add(argument);
            else
                placement.WrittenArguments.Add(argument);
        }
        return placement;
    }

    private static HashSet<CilRange?> Regions(Dictionary<int, HashSet<CilRange?>> map, int index)
    {
        if (!map.TryGetValue(index, out var set))
        {
            set = new HashSet<CilRange?>();
            map.Add(index, set);
        }
        return set;
    }
}
