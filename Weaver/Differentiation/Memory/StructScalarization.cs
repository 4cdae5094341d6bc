using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Analysis;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Optimization;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Memory;

/// <summary>
/// Scalar replacement of aggregates (LLVM's SROA, which Enzyme relies on running before differentiation):
/// every value of a <see cref="DifferentiableStruct"/> type becomes its float/double leaves, so derivatives
/// flow through struct locals, copies, phis, nested structs and field-wise constructors as through scalars.
/// <list type="bullet">
/// <item>A constructor whose effect is known (<see cref="StructConstructors"/>) becomes its field stores.</item>
/// <item>A struct read from memory (an array element, an object's field, a <c>ref</c>) becomes leaf loads through
/// field addresses, and a struct written to memory leaf stores: accesses the shadow memory mirrors.</item>
/// <item>A struct parameter is read leaf by leaf (<c>p.A.X</c>), which the shadow of an <c>Active</c>/<c>Dual</c> struct follows.</item>
/// <item>A returned struct is written into one return slot, which has a shadow: the tangent returned in forward mode,
/// the seed in reverse mode.</item>
/// <item>A struct local whose address only reaches its leaves splits into one local per leaf, then into SSA values.</item>
/// </list>
/// Other uses (a call's argument, a value a call returns) keep a whole struct in a local: memory without a shadow,
/// which the support check rejects when an active value would pass through it.
/// </summary>
public sealed class StructScalarization
{
    private readonly IrMethod method;
    private readonly IrBuilder builder;
    private readonly Dictionary<Value, Value[]> leaves = new();
    private readonly HashSet<Instruction> spills = new();
    private Instruction? returnSlot;

    private StructScalarization(IrMethod method)
    {
        this.method = method;
        builder = new IrBuilder(method);
    }

    /// <summary>Rewrites <paramref name="method"/> in place.</summary>
    public static ScalarizedStructs Run(IrMethod method)
    {
        var scalarization = new StructScalarization(method);
        scalarization.ExpandConstructors();
        scalarization.ScalarizeValues();
        if (scalarization.SplitLocals())
            new PromoteStackSlots().Run(method);
        var wholeLocals = method.Entry.Instructions
            .Where(i => i.Opcode == Opcode.StackSlot && i != scalarization.returnSlot && DifferentiableStruct.Is(i.TypeOperand!))
            .ToList();
        return new ScalarizedStructs(scalarization.returnSlot, wholeLocals);
    }

    private IEnumerable<Instruction> Instructions => method.Blocks.SelectMany(b => b.Instructions).ToList();

    private void ExpandConstructors()
    {
        foreach (var instruction in Instructions)
        {
            if (instruction.Member is not MethodReference { Name: ".ctor" } constructor || !DifferentiableStruct.Is(constructor.DeclaringType))
                continue;
            builder.Before(instruction).DebugLocation = instruction.DebugLocation;
            if (instruction.Opcode == Opcode.NewObject)
            {
                var slot = builder.StackSlot(instruction.Type, null);
                builder.Before(instruction);
                if (StructConstructors.TryExpand(constructor, builder, slot, instruction.Operands))
                    IrEdits.Replace(instruction, builder.Load(slot, instruction.Type));
                else
                    slot.Remove();
            }
            else if (instruction.Opcode == Opcode.Call && instruction.Operands[0].Type.IsByReference
                     && StructConstructors.TryExpand(constructor, builder, instruction.Operands[0], instruction.Operands.Skip(1).ToList()))
            {
                instruction.Remove();
            }
        }
    }

    private void ScalarizeValues()
    {
        foreach (var initialization in Instructions.Where(i => i.Opcode == Opcode.InitObject && DifferentiableStruct.Is(i.TypeOperand!)))
        {
            builder.Before(initialization).DebugLocation = initialization.DebugLocation;
            var type = initialization.TypeOperand!;
            foreach (var path in DifferentiableStruct.Leaves(type))
                builder.Store(AddressOf(initialization.Operands[0], path), method.Float(DifferentiableStruct.LeafType(path), 0), DifferentiableStruct.LeafType(path));
            initialization.Remove();
        }
        var values = method.Parameters.Cast<Value>().Concat(Instructions).Where(v => DifferentiableStruct.Is(v.Type)).ToList();
        foreach (var value in values)
        {
            foreach (var use in value.Uses.ToList())
                Rewrite(value, use);
        }
        RemoveDeadStructValues(values.OfType<Instruction>().ToList());
    }

