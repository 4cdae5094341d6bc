using System;
using System.Collections.Generic;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Autodiff.Weaver.Backend;

/// <summary>
/// Maps the emitter's virtual registers (one CIL local per value, read by ldloc and written by stloc only) onto
/// as few real locals as possible: registers of the same type share a local when their live ranges do not
/// overlap and their debug names agree. Liveness runs over the lowered control-flow graph with the exceptional edges: a
/// register live into a handler is live throughout its try, and endfinally flows to every leave target of its try.
/// </summary>
internal static class LocalAllocator
{
    /// <summary>
    /// A virtual register and the source name its local shows in the debugger. A register standing for an
    /// argument is defined on entry and lives in that argument, so values coalesced with it use ldarg/starg.
    /// </summary>
    public sealed record Register(VariableDefinition Variable, string? Name, ParameterDefinition? Argument = null);

    /// <summary>A real local and its debug name.</summary>
    public sealed record Local(VariableDefinition Variable, string? Name);

    /// <param name="layout">The blocks, entry first.</param>
    public static List<Local> Allocate(
        IReadOnlyList<LoweredBlock> layout,
        IReadOnlyList<Register> registers,
        Func<LoweredBlock, IReadOnlyList<LoweredBlock>> flowSuccessors,
        Func<LoweredBlock, IReadOnlyList<LoweredBlock>> handlerEntries,
        IReadOnlyList<(VariableDefinition Destination, VariableDefinition Source)> copies)
    {
        var index = new Dictionary<VariableDefinition, int>();
        for (var i = 0; i < registers.Count; i++)
            index.Add(registers[i].Variable, i);

        var count = registers.Count;
        var blockIndex = new Dictionary<LoweredBlock, int>();
        for (var i = 0; i < layout.Count; i++)
            blockIndex.Add(layout[i], i);
        var uses = new BitSet[layout.Count];
        var defs = new BitSet[layout.Count];
        var liveIn = new BitSet[layout.Count];
        var liveOut = new BitSet[layout.Count];
        var exceptional = new BitSet[layout.Count];
        for (var b = 0; b < layout.Count; b++)
        {
            uses[b] = new BitSet(count);
            defs[b] = new BitSet(count);
            liveIn[b] = new BitSet(count);
            liveOut[b] = new BitSet(count);
            exceptional[b] = new BitSet(count);
            if (b == 0)
            {
                for (var r = 0; r < count; r++)
                {
                    if (registers[r].Argument != null)
                        defs[b].Set(r);
                }
            }
            foreach (var instruction in layout[b].Code)
            {
                if (!TryRegister(instruction, index, out var register, out var isDefinition))
                    continue;
                if (isDefinition)
                    defs[b].Set(register);
                else if (!defs[b].Get(register))
                    uses[b].Set(register);
            }
        }

        var successors = new int[layout.Count][];
        var handlers = new int[layout.Count][];
        for (var b = 0; b < layout.Count; b++)
        {
            successors[b] = Indices(flowSuccessors(layout[b]), blockIndex);
            handlers[b] = Indices(handlerEntries(layout[b]), blockIndex);
        }

        var scratch = new BitSet(count);
        var changed = true;
        while (changed)
        {
            changed = false;
            for (var b = layout.Count - 1; b >= 0; b--)
            {
                foreach (var h in handlers[b])
                    exceptional[b].UnionWith(liveIn[h]);
                foreach (var s in successors[b])
                    liveOut[b].UnionWith(liveIn[s]);
                liveOut[b].UnionWith(exceptional[b]);
                scratch.CopyFrom(uses[b]);
                scratch.UnionWithExcept(liveOut[b], defs[b]);
                scratch.UnionWith(exceptional[b]);
                if (!scratch.SetEquals(liveIn[b]))
                {
                    liveIn[b].CopyFrom(scratch);
                    changed = true;
                }
            }
        }

        var keys = new string[count];
        for (var i = 0; i < count; i++)
            keys[i] = registers[i].Variable.VariableType.FullName;
        var interference = new HashSet<int>[count];
        for (var i = 0; i < count; i++)
            interference[i] = new HashSet<int>();
        var live = new BitSet(count);
        for (var b = 0; b < layout.Count; b++)
        {
            live.CopyFrom(liveOut[b]);
            var exceptionalHere = exceptional[b];
            void Define(int register)
            {
                foreach (var other in live.Members())
                {
                    if (other != register && keys[other] == keys[register])
                    {
                        interference[register].Add(other);
                        interference[other].Add(register);
                    }
                }
                if (!exceptionalHere.Get(register))
                    live.Clear(register);
            }

            var code = layout[b].Code;
            for (var i = code.Count - 1; i >= 0; i--)
            {
                if (!TryRegister(code[i], index, out var register, out var isDefinition))
                    continue;
                if (isDefinition)
                    Define(register);
                else
                    live.Set(register);
            }
            if (b != 0)
                continue;
            // Arguments are all defined when the method starts: each interferes with whatever else is live then.
            for (var r = 0; r < count; r++)
            {
                if (registers[r].Argument != null)
                    live.Set(r);
            }
            for (var r = 0; r < count; r++)
            {
                if (registers[r].Argument != null)
                    Define(r);
            }
        }

        var affinities = new Dictionary<int, List<int>>();
        foreach (var (destination, source) in copies)
        {
            if (!index.TryGetValue(destination, out var d) || !index.TryGetValue(source, out var s))
                continue;
            AddAffinity(affinities, d, s);
            AddAffinity(affinities, s, d);
        }
        var (locals, arguments, owner) = Color(registers, keys, interference, affinities);
        Rewrite(layout, registers, locals, arguments, owner);
        var result = new List<Local>();
        for (var local = 0; local < locals.Count; local++)
        {
            if (arguments[local] == null)
                result.Add(locals[local]);
        }
        return result;
    }

