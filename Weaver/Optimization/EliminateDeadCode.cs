using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Ir;

namespace Autodiff.Weaver.Optimization;

/// <summary>
/// Removes unreachable blocks (and their phi inputs and regions), then every instruction whose result
/// no live instruction needs — by marking from the roots, so chains and cycles of phis that only feed
/// each other go too. Roots are terminators and instructions with side effects or that may throw
/// (removing a throwing instruction would change behaviour), except calls known to be pure
/// (<see cref="PureMethods"/>).
/// </summary>
public sealed class EliminateDeadCode : IIrPass
{
    public string Name => "EliminateDeadCode";

    public bool Run(IrMethod method)
    {
        var changed = IrEdits.RemoveUnreachableBlocks(method);
        var all = method.Blocks.SelectMany(b => b.Instructions).ToList();
        var live = new HashSet<Instruction>();
        var work = new Stack<Instruction>();
        foreach (var instruction in all.Where(IsRoot))
        {
            live.Add(instruction);
            work.Push(instruction);
        }
        while (work.Count > 0)
        {
            foreach (var operand in work.Pop().Operands)
            {
                if (operand is Instruction definition && live.Add(definition))
                    work.Push(definition);
            }
        }
        var dead = all.Where(i => !live.Contains(i)).ToList();
        foreach (var instruction in dead)
            instruction.SetOperands(System.Array.Empty<Value>());
        foreach (var instruction in dead)
            instruction.Remove();
        return changed || dead.Count > 0;
    }

    private static bool IsRoot(Instruction instruction)
    {
        if (PureMethods.IsPureCall(instruction))
            return false;
        // The exception object is how a handler takes the exception off the stack; it stays even unused.
        return !InstructionEffects.IsPure(instruction) || instruction.Opcode == Opcode.ExceptionObject;
    }
}