    private void Rewrite(Value value, Use use)
    {
        var user = use.User;
        if (user.Block == null || spills.Contains(user) || user.Opcode == Opcode.Phi || user.Opcode == Opcode.LoadField && DifferentiableStruct.Is(user.Type))
        {
            // Struct values themselves (a phi, a nested struct read off this one): their leaves derive from this value's.
            return;
        }
        // First, as computing leaves inserts at their definitions; then everything goes right before the user.
        var parts = Leaves(value);
        builder.Before(user).DebugLocation = user.DebugLocation;
        switch (user.Opcode)
        {
            case Opcode.LoadField when use.Index == 0:
                IrEdits.Replace(user, parts[LeafIndex(value.Type, (FieldReference)user.Member!)]);
                break;
            case Opcode.Store when use.Index == 1:
                StoreLeaves(user.Operands[0], value.Type, parts);
                user.Remove();
                break;
            case Opcode.StoreElement when use.Index == 2:
                StoreLeaves(builder.ElementAddress(user.Operands[0], user.Operands[1], value.Type), value.Type, parts);
                user.Remove();
                break;
            case Opcode.StoreField when use.Index == 1:
                StoreLeaves(FieldAddress(user.Operands[0], (FieldReference)user.Member!), value.Type, parts);
                user.Remove();
                break;
            case Opcode.Return:
                returnSlot ??= builder.StackSlot(value.Type, "returned");
                StoreLeaves(returnSlot, value.Type, parts);
                user.SetOperand(0, builder.Load(returnSlot, value.Type));
                break;
            default:
                var whole = builder.StackSlot(value.Type, value.Name);
                StoreLeaves(whole, value.Type, parts);
                user.SetOperand(use.Index, builder.Load(whole, value.Type));
                break;
        }
    }

    private void StoreLeaves(Value address, TypeReference type, Value[] parts)
    {
        var paths = DifferentiableStruct.Leaves(type);
        for (var i = 0; i < paths.Count; i++)
            builder.Store(AddressOf(address, paths[i]), parts[i], DifferentiableStruct.LeafType(paths[i]));
    }

    // The index among type's leaves of the scalar field read directly off a value of that type.
    private static int LeafIndex(TypeReference type, FieldReference field) =>
        DifferentiableStruct.Leaves(type).Select((path, index) => (path, index)).First(p => p.path.Count == 1 && p.path[0].Name == field.Name).index;

    /// <summary>The leaves of a struct value, computed once, inserted where it is defined (the builder is left there).</summary>
    private Value[] Leaves(Value value)
    {
        if (leaves.TryGetValue(value, out var known))
            return known;
        var paths = DifferentiableStruct.Leaves(value.Type);
        Value[] result;
        switch (value)
        {
            case Instruction { Opcode: Opcode.Phi } phi:
                var phis = paths.Select(path => (Value)builder.Phi(phi.Block!, DifferentiableStruct.LeafType(path))).ToArray();
                leaves[value] = phis;
                for (var i = 0; i < phi.Operands.Count; i++)
                {
                    var incoming = Leaves(phi.Operands[i]);
                    for (var k = 0; k < phis.Length; k++)
                        ((Instruction)phis[k]).AddPhiIncoming(phi.Targets[i], incoming[k]);
                }
                result = phis;
                break;
            case Instruction { Opcode: Opcode.LoadField } read when !ShadowedMemory.IsPointer(read.Operands[0].Type):
                var parent = DifferentiableStruct.Leaves(read.Operands[0].Type);
                var parentLeaves = Leaves(read.Operands[0]);
                result = parent.Select((path, index) => (path, index)).Where(p => p.path[0].Name == read.Member!.Name).Select(p => parentLeaves[p.index]).ToArray();
                break;
            case Parameter parameter:
                AtEntry();
                result = paths.Select(path => path.Aggregate((Value)parameter, LoadField)).ToArray();
                break;
            case Instruction instruction when AddressRead(instruction) is { } address:
                result = paths.Select(path => (Value)builder.Load(AddressOf(address(), path), DifferentiableStruct.LeafType(path))).ToArray();
                break;
            case Constant { Payload: null }:
                result = paths.Select(path => (Value)method.Float(DifferentiableStruct.LeafType(path), 0)).ToArray();
                break;
            default:
                result = Spill(value, paths);
                break;
        }
        leaves[value] = result;
        return result;
    }

    /// <summary>For a struct read from memory (<c>ldobj</c>, <c>ldelem</c>, <c>ldfld</c> of an object or address): positions the builder there and returns a maker of the address.</summary>
    private System.Func<Value>? AddressRead(Instruction instruction)
    {
        switch (instruction.Opcode)
        {
            case Opcode.Load:
                builder.Before(instruction);
                return () => instruction.Operands[0];
            case Opcode.LoadElement:
                builder.Before(instruction);
                Value? element = null;
                return () => element ??= builder.ElementAddress(instruction.Operands[0], instruction.Operands[1], instruction.Type);
            case Opcode.LoadField when ShadowedMemory.IsPointer(instruction.Operands[0].Type):
                builder.Before(instruction);
                Value? field = null;
                return () => field ??= FieldAddress(instruction.Operands[0], (FieldReference)instruction.Member!);
            default:
                return null;
        }
    }

