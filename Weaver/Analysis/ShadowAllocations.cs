using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Ir;
using Mono.Cecil;
using Code = Mono.Cecil.Cil.Code;

namespace Autodiff.Weaver.Analysis;

/// <summary>
/// Allocations inside the differentiated method that get a shadow allocated alongside (Enzyme's shadow allocations):
/// <c>new T[n]</c>, <c>new C()</c> of a class whose parameterless constructor leaves every field at its default
/// (its shadow, another <c>new C()</c>, is then the zero of the same runtime type), the uninitialized objects that
/// replace other <c>new C(args)</c> (<see cref="IsUninitializedObject"/>), <c>new List&lt;double&gt;([capacity])</c> and
/// <c>new List&lt;float&gt;([capacity])</c> (an empty shadow list of the same capacity, grown in step by <c>Bcl.ShadowMirrors</c>), <c>stackalloc</c>ed spans
/// (their shadow, a cleared <c>stackalloc</c> of the same length), <c>float</c>/<c>double</c> locals whose address is
/// taken (<see cref="IsScalarCell"/>: a one-element memory cell whose shadow is a zeroed local), and the storage arrays of cursor tapes in a
/// derivative differentiated again (<see cref="Differentiation.HigherOrder.CursorTapeShadows"/>).
/// </summary>
public static class ShadowAllocations
{
    public static bool IsAllocation(Instruction instruction) =>
        instruction.Opcode == Opcode.NewArray
        || instruction.Opcode == Opcode.NewObject && instruction.Member is MethodReference constructor && !constructor.DeclaringType.IsValueType
            && (IsZeroing(constructor) || IsEmptyFloatList(constructor))
        || StackAllocation(instruction) != null
        || IsScalarCell(instruction)
        || IsUninitializedObject(instruction)
        || Differentiation.HigherOrder.CursorTapeShadows.IsStorage(instruction);

    /// <summary>
    /// For the local a <c>stackalloc</c>ed span lives in (<c>Span&lt;double&gt; t = stackalloc double[n]</c>: the only value ever
    /// stored into it is <c>new Span&lt;T&gt;(localloc(size), n)</c>), that construction; otherwise null.
    /// </summary>
    public static Instruction? StackAllocation(Instruction slot)
    {
        if (slot.Opcode != Opcode.StackSlot || !ShadowedMemory.IsSpan(slot.TypeOperand!))
            return null;
        var stored = slot.Uses.Where(u => u.User.Opcode == Opcode.Store && u.Index == 0).Select(u => u.User.Operands[1]).Distinct().ToList();
        return stored.Count == 1 && stored[0] is Instruction { Opcode: Opcode.NewObject } construction && construction.Operands.Count == 2
            && construction.Operands[0] is Instruction { Opcode: Opcode.LocalAlloc }
            ? construction
            : null;
    }

    /// <summary>
    /// <c>RuntimeHelpers.GetUninitializedObject(typeof(C))</c>, which <c>Memory.ConstructorInlining</c> puts in place of
    /// <c>new C(args)</c> before inlining the constructor's body: its shadow is another uninitialized object of the same
    /// type, all fields zero.
    /// </summary>
    public static bool IsUninitializedObject(Instruction instruction) =>
        instruction.Opcode == Opcode.Call && instruction.Member is MethodReference { Name: "GetUninitializedObject" } method
        && method.DeclaringType.FullName == "System.Runtime.CompilerServices.RuntimeHelpers";

    /// <summary>
    /// A <c>float</c>/<c>double</c> local whose address is taken (<c>Helper(x, out y)</c>, <c>Accumulate(ref sum, x)</c>):
    /// the frontend keeps it in a stack slot, which Enzyme would see as an <c>alloca</c> — memory whose shadow is
    /// another <c>alloca</c>. Its shadow is a zeroed local, passed as the shadow reference wherever the local's is.
    /// </summary>
    public static bool IsScalarCell(Instruction instruction) =>
        instruction.Opcode == Opcode.StackSlot && instruction.TypeOperand!.MetadataType is MetadataType.Double or MetadataType.Single;

