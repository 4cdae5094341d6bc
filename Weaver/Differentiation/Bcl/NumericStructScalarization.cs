using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Ir.Construction;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Bcl;

/// <summary>
/// Scalar replacement of <see cref="NumericStruct"/> values (Vector2/3/4, Complex): every such SSA value becomes
/// its components, every local holding one (a stack slot used only by loads, stores, component addresses and
/// the members below) becomes one slot per component, and the members CoreLib implements with intrinsics
/// become component arithmetic (<see cref="NumericStructOperations"/>). What remains is float/double code the
/// differentiator knows. A value still needed whole — returned, passed to another method, used by a member
/// not spelled out — is rebuilt with its constructor there; a parameter's components are its field reads, which
/// is how the memory support differentiates a flat struct passed Active or Dual.
/// </summary>
internal sealed class NumericStructScalarization
{
    private static readonly HashSet<string> SlotMembers = new() { ".ctor", "Length", "LengthSquared", "get_Magnitude", "get_Phase", "get_Real", "get_Imaginary" };

    private readonly IrMethod method;
    private readonly Dictionary<Value, Value[]> components = new();
    private readonly Dictionary<Instruction, Instruction[]> slots = new();
    private readonly HashSet<Instruction> replaced = new();

    private readonly Calls.CustomRules rules;

    private NumericStructScalarization(IrMethod method)
    {
        this.method = method;
        rules = Calls.CalleeDerivatives.Of(method.Module).Rules;
    }

    /// <param name="woven">Declares <c>IgnoresAccessChecksTo</c> for Complex's private fields when the method has Complex values.</param>
    public static void Run(IrMethod method, ModuleDefinition woven)
    {
        var types = method.Parameters.Select(p => p.Type).Append(method.ReturnType)
            .Concat(method.Blocks.SelectMany(b => b.Instructions).SelectMany(i => new[] { i.Type, i.TypeOperand }))
            .OfType<TypeReference>().ToList();
        if (types.Any(MentionsComplex))
            Calls.AccessChecks.Ignore(woven, Analysis.DifferentiableStruct.ComplexAssembly);
        if (types.Any(t => NumericStruct.Of(t) != null))
            new NumericStructScalarization(method).Scalarize();
    }

    /// <summary>Complex itself, or an array, reference, span or tuple of it.</summary>
    private static bool MentionsComplex(TypeReference type) => type switch
    {
        GenericInstanceType instance => instance.GenericArguments.Any(MentionsComplex),
        TypeSpecification specification => MentionsComplex(specification.ElementType),
        _ => Analysis.DifferentiableStruct.IsComplex(type),
    };

    private void Scalarize()
    {
        foreach (var slot in method.Entry.Instructions.Where(i => i.Opcode == Opcode.StackSlot && NumericStruct.Of(i.TypeOperand!) is { } s && IsLocal(i, s)).ToList())
        {
            var type = NumericStruct.Of(slot.TypeOperand!)!;
            var builder = new IrBuilder(method);
            slots[slot] = Enumerable.Range(0, type.Width).Select(c => builder.StackSlot(type.Scalar, $"{slot.Name}.{c}")).ToArray();
        }
        var order = DominatorTree.Compute(method).ReversePostorder.ToList();
        var phis = order.SelectMany(b => b.Phis).Where(p => NumericStruct.Of(p.Type) != null).ToList();
        foreach (var phi in phis)
        {
            var type = NumericStruct.Of(phi.Type)!;
            components[phi] = Enumerable.Range(0, type.Width).Select(_ => (Value)new IrBuilder(method).Phi(phi.Block!, type.Scalar)).ToArray();
            replaced.Add(phi);
        }
        foreach (var instruction in order.SelectMany(b => b.Instructions).Where(i => i.Opcode != Opcode.Phi).ToList())
            Rewrite(instruction);
        foreach (var phi in phis)
        {
            for (var i = 0; i < phi.Operands.Count; i++)
            {
                var incoming = ComponentsAtEndOf(phi.Targets[i], phi.Operands[i]);
                for (var c = 0; c < incoming.Length; c++)
                    ((Instruction)components[phi][c]).AddPhiIncoming(phi.Targets[i], incoming[c]);
            }
        }
        foreach (var instruction in replaced)
            instruction.Remove();
    }

