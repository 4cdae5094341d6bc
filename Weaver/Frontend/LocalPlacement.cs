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

    public static LocalPlacement Analyze(MethodBody body, CilControlFlow flow)
    {
        var placement = new LocalPlacement();
        var localRegions = new Dictionary<int, HashSet<CilRange?>>();
        // An argument's initial value is defined at the method entry, outside every region.
        var argumentRegions = new Dictionary<int, HashSet<CilRange?>>();
        var writtenArguments = new HashSet<int>();

        foreach (var block in flow.Blocks.Where(b => b.IsReachable))
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
            if (!localRegions.TryGetValue(variable.Index, out var used))
                continue;
            var onlyRegion = used.Count == 1 ? used.Single() : null;
            if (variable.IsPinned || used.Count > 1
                || onlyRegion != null && IsLiveIn(variable.Index, flow.EntryOf(onlyRegion)))
            {
                placement.SlotLocals.Add(variable.Index);
            }
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

    /// <summary>
    /// True when a local used only inside one region may be read at the region's entry before the region
    /// writes it: it then carries a value from an earlier execution of the region (a loop around a try),
    /// which an SSA value confined to the region cannot express.
    /// </summary>
    private static bool IsLiveIn(int local, CilBlock regionEntry)
    {
        var region = regionEntry.Range!;
        var visited = new HashSet<CilBlock> { regionEntry };
        var work = new Stack<CilBlock>();
        work.Push(regionEntry);
        while (work.Count > 0)
        {
            var block = work.Pop();
            var access = block.Instructions.FirstOrDefault(i => CilOperands.LocalIndex(i) == local);
            if (access != null)
            {
                if (access.OpCode.Code is Code.Ldloc or Code.Ldloc_S or Code.Ldloc_0 or Code.Ldloc_1 or Code.Ldloc_2 or Code.Ldloc_3)
                    return true;
                continue;
            }
            foreach (var successor in block.Successors.Where(s => s.Range != null && (ReferenceEquals(s.Range, region) || region.Contains(s.Range))))
            {
                if (visited.Add(successor))
                    work.Push(successor);
            }
        }
        return false;
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
