using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Optimization;

/// <summary>
/// Scalar replacement of struct locals (LLVM's SROA): a stack slot of a struct whose fields are all 32/64-bit integers,
/// floats or references, reached only field by field — field loads and stores, field addresses that are only loaded or
/// stored, <c>initobj</c>, whole loads read only field by field, and whole copies between such locals (Roslyn builds an
/// initializer in a temporary, then copies it) — becomes one slot per field, which <see cref="PromoteStackSlots"/> makes
/// SSA values. Any other use (a copy passed to a call, a call receiving its address) keeps the local whole. Structs with explicit layout (fields may overlap) and generic instances are left alone.
/// Differentiation splits differentiable structs in more places (<c>StructScalarization</c>); this runs on any struct
/// in both presets.
/// </summary>
public sealed class ScalarizeStructLocals : IIrPass
{
    public string Name => "ScalarizeStructLocals";

    public bool Run(IrMethod method)
    {
        var candidates = new Dictionary<Instruction, IReadOnlyList<FieldDefinition>>();
        foreach (var slot in method.Entry.Instructions.Where(i => i.Opcode == Opcode.StackSlot))
        {
            if (FieldsOf(method, slot) is { } fields)
                candidates.Add(slot, fields);
        }
        // A copy between two locals is field-wise only while both split: drop locals with other uses until none drops.
        bool dropped;
        do
        {
            dropped = false;
            foreach (var slot in candidates.Keys.ToList())
            {
                if (!slot.Uses.All(u => IsFieldwise(u, slot, candidates)))
                    dropped = candidates.Remove(slot);
            }
        }
        while (dropped);
        if (candidates.Count == 0)
            return false;
        var builder = new IrBuilder(method);
        var fieldSlots = candidates.ToDictionary(
            c => c.Key,
            c => (IReadOnlyList<Instruction>)c.Value.Select(f => builder.StackSlot(method.Module.ImportReference(f.FieldType), $"{c.Key.Name ?? "struct"}.{f.Name}")).ToList());
        foreach (var slot in candidates.Keys)
            Split(method, slot, candidates[slot], fieldSlots);
        foreach (var slot in candidates.Keys)
            slot.Remove();
        return true;
    }

    /// <summary>The instance fields of a splittable slot's struct type; null when it is not one.</summary>
    private static IReadOnlyList<FieldDefinition>? FieldsOf(IrMethod method, Instruction slot)
    {
        var type = slot.TypeOperand!;
        if ((slot.Flags & InstructionFlags.Pinned) != 0 || !type.IsValueType || type.IsPrimitive || type is GenericInstanceType || type.HasGenericParameters)
            return null;
        var definition = type.Resolve();
        if (definition == null || definition.IsEnum || definition.IsExplicitLayout)
            return null;
        var fields = definition.Fields.Where(f => !f.IsStatic).ToList();
        return fields.Count > 0 && fields.All(f => PromoteStackSlots.HoldsValuesExactly(method, f.FieldType)) ? fields : null;
    }

    private static bool IsFieldwise(Use use, Instruction slot, IReadOnlyDictionary<Instruction, IReadOnlyList<FieldDefinition>> candidates)
    {
        var user = use.User;
        var fields = candidates[slot];
        if (use.Index != 0 || !IsPlain(user))
            return false;
        return user.Opcode switch
        {
            Opcode.LoadField or Opcode.StoreField => IndexOf(fields, user.Member) >= 0,
            Opcode.FieldAddress => IndexOf(fields, user.Member) is var i and >= 0 && user.Uses.All(u =>
                u.Index == 0 && u.User.Opcode is Opcode.Load or Opcode.Store && IsPlain(u.User) && IrTypes.AreSame(u.User.TypeOperand!, fields[i].FieldType)),
            Opcode.InitObject => IrTypes.AreSame(user.TypeOperand!, slot.TypeOperand!),
            // A whole read, used field by field or copied whole into another splitting local.
            Opcode.Load => IrTypes.AreSame(user.TypeOperand!, slot.TypeOperand!) && user.Uses.All(u =>
                u.Index == 0 && u.User.Opcode == Opcode.LoadField && IndexOf(fields, u.User.Member) >= 0
                || u.Index == 1 && IsCopy(u.User, candidates)),
            // A whole write, of a whole read of a splitting local.
            Opcode.Store => IsCopy(user, candidates),
            _ => false,
        };
    }

    /// <summary>A plain whole store of a struct into a splitting local, of a plain whole load from a splitting local of the same type.</summary>
    private static bool IsCopy(Instruction store, IReadOnlyDictionary<Instruction, IReadOnlyList<FieldDefinition>> candidates) =>
        store.Opcode == Opcode.Store && IsPlain(store)
        && store.Operands[0] is Instruction destination && candidates.ContainsKey(destination) && IrTypes.AreSame(store.TypeOperand!, destination.TypeOperand!)
        && store.Operands[1] is Instruction { Opcode: Opcode.Load } load && IsPlain(load)
        && load.Operands[0] is Instruction source && candidates.ContainsKey(source) && IrTypes.AreSame(source.TypeOperand!, destination.TypeOperand!);

    private static bool IsPlain(Instruction access) => (access.Flags & (InstructionFlags.Volatile | InstructionFlags.Unaligned)) == 0;

    private static int IndexOf(IReadOnlyList<FieldDefinition> fields, MemberReference? member)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (member is FieldReference field && field.Name == fields[i].Name && IrTypes.AreSame(field.DeclaringType, fields[i].DeclaringType))
                return i;
        }
        return -1;
    }

    private static void Split(IrMethod method, Instruction slot, IReadOnlyList<FieldDefinition> fields, IReadOnlyDictionary<Instruction, IReadOnlyList<Instruction>> fieldSlots)
    {
        var builder = new IrBuilder(method);
        var own = fieldSlots[slot];
        foreach (var user in slot.Uses.Select(u => u.User).Distinct().ToList())
        {
            builder.Before(user);
            builder.DebugLocation = user.DebugLocation;
            switch (user.Opcode)
            {
                case Opcode.LoadField:
                    IrEdits.Replace(user, Load(builder, own[IndexOf(fields, user.Member)]));
                    break;
                case Opcode.StoreField:
                {
                    var field = own[IndexOf(fields, user.Member)];
                    builder.Store(field, user.Operands[1], field.TypeOperand!);
                    user.Remove();
                    break;
                }
                case Opcode.FieldAddress:
                    IrEdits.Replace(user, own[IndexOf(fields, user.Member)]);
                    break;
                case Opcode.InitObject:
                    foreach (var field in own)
                        builder.Store(field, IrEdits.Zero(method, field.TypeOperand!), field.TypeOperand!);
                    user.Remove();
                    break;
                case Opcode.Load:
                {
                    // Every field read where the whole struct was read: a field stored after it must not show through.
                    var values = own.Select(f => Load(builder, f)).ToList();
                    foreach (var reader in user.Uses.Select(u => u.User).Distinct().ToList())
                    {
                        if (reader.Opcode == Opcode.LoadField)
                        {
                            IrEdits.Replace(reader, values[IndexOf(fields, reader.Member)]);
                            continue;
                        }
                        var destination = fieldSlots[(Instruction)reader.Operands[0]];
                        builder.Before(reader);
                        for (var i = 0; i < destination.Count; i++)
                            builder.Store(destination[i], values[i], destination[i].TypeOperand!);
                        reader.Remove();
                    }
                    user.Remove();
                    break;
                }
            }
        }
    }

    private static Instruction Load(IrBuilder builder, Instruction fieldSlot) => builder.Load(fieldSlot, fieldSlot.TypeOperand!);
}
