using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Ir;
using Mono.Cecil.Cil;
using CilInstruction = Mono.Cecil.Cil.Instruction;
using Instruction = Autodiff.Weaver.Ir.Instruction;

namespace Autodiff.Weaver.Backend;

/// <summary>Branch targets, the exception table, and the implicit control flow of handlers that liveness needs.</summary>
internal sealed partial class MethodBodyEmitter
{
    /// <summary>For each layout position, the first instruction at or after it (null past the end).</summary>
    private CilInstruction?[] ResolveLabels()
    {
        var labels = new CilInstruction?[layout.Count + 1];
        for (var i = layout.Count - 1; i >= 0; i--)
            labels[i] = layout[i].Code.Count > 0 ? layout[i].Code[0] : labels[i + 1];
        foreach (var (branch, target) in branchFixups)
            branch.Operand = labels[position[target]] ?? throw Malformed("A branch targets the end of the method.");
        foreach (var (instruction, targets) in switchFixups)
        {
            var resolved = (CilInstruction[])instruction.Operand;
            for (var i = 0; i < targets.Length; i++)
                resolved[i] = labels[position[targets[i]]] ?? throw Malformed("A switch targets the end of the method.");
        }
        return labels;
    }

    private void AddExceptionHandlers(CilInstruction?[] labels)
    {
        var first = new Dictionary<Region, int>();
        var last = new Dictionary<Region, int>();
        for (var i = 0; i < layout.Count; i++)
        {
            for (var region = layout[i].Region; region != null; region = region.Parent)
            {
                if (!first.ContainsKey(region))
                    first.Add(region, i);
                last[region] = i;
            }
        }

        // Inner before outer (ECMA-335 §II.19): deeper regions first, ties in declaration order.
        var tries = ir.Regions.Where(r => r.Kind == RegionKind.Try).OrderByDescending(Depth).ToList();
        foreach (var tryRegion in tries)
        {
            if (!first.ContainsKey(tryRegion))
                throw Malformed("A try region has no blocks.");
            foreach (var handler in tryRegion.Handlers)
            {
                if (handler.Kind == RegionKind.Filter)
                    continue;
                if (!first.ContainsKey(handler) || handler.Filter != null && !first.ContainsKey(handler.Filter))
                    throw Malformed($"A {handler.Kind} region has no blocks.");
                var entry = new ExceptionHandler(handler.Kind switch
                {
                    RegionKind.Catch => ExceptionHandlerType.Catch,
                    RegionKind.FilteredCatch => ExceptionHandlerType.Filter,
                    RegionKind.Finally => ExceptionHandlerType.Finally,
                    _ => ExceptionHandlerType.Fault,
                })
                {
                    TryStart = labels[first[tryRegion]],
                    TryEnd = labels[last[tryRegion] + 1],
                    HandlerStart = labels[first[handler]],
                    HandlerEnd = labels[last[handler] + 1],
                };
                if (handler.Kind == RegionKind.Catch)
                    entry.CatchType = Import(handler.CatchType ?? throw Malformed("A catch region has no caught type."));
                if (handler.Filter != null)
                    entry.FilterStart = labels[first[handler.Filter]];
                body.ExceptionHandlers.Add(entry);
            }
        }
    }

    private static int Depth(Region region)
    {
        var depth = 0;
        for (var r = region.Parent; r != null; r = r.Parent)
            depth++;
        return depth;
    }

    /// <summary>Normal successors plus the implicit ones: endfinally to the try's leave targets, endfilter to its handler.</summary>
    private IReadOnlyList<LoweredBlock> FlowSuccessors(LoweredBlock block)
    {
        var terminator = block.Source?.Terminator;
        if (terminator?.Opcode == Opcode.EndFinally)
        {
            var handler = Enclosing(block.Region, RegionKind.Finally, RegionKind.Fault);
            return handler?.Try == null ? block.Successors : LeaveTargets(handler.Try);
        }
        if (terminator?.Opcode == Opcode.EndFilter)
        {
            var filter = Enclosing(block.Region, RegionKind.Filter);
            var handler = filter?.Try?.Handlers.FirstOrDefault(h => ReferenceEquals(h.Filter, filter));
            return handler == null ? block.Successors : new[] { lowered[handler.Entry] };
        }
        return block.Successors;
    }

    /// <summary>Entries of every handler (or its filter) that an exception raised in the block may reach.</summary>
    private IReadOnlyList<LoweredBlock> HandlerEntries(LoweredBlock block)
    {
        var entries = new List<LoweredBlock>();
        for (var region = block.Region; region != null; region = region.Parent)
        {
            if (region.Kind != RegionKind.Try)
                continue;
            foreach (var handler in region.Handlers)
            {
                if (handler.Kind != RegionKind.Filter)
                    entries.Add(lowered[handler.Filter?.Entry ?? handler.Entry]);
            }
        }
        return entries;
    }

    private List<LoweredBlock> LeaveTargets(Region tryRegion)
    {
        if (leaveTargets.TryGetValue(tryRegion, out var targets))
            return targets;
        targets = new List<LoweredBlock>();
        foreach (var block in ir.Blocks)
        {
            if (block.Terminator is { Opcode: Opcode.Leave } leave && tryRegion.Contains(block.Region) && !tryRegion.Contains(leave.Targets[0].Region))
            {
                var target = lowered[leave.Targets[0]];
                if (!targets.Contains(target))
                    targets.Add(target);
            }
        }
        leaveTargets.Add(tryRegion, targets);
        return targets;
    }

    private static Region? Enclosing(Region? region, params RegionKind[] kinds)
    {
        for (var r = region; r != null; r = r.Parent)
        {
            if (kinds.Contains(r.Kind))
                return r;
        }
        return null;
    }
}