    /// <summary>A slot whose address never escapes: loads, stores, zeroing, component addresses read or written, and the known instance members.</summary>
    private static bool IsLocal(Instruction slot, NumericStruct type) => slot.Uses.All(use => use.Index == 0 && use.User switch
    {
        { Opcode: Opcode.Load or Opcode.Store or Opcode.InitObject } => true,
        { Opcode: Opcode.FieldAddress, Member: FieldReference field } address => type.ComponentOf(field) >= 0
            && address.Uses.All(u => u.Index == 0 && u.User.Opcode is Opcode.Load or Opcode.Store),
        { Opcode: Opcode.Call, Member: MethodReference member } call => NumericStruct.Of(member.DeclaringType) != null && SlotMembers.Contains(member.Name)
            && call.Operands.Skip(1).All(o => o.Type.MetadataType is MetadataType.Single or MetadataType.Double || NumericStruct.Of(o.Type) != null),
        _ => false,
    });

    private void Rewrite(Instruction instruction)
    {
        var builder = new IrBuilder(method) { DebugLocation = instruction.DebugLocation }.Before(instruction);
        var slot = instruction.Operands.Count > 0 && instruction.Operands[0] is Instruction s && slots.TryGetValue(s, out var parts) ? parts : null;
        switch (instruction.Opcode)
        {
            case Opcode.Load when slot != null:
                Replace(instruction, slot.Select(p => (Value)builder.Load(p, p.TypeOperand!)).ToArray());
                return;
            case Opcode.Store when slot != null:
                StoreComponents(builder, slot, Components(instruction.Operands[1], builder));
                instruction.Remove();
                return;
            case Opcode.InitObject when slot != null:
                StoreComponents(builder, slot, slot.Select(p => (Value)method.Float(p.TypeOperand!, 0)).ToArray());
                instruction.Remove();
                return;
            case Opcode.FieldAddress when slot != null:
                instruction.ReplaceAllUsesWith(slot[NumericStruct.Of(instruction.Operands[0].Type.GetElementType())!.ComponentOf((FieldReference)instruction.Member!)]);
                instruction.Remove();
                return;
            // A vector or Complex read from or written to memory (an element of a Vector3[], a ref): field by field
            // through its address, which is how the memory support follows structs in shadowed memory.
            case Opcode.LoadElement or Opcode.Load when VectorIn(instruction.TypeOperand) is { } vector:
                var source = ElementOrAddress(builder, instruction, vector);
                Replace(instruction, Enumerable.Range(0, vector.Width).Select(c => (Value)builder.Load(builder.FieldAddress(source, vector.Field(c)), vector.Scalar)).ToArray());
                return;
            case Opcode.StoreElement or Opcode.Store when VectorIn(instruction.TypeOperand) is { } vector:
                var target = ElementOrAddress(builder, instruction, vector);
                var stored = Components(instruction.Operands[instruction.Operands.Count - 1], builder);
                for (var c = 0; c < vector.Width; c++)
                    builder.Store(builder.FieldAddress(target, vector.Field(c)), stored[c], vector.Scalar);
                instruction.Remove();
                return;
            case Opcode.LoadField when components.TryGetValue(instruction.Operands[0], out var whole)
                && NumericStruct.Of(instruction.Operands[0].Type)!.ComponentOf((FieldReference)instruction.Member!) is var component and >= 0:
                instruction.ReplaceAllUsesWith(whole[component]);
                instruction.Remove();
                return;
            case Opcode.Call or Opcode.NewObject when instruction.Member is MethodReference member && NumericStruct.Of(member.DeclaringType) is { } type
                && Evaluate(instruction, member, type, builder, slot) :
                return;
        }
        // Anything else needing a whole value gets it rebuilt right before it.
        for (var i = 0; i < instruction.Operands.Count; i++)
        {
            if (instruction.Operands[i] is Instruction operand && replaced.Contains(operand))
                instruction.SetOperand(i, builder.NewObject(NumericStruct.Of(operand.Type)!.Constructor(), components[operand]));
        }
    }