    /// <summary>A struct from anywhere else (a call's result): kept whole in a local right after it, its leaves read from there.</summary>
    private Value[] Spill(Value value, IReadOnlyList<IReadOnlyList<FieldReference>> paths)
    {
        var definition = (Instruction)value;
        var block = definition.Block!;
        builder.Before(block.Instructions[block.Instructions.IndexOf(definition) + 1]);
        var slot = builder.StackSlot(value.Type, value.Name);
        spills.Add(builder.Store(slot, value, value.Type));
        return paths.Select(path => (Value)builder.Load(AddressOf(slot, path), DifferentiableStruct.LeafType(path))).ToArray();
    }

    private void AtEntry()
    {
        var entry = method.Entry;
        builder.Before(entry.Instructions.First(i => i.Opcode is not (Opcode.Phi or Opcode.StackSlot)));
    }

    private Value AddressOf(Value address, IReadOnlyList<FieldReference> path) => path.Aggregate(address, FieldAddress);

    private Value FieldAddress(Value instance, FieldReference field) => builder.ResolvedFieldAddress(instance, field);

    private Value LoadField(Value instance, FieldReference field) => builder.LoadResolvedField(instance, field);

    /// <summary>Struct locals reached only leaf by leaf become one local per leaf (PromoteStackSlots then makes them SSA values); true when any did.</summary>
    private bool SplitLocals()
    {
        var split = false;
        foreach (var slot in method.Entry.Instructions.Where(i => i.Opcode == Opcode.StackSlot && i != returnSlot && !spills.Any(s => s.Operands[0] == i)
                     && DifferentiableStruct.Is(i.TypeOperand!) && (i.Flags & InstructionFlags.Pinned) == 0 && ReachesOnlyLeaves(i, i.TypeOperand!)).ToList())
        {
            var paths = DifferentiableStruct.Leaves(slot.TypeOperand!);
            var leafSlots = paths.Select(path => builder.StackSlot(DifferentiableStruct.LeafType(path), slot.Name == null ? null : slot.Name + "." + string.Join(".", path.Select(f => f.Name)))).ToList();
            Redirect(slot, System.Array.Empty<FieldReference>(), paths, leafSlots);
            slot.Remove();
            split = true;
        }
        return split;
    }

    // True when every use of an address of a struct goes to a float/double field: by its address, ldfld or stfld.
    private static bool ReachesOnlyLeaves(Value address, TypeReference type) => address.Uses.All(use =>
        use.Index == 0 && use.User.Member is FieldReference field && DifferentiableStruct.Is(type) && use.User.Opcode switch
        {
            Opcode.FieldAddress => DifferentiableStruct.Is(DifferentiableStruct.FieldType(field))
                ? ReachesOnlyLeaves(use.User, DifferentiableStruct.FieldType(field))
                : use.User.Uses.All(u => u.Index == 0 && u.User.Opcode is Opcode.Load or Opcode.Store),
            Opcode.LoadField or Opcode.StoreField => !DifferentiableStruct.Is(DifferentiableStruct.FieldType(field)),
            _ => false,
        });

    private void Redirect(Value address, IReadOnlyList<FieldReference> prefix, IReadOnlyList<IReadOnlyList<FieldReference>> paths, List<Instruction> leafSlots)
    {
        foreach (var use in address.Uses.ToList())
        {
            var user = use.User;
            var field = (FieldReference)user.Member!;
            var path = prefix.Append(field).ToList();
            if (user.Opcode == Opcode.FieldAddress && DifferentiableStruct.Is(DifferentiableStruct.FieldType(field)))
            {
                Redirect(user, path, paths, leafSlots);
                user.Remove();
                continue;
            }
            var leafSlot = leafSlots[IndexOf(paths, path)];
            builder.Before(user).DebugLocation = user.DebugLocation;
            switch (user.Opcode)
            {
                case Opcode.FieldAddress:
                    IrEdits.Replace(user, leafSlot);
                    break;
                case Opcode.LoadField:
                    IrEdits.Replace(user, builder.Load(leafSlot, leafSlot.TypeOperand!));
                    break;
                default:
                    builder.Store(leafSlot, user.Operands[1], leafSlot.TypeOperand!);
                    user.Remove();
                    break;
            }
        }
    }

    private static int IndexOf(IReadOnlyList<IReadOnlyList<FieldReference>> paths, IReadOnlyList<FieldReference> path) =>
        paths.Select((candidate, index) => (candidate, index)).First(p => p.candidate.Select(f => f.Name).SequenceEqual(path.Select(f => f.Name))).index;

    private static void RemoveDeadStructValues(List<Instruction> values)
    {
        for (var removed = true; removed;)
        {
            removed = false;
            foreach (var value in values.Where(v => v.Block != null && v.Uses.All(u => u.User == v) && v.Opcode is Opcode.Load or Opcode.LoadElement or Opcode.LoadField or Opcode.Phi))
            {
                value.Remove();
                removed = true;
            }
        }
    }
}