    private static void AddAffinity(Dictionary<int, List<int>> affinities, int from, int to)
    {
        if (!affinities.TryGetValue(from, out var partners))
        {
            partners = new List<int>();
            affinities.Add(from, partners);
        }
        partners.Add(to);
    }

    /// <summary>
    /// Greedy coloring in register order. A register prefers the local of a register it is copied from or to
    /// (a phi and its incoming values), so that the copy becomes <c>ldloc x; stloc x</c> and disappears. Named
    /// registers only share with registers of the same name or unnamed ones, so the debugger shows true names.
    /// </summary>
    private static (List<Local> Locals, List<ParameterDefinition?> Arguments, int[] Owner) Color(IReadOnlyList<Register> registers, string[] keys, HashSet<int>[] interference, Dictionary<int, List<int>> affinities)
    {
        var types = new List<string>();
        var names = new List<string?>();
        var variables = new List<VariableDefinition>();
        var arguments = new List<ParameterDefinition?>();
        var owner = new int[registers.Count];
        for (var i = 0; i < registers.Count; i++)
        {
            var name = registers[i].Name;
            var taken = new HashSet<int>();
            foreach (var neighbour in interference[i])
            {
                if (neighbour < i)
                    taken.Add(owner[neighbour]);
            }
            // Each argument is its own storage: no two arguments share, and an argument's register comes first in its group.
            var argument = registers[i].Argument;
            bool Fits(int local) => argument == null && types[local] == keys[i] && !taken.Contains(local) && (name == null || names[local] == null || names[local] == name);

            var chosen = -1;
            if (affinities.TryGetValue(i, out var partners))
            {
                foreach (var partner in partners)
                {
                    if (partner < i && Fits(owner[partner]))
                    {
                        chosen = owner[partner];
                        break;
                    }
                }
            }
            for (var local = 0; chosen < 0 && local < variables.Count; local++)
            {
                if (Fits(local))
                    chosen = local;
            }
            if (chosen < 0)
            {
                chosen = variables.Count;
                types.Add(keys[i]);
                names.Add(null);
                variables.Add(new VariableDefinition(registers[i].Variable.VariableType));
                arguments.Add(argument);
            }
            names[chosen] ??= name;
            owner[i] = chosen;
        }

        var locals = new List<Local>();
        for (var local = 0; local < variables.Count; local++)
            locals.Add(new Local(variables[local], names[local]));
        return (locals, arguments, owner);
    }

    /// <summary>
    /// Points every ldloc/stloc at its real local (or ldarg/starg at its argument) and drops the copies that
    /// coalescing made trivial.
    /// </summary>
    private static void Rewrite(IReadOnlyList<LoweredBlock> layout, IReadOnlyList<Register> registers, List<Local> locals, List<ParameterDefinition?> arguments, int[] owner)
    {
        var replacement = new Dictionary<VariableDefinition, int>();
        for (var i = 0; i < registers.Count; i++)
            replacement.Add(registers[i].Variable, owner[i]);
        foreach (var block in layout)
        {
            foreach (var instruction in block.Code)
            {
                if (instruction.Operand is not VariableDefinition variable || !replacement.TryGetValue(variable, out var local))
                    continue;
                if (arguments[local] is { } argument)
                {
                    instruction.OpCode = instruction.OpCode.Code == Code.Stloc ? OpCodes.Starg : OpCodes.Ldarg;
                    instruction.Operand = argument;
                }
                else
                {
                    instruction.Operand = locals[local].Variable;
                }
            }
            for (var i = block.Code.Count - 2; i >= 0; i--)
            {
                if (i + 1 < block.Code.Count && IsTrivialCopy(block.Code[i], block.Code[i + 1]))
                    block.Code.RemoveRange(i, 2);
            }
        }
    }

    private static bool IsTrivialCopy(Instruction load, Instruction store) =>
        (load.OpCode.Code, store.OpCode.Code) is (Code.Ldloc, Code.Stloc) or (Code.Ldarg, Code.Starg)
        && ReferenceEquals(load.Operand, store.Operand);

    private static bool TryRegister(Instruction instruction, Dictionary<VariableDefinition, int> index, out int register, out bool isDefinition)
    {
        register = -1;
        isDefinition = instruction.OpCode.Code == Code.Stloc;
        if (instruction.OpCode.Code is not (Code.Stloc or Code.Ldloc) || instruction.Operand is not VariableDefinition variable)
            return false;
        return index.TryGetValue(variable, out register);
    }

    private static int[] Indices(IReadOnlyList<LoweredBlock> blocks, Dictionary<LoweredBlock, int> blockIndex)
    {
        var result = new int[blocks.Count];
        for (var i = 0; i < blocks.Count; i++)
            result[i] = blockIndex[blocks[i]];
        return result;
    }
}
