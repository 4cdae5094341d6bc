using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Ir;
using Mono.Cecil.Cil;
using CilInstruction = Mono.Cecil.Cil.Instruction;

namespace Autodiff.Weaver.Frontend;

/// <summary>
/// Basic blocks, exception ranges and reachability of a CIL body. Handler and filter entries are reached
/// from every block of their try (ECMA-335 §I.12.4.2); code reached neither way is dead and not lifted.
/// </summary>
internal sealed class CilControlFlow
{
    private readonly Dictionary<CilInstruction, CilBlock> blockAt = new();

    private CilControlFlow(MethodBody body)
    {
        var codeEnd = body.CodeSize;
        BuildRanges(body, codeEnd);
        BuildBlocks(body);
        ComputeReachability();
    }

    /// <summary>Every block, in offset order.</summary>
    public List<CilBlock> Blocks { get; } = new();

    /// <summary>Try ranges before their handlers, inner before outer (exception-table order).</summary>
    public List<CilRange> Ranges { get; } = new();

    /// <summary>Reachable blocks in reverse postorder over normal and exceptional edges.</summary>
    public List<CilBlock> ReversePostorder { get; } = new();

    public static CilControlFlow Build(MethodBody body) => new(body);

    public CilBlock BlockAt(CilInstruction instruction) => blockAt[instruction];

    /// <summary>Entries of the filters and handlers that an exception raised in <paramref name="block"/> may reach.</summary>
    public IEnumerable<CilBlock> ExceptionalSuccessors(CilBlock block)
    {
        for (var range = block.Range; range != null; range = range.Parent)
        {
            if (range.Kind != RegionKind.Try)
                continue;
            foreach (var handler in Ranges.Where(r => ReferenceEquals(r.Try, range)))
                yield return EntryOf(handler);
        }
    }

    /// <summary>The block a range starts with.</summary>
    public CilBlock EntryOf(CilRange range) => Blocks.First(b => b.First.Offset == range.Start);

    private void BuildRanges(MethodBody body, int codeEnd)
    {
        static int EndOf(CilInstruction? instruction, int codeEnd) => instruction?.Offset ?? codeEnd;

        foreach (var handler in body.ExceptionHandlers)
        {
            var tryStart = handler.TryStart.Offset;
            var tryEnd = EndOf(handler.TryEnd, codeEnd);
            var tryRange = Ranges.FirstOrDefault(r => r.Kind == RegionKind.Try && r.Start == tryStart && r.End == tryEnd);
            if (tryRange == null)
            {
                tryRange = new CilRange(RegionKind.Try, tryStart, tryEnd, null);
                Ranges.Add(tryRange);
            }
            CilRange? filter = null;
            if (handler.HandlerType == ExceptionHandlerType.Filter)
            {
                filter = new CilRange(RegionKind.Filter, handler.FilterStart.Offset, handler.HandlerStart.Offset, handler) { Try = tryRange };
                Ranges.Add(filter);
            }
            var kind = handler.HandlerType switch
            {
                ExceptionHandlerType.Catch => RegionKind.Catch,
                ExceptionHandlerType.Filter => RegionKind.FilteredCatch,
                ExceptionHandlerType.Finally => RegionKind.Finally,
                _ => RegionKind.Fault,
            };
            Ranges.Add(new CilRange(kind, handler.HandlerStart.Offset, EndOf(handler.HandlerEnd, codeEnd), handler) { Try = tryRange, Filter = filter });
        }
        foreach (var range in Ranges)
        {
            range.Parent = Ranges
                .Where(r => r.Contains(range))
                .OrderBy(r => r.End - r.Start)
                .FirstOrDefault();
        }
    }