    /// <summary>
    /// The allocations not shadowed yet that must be: an active value is stored into them, they are stored into
    /// shadowed memory (the shadow structure then holds their shadows), shadowed references are stored into them (their
    /// shadow then holds those references' shadows: <c>items[i] = new Item(x[i])</c>), or — a scalar cell — passed by reference to a
    /// call that also receives a varied value or shadowed memory (the callee may store a derivative-carrying value into it).
    /// </summary>
    public static List<Instruction> Needed(IrMethod primal, ActivityAnalysis activity, ShadowedMemory memory)
    {
        var instructions = primal.Blocks.SelectMany(b => b.Instructions).ToList();
        var activelyStored = instructions.Select(MemoryAccess.Of)
            .Where(a => a is { IsStore: true } && activity.IsVaried(a.StoredValue!) && !memory.Contains(a.Pointer))
            .SelectMany(a => Origins(ShadowedMemory.BaseOf(a!.Pointer), new HashSet<Value>()));
        var storedIntoShadows = instructions
            .Where(i => i.Opcode is Opcode.Store or Opcode.StoreElement or Opcode.StoreField && memory.Contains(i.Operands[0]))
            .Select(i => i.Operands[i.Operands.Count - 1]);
        var holdingShadows = instructions
            .Where(i => i.Opcode is Opcode.StoreElement or Opcode.StoreField && memory.Contains(i.Operands[i.Operands.Count - 1]) && !memory.Contains(i.Operands[0]))
            .SelectMany(i => Origins(ShadowedMemory.BaseOf(i.Operands[0]), new HashSet<Value>()));
        var passedToActiveCalls = instructions
            .Where(i => i.Opcode is Opcode.Call or Opcode.CallVirtual && i.Operands.Any(o => activity.IsVaried(o) || memory.Contains(o)))
            .SelectMany(call => call.Operands.OfType<Instruction>().Where(IsScalarCell));
        return activelyStored.Concat(storedIntoShadows).Concat(holdingShadows).OfType<Instruction>().Concat(passedToActiveCalls).Where(IsAllocation).Where(a => !memory.Contains(a)).Distinct().ToList();
    }

    /// <summary>
    /// <c>List&lt;double&gt;()</c>, <c>List&lt;float&gt;(int capacity)</c>, …: an empty list, whose shadow is another empty one
    /// built with the same arguments.
    /// </summary>
    public static bool IsEmptyFloatList(MethodReference constructor) =>
        constructor.Parameters.Count switch { 0 => true, 1 => constructor.Parameters[0].ParameterType.MetadataType == MetadataType.Int32, _ => false }
        && constructor.DeclaringType is GenericInstanceType list
        && list.ElementType.FullName == "System.Collections.Generic.List`1" && list.GenericArguments[0].MetadataType is MetadataType.Double or MetadataType.Single;

    // A reference and, for a phi (a cursor tape's storage kept in a local, replaced when it grows), what it may come from.
    private static IEnumerable<Value> Origins(Value reference, HashSet<Value> visited)
    {
        if (!visited.Add(reference))
            return Enumerable.Empty<Value>();
        return reference is Instruction { Opcode: Opcode.Phi } phi
            ? phi.Operands.SelectMany(incoming => Origins(ShadowedMemory.BaseOf(incoming), visited)).Prepend(phi)
            : new[] { reference };
    }

    // ldarg.0; call a zeroing base constructor (System.Object's); ret — no field initializers, no body.
    private static bool IsZeroing(MethodReference constructor)
    {
        if (constructor.Parameters.Count != 0)
            return false;
        if (constructor.DeclaringType.FullName == "System.Object")
            return true;
        if (constructor.Resolve() is not { HasBody: true } definition)
            return false;
        var code = definition.Body.Instructions.Where(i => i.OpCode.Code != Code.Nop).ToList();
        return code.Count == 3 && code[0].OpCode.Code == Code.Ldarg_0 && code[1].OpCode.Code == Code.Call && code[1].Operand is MethodReference { Name: ".ctor" } baseConstructor
            && IsZeroing(baseConstructor) && code[2].OpCode.Code == Code.Ret;
    }
}
