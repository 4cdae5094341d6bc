using System.Collections.Generic;
using Mono.Cecil.Cil;

namespace Autodiff.Weaver.Backend;

/// <summary>
/// Removes the jumps that only became redundant once locals were coalesced: an edge block whose copies all
/// vanished leaves <c>bcc L1; br L2; L1:</c>, which becomes <c>b!cc L2</c>, and a <c>br</c> to the very next
/// instruction, which disappears.
/// </summary>
internal static class BranchCleanup
{
    /// <param name="inverses">For each conditional branch, the opcode that branches exactly when it does not.</param>
    public static void Run(List<Instruction> code, Dictionary<Instruction, OpCode> inverses, IList<ExceptionHandler> handlers)
    {
        var changed = true;
        while (changed)
        {
            changed = false;
            var referenced = References(code, handlers);
            for (var i = 0; i < code.Count; i++)
            {
                var instruction = code[i];
                if (instruction.OpCode.Code == Code.Br && i + 1 < code.Count && ReferenceEquals(instruction.Operand, code[i + 1]))
                {
                    Retarget(code, handlers, instruction, code[i + 1]);
                    code.RemoveAt(i);
                    changed = true;
                    break;
                }
                if (inverses.TryGetValue(instruction, out var inverse) && i + 2 < code.Count && code[i + 1].OpCode.Code == Code.Br
                    && ReferenceEquals(instruction.Operand, code[i + 2]) && !referenced.Contains(code[i + 1]))
                {
                    inverses[instruction] = instruction.OpCode;
                    instruction.OpCode = inverse;
                    instruction.Operand = code[i + 1].Operand;
                    code.RemoveAt(i + 1);
                    changed = true;
                    break;
                }
            }
        }
    }

    private static HashSet<Instruction> References(List<Instruction> code, IList<ExceptionHandler> handlers)
    {
        var referenced = new HashSet<Instruction>();
        foreach (var instruction in code)
        {
            if (instruction.Operand is Instruction target)
                referenced.Add(target);
            else if (instruction.Operand is Instruction[] targets)
                referenced.UnionWith(targets);
        }
        foreach (var handler in handlers)
        {
            foreach (var boundary in new[] { handler.TryStart, handler.TryEnd, handler.HandlerStart, handler.HandlerEnd, handler.FilterStart })
            {
                if (boundary != null)
                    referenced.Add(boundary);
            }
        }
        return referenced;
    }

    private static void Retarget(List<Instruction> code, IList<ExceptionHandler> handlers, Instruction from, Instruction to)
    {
        foreach (var instruction in code)
        {
            if (ReferenceEquals(instruction.Operand, from))
            {
                instruction.Operand = to;
            }
            else if (instruction.Operand is Instruction[] targets)
            {
                for (var i = 0; i < targets.Length; i++)
                {
                    if (ReferenceEquals(targets[i], from))
                        targets[i] = to;
                }
            }
        }
        foreach (var handler in handlers)
        {
            if (ReferenceEquals(handler.TryStart, from)) handler.TryStart = to;
            if (ReferenceEquals(handler.TryEnd, from)) handler.TryEnd = to;
            if (ReferenceEquals(handler.HandlerStart, from)) handler.HandlerStart = to;
            if (ReferenceEquals(handler.HandlerEnd, from)) handler.HandlerEnd = to;
            if (ReferenceEquals(handler.FilterStart, from)) handler.FilterStart = to;
        }
    }
}
