using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Ir.Construction;
using Mono.Cecil;

namespace Autodiff.Weaver.Optimization;

/// <summary>
/// mem2reg: a stack slot whose address never escapes — it is only the address operand of loads and
/// stores of exactly the slot's type — becomes SSA values, rebuilt with <see cref="SsaConstruction{TVariable}"/>
/// (Braun et al., CC 2013) over the blocks in reverse postorder. Only slots of types whose store keeps
/// every bit of the stored value qualify (32/64-bit integers, floats, references): a store to a
/// <c>byte</c> or <c>bool</c> slot truncates, which a promoted value would not. A slot in a
/// method with exception regions is promoted only when it is written before it is read within one block (no value
/// crosses an edge), because handler entries are reached by edges that phis cannot name.
/// </summary>
public sealed class PromoteStackSlots : IIrPass
{
    public string Name => "PromoteStackSlots";

    public bool Run(IrMethod method)
    {
        var slots = method.Entry.Instructions.Where(i => i.Opcode == Opcode.StackSlot && IsPromotable(method, i)).ToList();
        if (slots.Count == 0)
            return false;
        var promoted = new HashSet<Instruction>(slots);
        var predecessors = method.Blocks.ToDictionary(b => b, b => b.Predecessors);
        var ssa = new SsaConstruction<Instruction>(method, b => predecessors[b], s => s.TypeOperand, s => IrEdits.Zero(method, s.TypeOperand!), s => s.Name);

        var order = DominatorTree.Compute(method).ReversePostorder.ToList();
        order.AddRange(method.Blocks.Where(b => !order.Contains(b)));
        var remaining = predecessors.ToDictionary(p => p.Key, p => p.Value.Count);
        foreach (var block in order.Where(b => remaining[b] == 0))
            ssa.SealBlock(block);
        foreach (var block in order)
        {
            foreach (var instruction in block.Instructions.ToList())
            {
                if (instruction.Opcode == Opcode.Load && instruction.Operands[0] is Instruction loaded && promoted.Contains(loaded))
                {
                    IrEdits.Replace(instruction, ssa.ReadVariable(loaded, block));
                }
                else if (instruction.Opcode == Opcode.Store && instruction.Operands[0] is Instruction stored && promoted.Contains(stored))
                {
                    ssa.WriteVariable(stored, block, ssa.Resolve(instruction.Operands[1]));
                    instruction.Remove();
                }
            }
            foreach (var successor in block.Successors.Distinct())
            {
                if (--remaining[successor] == 0)
                    ssa.SealBlock(successor);
            }
        }
        foreach (var block in order)
            ssa.SealBlock(block);
        foreach (var slot in slots)
            slot.Remove();
        return true;
    }

    private static bool IsPromotable(IrMethod method, Instruction slot)
    {
        var type = slot.TypeOperand!;
        if ((slot.Flags & InstructionFlags.Pinned) != 0 || !HoldsValuesExactly(method, type))
            return false;
        foreach (var use in slot.Uses)
        {
            var user = use.User;
            if (use.Index != 0 || user.Opcode is not (Opcode.Load or Opcode.Store) || !IrTypes.AreSame(user.TypeOperand!, type)
                || (user.Flags & (InstructionFlags.Volatile | InstructionFlags.Unaligned)) != 0)
                return false;
            if (user.Opcode == Opcode.Store && method.Types.KindOf(user.Operands[1].Type) != method.Types.KindOf(type)
                && user.Operands[1] is not Constant { Payload: null })
                return false;
        }
        if (method.Regions.Count == 0 || slot.Uses.Count == 0)
            return true;
        // With regions, only a slot written before it is read within one block: no read looks past the block.
        var block = slot.Uses[0].User.Block!;
        var first = block.Instructions.FirstOrDefault(i => ReferenceEquals(i.Operands.FirstOrDefault(), slot));
        return slot.Uses.All(u => ReferenceEquals(u.User.Block, block)) && first?.Opcode == Opcode.Store;
    }

    /// <summary>Types whose store keeps every bit of the stored value (32/64-bit integers, floats, non-generic references): the slots this pass promotes.</summary>
    internal static bool HoldsValuesExactly(IrMethod method, TypeReference type) =>
        type.MetadataType is MetadataType.Int32 or MetadataType.UInt32 or MetadataType.Int64 or MetadataType.UInt64
            or MetadataType.Single or MetadataType.Double
        || method.Types.KindOf(type) == StackKind.Reference && !type.IsGenericParameter;
}