    /// <summary>The numeric struct a load or store moves.</summary>
    private static NumericStruct? VectorIn(TypeReference? type) => type != null ? NumericStruct.Of(type) : null;

    /// <summary>The address a vector load or store goes through: the element's for <c>ldelem</c>/<c>stelem</c>, else its own.</summary>
    private static Value ElementOrAddress(IrBuilder builder, Instruction access, NumericStruct vector) =>
        access.Opcode is Opcode.LoadElement or Opcode.StoreElement ? builder.ElementAddress(access.Operands[0], access.Operands[1], vector.Type) : access.Operands[0];

    /// <summary>A member spelled out by <see cref="NumericStructOperations"/>; false (left as a call) otherwise, and for a member a custom rule covers.</summary>
    private bool Evaluate(Instruction call, MethodReference member, NumericStruct type, IrBuilder builder, Instruction[]? slot)
    {
        if (Calls.CallTarget.Resolve(member) is { } definition && rules.Covers(definition))
            return false;
        // A constructor called on a local (`v = new Vector3(…)` through its address) stores into it.
        var constructsLocal = call.Opcode == Opcode.Call && member.Name == ".ctor";
        var arguments = constructsLocal ? call.Operands.Skip(1).ToList() : call.Operands.ToList();
        if (constructsLocal && slot == null)
            return false;
        var result = NumericStructOperations.Evaluate(builder, type, member, arguments, v => Components(v, builder));
        if (result == null)
            return false;
        if (constructsLocal)
        {
            StoreComponents(builder, slot!, result);
            call.Remove();
        }
        else if (NumericStruct.Of(call.Type) != null)
        {
            Replace(call, result);
        }
        else
        {
            call.ReplaceAllUsesWith(result[0]);
            call.Remove();
        }
        return true;
    }

    private void Replace(Instruction instruction, Value[] parts)
    {
        components[instruction] = parts;
        replaced.Add(instruction);
    }

    private static void StoreComponents(IrBuilder builder, Instruction[] slot, Value[] parts)
    {
        for (var c = 0; c < slot.Length; c++)
            builder.Store(slot[c], parts[c], slot[c].TypeOperand!);
    }

    /// <summary>
    /// The components of a struct value, or of the struct a receiver address points to, read where
    /// <paramref name="builder"/> stands: a scalarized value's parts, a scalarized local's component slots, the
    /// fields of any other vector or Complex. (Emitting at the use, not
    /// the definition, keeps every builder's insertion point valid; CSE merges repeated field reads.)
    /// </summary>
    private Value[] Components(Value value, IrBuilder builder)
    {
        if (components.TryGetValue(value, out var known))
            return known;
        if (value is Instruction slot && slots.TryGetValue(slot, out var parts))
            return parts.Select(p => (Value)builder.Load(p, p.TypeOperand!)).ToArray();
        if (value.Type is ByReferenceType reference)
            return Split(builder, builder.Load(value, reference.ElementType), NumericStruct.Of(reference.ElementType)!);
        return Split(builder, value, NumericStruct.Of(value.Type)!);
    }

    private Value[] ComponentsAtEndOf(Block predecessor, Value value) =>
        Components(value, new IrBuilder(method).Before(predecessor.Terminator!));

    private static Value[] Split(IrBuilder builder, Value value, NumericStruct type) =>
        Enumerable.Range(0, type.Width).Select(c => (Value)builder.LoadField(value, type.Field(c))).ToArray();
}