    private void BuildBlocks(MethodBody body)
    {
        var leaders = new HashSet<CilInstruction>();
        if (body.Instructions.Count > 0)
            leaders.Add(body.Instructions[0]);
        foreach (var instruction in body.Instructions)
        {
            foreach (var target in BranchTargets(instruction))
                leaders.Add(target);
            if (EndsBlock(instruction) && instruction.Next != null)
                leaders.Add(instruction.Next);
        }
        foreach (var handler in body.ExceptionHandlers)
        {
            leaders.Add(handler.TryStart);
            leaders.Add(handler.HandlerStart);
            if (handler.FilterStart != null)
                leaders.Add(handler.FilterStart);
            if (handler.TryEnd != null)
                leaders.Add(handler.TryEnd);
            if (handler.HandlerEnd != null)
                leaders.Add(handler.HandlerEnd);
        }

        CilBlock? current = null;
        foreach (var instruction in body.Instructions)
        {
            if (current == null || leaders.Contains(instruction))
            {
                current = new CilBlock(instruction);
                current.Range = Ranges.Where(r => r.Contains(instruction.Offset)).OrderBy(r => r.End - r.Start).FirstOrDefault();
                Blocks.Add(current);
            }
            current.Instructions.Add(instruction);
            blockAt[instruction] = current;
        }

        foreach (var block in Blocks)
        {
            var last = block.Last;
            foreach (var target in BranchTargets(last))
                AddSuccessor(block, blockAt[target]);
            if (FallsThrough(last) && last.Next != null)
                AddSuccessor(block, blockAt[last.Next]);
        }
    }

    private static void AddSuccessor(CilBlock block, CilBlock successor)
    {
        if (!block.Successors.Contains(successor))
            block.Successors.Add(successor);
    }

    private void ComputeReachability()
    {
        if (Blocks.Count == 0)
            return;
        var postorder = new List<CilBlock>();
        var stack = new Stack<(CilBlock Block, List<CilBlock> Next, int Index)>();
        Blocks[0].IsReachable = true;
        stack.Push((Blocks[0], AllSuccessors(Blocks[0]), 0));
        while (stack.Count > 0)
        {
            var (block, next, index) = stack.Pop();
            if (index < next.Count)
            {
                stack.Push((block, next, index + 1));
                var successor = next[index];
                if (!successor.IsReachable)
                {
                    successor.IsReachable = true;
                    stack.Push((successor, AllSuccessors(successor), 0));
                }
            }
            else
            {
                postorder.Add(block);
            }
        }
        postorder.Reverse();
        ReversePostorder.AddRange(postorder);

        foreach (var block in Blocks.Where(b => b.IsReachable))
        {
            foreach (var successor in block.Successors)
                successor.Predecessors.Add(block);
        }
    }

    private List<CilBlock> AllSuccessors(CilBlock block)
    {
        var all = new List<CilBlock>(block.Successors);
        foreach (var handler in ExceptionalSuccessors(block))
        {
            if (!all.Contains(handler))
                all.Add(handler);
        }
        return all;
    }

    /// <summary>Targets of a branch, leave or switch.</summary>
    public static IEnumerable<CilInstruction> BranchTargets(CilInstruction instruction) => instruction.Operand switch
    {
        CilInstruction target when instruction.OpCode.FlowControl is FlowControl.Branch or FlowControl.Cond_Branch => new[] { target },
        CilInstruction[] targets => targets,
        _ => Enumerable.Empty<CilInstruction>(),
    };

    private static bool EndsBlock(CilInstruction instruction) =>
        instruction.OpCode.FlowControl is FlowControl.Branch or FlowControl.Cond_Branch or FlowControl.Return or FlowControl.Throw
        || instruction.OpCode.Code is Code.Jmp or Code.Endfinally or Code.Endfilter;

    private static bool FallsThrough(CilInstruction instruction) =>
        !(instruction.OpCode.FlowControl is FlowControl.Branch or FlowControl.Return or FlowControl.Throw)
        && instruction.OpCode.Code is not (Code.Jmp or Code.Endfinally or Code.Endfilter);
}
