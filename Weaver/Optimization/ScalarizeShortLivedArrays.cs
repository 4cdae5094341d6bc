using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Optimization;

/// <summary>
/// Scalar replacement of short-lived arrays (LLVM's SROA applied to a heap allocation that never escapes, as its
/// heap-to-stack promotion does for <c>malloc</c>): a <c>new T[n]</c> with a constant n ≤ <see cref="MaxLength"/>
/// whose every use is an element load, store or address at a constant index inside the array, or its length
/// converted to int32/int64, becomes one stack slot per element, zeroed where the array was allocated; the
/// allocation goes. <see cref="PromoteStackSlots"/> then makes the slots SSA values, so differentiation sees
/// scalars and a derivative neither allocates the array nor its shadow.
/// <para>
/// Exceptions stay exact: a fresh array is never null and has exactly type <c>T[]</c>, so an in-range access cannot
/// throw; an array with an index out of range (which must throw <c>IndexOutOfRangeException</c>), a non-constant index,
/// or any other use — stored, passed, returned, compared, merged by a phi, its element address passed on — is left
/// alone. Element types are those a slot holds as an element does (32/64-bit integers, floats, references).
/// </para>
/// </summary>
public sealed class ScalarizeShortLivedArrays : IIrPass
{
    /// <summary>The longest array replaced: each element becomes a local.</summary>
    public const int MaxLength = 16;

    public string Name => "ScalarizeShortLivedArrays";

    public bool Run(IrMethod method)
    {
        var arrays = method.Blocks.SelectMany(b => b.Instructions)
            .Where(i => i.Opcode == Opcode.NewArray && LengthOf(i) is { } length && IsReplaceable(i, length))
            .ToList();
        foreach (var array in arrays)
            Replace(method, array, LengthOf(array)!.Value);
        return arrays.Count > 0;
    }

    private static int? LengthOf(Instruction allocation) =>
        allocation.Operands[0] is Constant { Payload: int length } && length is >= 0 and <= MaxLength ? length : null;

    private static bool IsReplaceable(Instruction allocation, int length)
    {
        var elementType = allocation.TypeOperand!;
        if (!PromoteStackSlots.HoldsValuesExactly(allocation.Block!.Method, elementType))
            return false;
        foreach (var (user, index) in allocation.Uses)
        {
            var accepted = index == 0 && user.Opcode switch
            {
                Opcode.LoadElement or Opcode.StoreElement => IsInRange(user.Operands[1], length) && IrTypes.AreSame(user.TypeOperand!, elementType) && IsPlain(user),
                Opcode.ElementAddress => IsInRange(user.Operands[1], length) && IrTypes.AreSame(user.TypeOperand!, elementType) && OnlyLoadedOrStored(user, elementType),
                Opcode.ArrayLength => user.Uses.All(u => u.User is { Opcode: Opcode.Convert, Type.MetadataType: MetadataType.Int32 or MetadataType.Int64 }),
                _ => false,
            };
            if (!accepted)
                return false;
        }
        return true;
    }

    private static bool IsInRange(Value index, int length) => index is Constant { Payload: int i } && i >= 0 && i < length;

    private static bool IsPlain(Instruction access) => (access.Flags & (InstructionFlags.Volatile | InstructionFlags.Unaligned)) == 0;

    /// <summary>An element address that is only the address of plain loads and stores of the element's type.</summary>
    private static bool OnlyLoadedOrStored(Instruction address, TypeReference elementType) =>
        address.Uses.All(u => u.Index == 0 && u.User.Opcode is Opcode.Load or Opcode.Store && IrTypes.AreSame(u.User.TypeOperand!, elementType) && IsPlain(u.User));

    private static void Replace(IrMethod method, Instruction allocation, int length)
    {
        var elementType = allocation.TypeOperand!;
        var builder = new IrBuilder(method) { DebugLocation = allocation.DebugLocation };
        var name = allocation.Name ?? "array";
        var slots = new Instruction[length];
        for (var i = 0; i < length; i++)
        {
            slots[i] = builder.StackSlot(elementType, $"{name}[{i}]");
            // A new array is zeroed on every execution of the allocation, in a loop too.
            builder.Before(allocation).Store(slots[i], IrEdits.Zero(method, elementType), elementType);
        }
        foreach (var user in allocation.Uses.Select(u => u.User).Distinct().ToList())
        {
            builder.Before(user);
            builder.DebugLocation = user.DebugLocation;
            switch (user.Opcode)
            {
                case Opcode.LoadElement:
                    IrEdits.Replace(user, builder.Load(SlotOf(user, slots), elementType));
                    break;
                case Opcode.StoreElement:
                    builder.Store(SlotOf(user, slots), user.Operands[2], elementType);
                    user.Remove();
                    break;
                case Opcode.ElementAddress:
                    IrEdits.Replace(user, SlotOf(user, slots));
                    break;
                default:
                    foreach (var conversion in user.Uses.Select(u => u.User).Distinct().ToList())
                        IrEdits.Replace(conversion, conversion.Type.MetadataType == MetadataType.Int32 ? method.Int32(length) : method.Int64(length));
                    user.Remove();
                    break;
            }
        }
        allocation.Remove();
    }

    private static Instruction SlotOf(Instruction access, IReadOnlyList<Instruction> slots) => slots[(int)((Constant)access.Operands[1]).Payload!];
}
