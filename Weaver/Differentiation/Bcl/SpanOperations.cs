using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Ir.Construction;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Bcl;

/// <summary>
/// Resolves span locals of float/double to what they view (<see cref="SpanView"/>): <c>a.AsSpan(…)</c>,
/// <c>new Span&lt;T&gt;(a, …)</c> and the implicit conversion view array <c>a</c>; <c>s.Slice(…)</c> and copies view
/// what <c>s</c> views; a span parameter views itself. A local qualifies when one definition dominates all its
/// uses. Its indexer then becomes an element address in the array (which the memory support shadows), and
/// <c>Fill</c>, <c>Clear</c>, <c>CopyTo</c> and <c>ToArray</c> become element loops — like Enzyme's
/// <c>memcpy</c>/<c>memset</c> handling, forward mode copies tangents and reverse mode moves adjoints back and
/// clears overwritten ones. Spans left whole (passed to a method, reassigned) keep their calls, which the support
/// check reports. Argument checks differ only in failure: an out-of-range index still throws
/// IndexOutOfRangeException, but a bad Slice/AsSpan range surfaces at the first access, and CopyTo into a shorter
/// span throws IndexOutOfRangeException after copying the prefix (CoreLib: ArgumentException, nothing copied).
/// </summary>
internal static class SpanOperations
{
    public static void Run(IrMethod method)
    {
        var ordered = Definitions(method);
        if (ordered.Count == 0)
            return;
        var definitions = ordered.ToDictionary(p => p.Slot, p => p.Definition);
        var views = new Dictionary<Instruction, SpanView>();
        foreach (var (slot, definition) in ordered)
        {
            if (Resolve(slot, definition, views) is { } view)
                views[slot] = view;
        }
        foreach (var pair in views)
        {
            foreach (var use in pair.Key.Uses.Select(u => u.User).Where(u => u != definitions[pair.Key]).ToList())
                Rewrite(use, pair.Value, views);
        }
        // Latest first: removing a slice's definition frees the span it sliced.
        foreach (var (slot, _) in Enumerable.Reverse(ordered))
        {
            if (!views.ContainsKey(slot) || slot.Uses.Any(u => u.User != definitions[slot]) || IsParameterSlot(definitions[slot]))
                continue;
            var definition = definitions[slot];
            var source = definition.Opcode == Opcode.Store ? definition.Operands[1] : null;
            definition.Remove();
            slot.Remove();
            RemoveIfDead(source);
        }
    }

    /// <summary>Span slots with a single definition (a store, or a constructor called on the slot) that dominates every other use; in dominance order.</summary>
    private static List<(Instruction Slot, Instruction Definition)> Definitions(IrMethod method)
    {
        var slots = method.Entry.Instructions.Where(i => i.Opcode == Opcode.StackSlot && ElementOf(i.TypeOperand!) != null).ToList();
        if (slots.Count == 0)
            return new List<(Instruction, Instruction)>();
        var dominators = DominatorTree.Compute(method);
        var position = dominators.ReversePostorder.SelectMany(b => b.Instructions).Select((instruction, index) => (instruction, index)).ToDictionary(p => p.instruction, p => p.index);
        var result = new List<(Instruction Slot, Instruction Definition)>();
        foreach (var slot in slots)
        {
            var defining = slot.Uses.Where(u => u.Index == 0 && (u.User.Opcode == Opcode.Store || IsMember(u.User, ".ctor") && u.User.Opcode == Opcode.Call)).Select(u => u.User).ToList();
            if (defining.Count != 1 || !position.ContainsKey(defining[0]))
                continue;
            var definition = defining[0];
            bool Dominated(Instruction use) => position.ContainsKey(use) && (use.Block == definition.Block
                ? position[use] > position[definition]
                : dominators.Dominates(definition.Block!, use.Block!));
            if (slot.Uses.Select(u => u.User).Where(u => u != definition).All(Dominated))
                result.Add((slot, definition));
        }
        return result.OrderBy(p => position[p.Definition]).ToList();
    }

    private static SpanView? Resolve(Instruction slot, Instruction definition, Dictionary<Instruction, SpanView> views)
    {
        var element = ElementOf(slot.TypeOperand!)!;
        var after = new IrBuilder(definition.Block!.Method) { DebugLocation = definition.DebugLocation }
            .Before(definition.Block.Instructions[definition.Block.Instructions.IndexOf(definition) + 1]);
        if (definition.Opcode == Opcode.Call)
            return OfArray(after, definition.Operands.Skip(1).ToList(), element);
        var source = definition.Operands[1];
        if (source is Parameter)
            return new SpanView(slot, definition.Block.Method.Int32(0), after.Call(LengthGetter(slot.TypeOperand!), after.Types.Int32, new Value[] { slot }), element);
        if (source is not Instruction producer)
            return null;
        switch (producer.Opcode)
        {
            case Opcode.Load when producer.Operands[0] is Instruction copied && views.TryGetValue(copied, out var whole):
                return whole;
            case Opcode.NewObject when IsMember(producer, ".ctor"):
                return OfArray(after, producer.Operands, element);
            case Opcode.Call when producer.Member is MethodReference { Name: "AsSpan", DeclaringType.FullName: "System.MemoryExtensions" }
                || IsMember(producer, "op_Implicit") && producer.Operands[0].Type is ArrayType:
                return OfArray(after, producer.Operands, element);
            case Opcode.Call when IsMember(producer, "op_Implicit") && producer.Operands[0] is Instruction { Opcode: Opcode.Load } load
                && load.Operands[0] is Instruction converted && views.TryGetValue(converted, out var same):
                return same;
            case Opcode.Call when IsMember(producer, "Slice") && producer.Operands[0] is Instruction sliced && views.TryGetValue(sliced, out var outer)
                && producer.Operands.Skip(1).All(IsInt32):
                var offset = after.Add(outer.Offset, producer.Operands[1]);
                var length = producer.Operands.Count == 3 ? producer.Operands[2] : after.Sub(outer.Length, producer.Operands[1]);
                return outer with { Offset = offset, Length = length };
            default:
                return null;
        }
    }

    /// <summary>A view of <c>(array[, start[, length]])</c>, the arguments of AsSpan, the constructors and the conversion.</summary>
    private static SpanView? OfArray(IrBuilder builder, IReadOnlyList<Value> arguments, TypeReference element)
    {
        if (arguments.Count is 0 or > 3 || arguments[0].Type is not ArrayType { IsVector: true } array || array.ElementType.MetadataType != element.MetadataType
            || !arguments.Skip(1).All(IsInt32))
            return null;
        var start = arguments.Count > 1 ? arguments[1] : builder.Method.Int32(0);
        var length = arguments.Count > 2 ? arguments[2] : builder.Sub(builder.Convert(builder.ArrayLength(arguments[0]), builder.Types.Int32), start);
        return new SpanView(arguments[0], start, length, element);
    }

    private static void Rewrite(Instruction use, SpanView view, Dictionary<Instruction, SpanView> views)
    {
        var builder = new IrBuilder(use.Block!.Method) { DebugLocation = use.DebugLocation }.Before(use);
        var ownsIndexer = !IsUnslicedParameter(view, use.Operands[0]);
        switch (use.Member is MethodReference { DeclaringType: var type } member && ElementOf(type) != null ? member.Name : null)
        {
            case "get_Item" when ownsIndexer:
                Replace(use, view.Address(builder, use.Operands[1]));
                return;
            case "get_Length" when ownsIndexer:
                Replace(use, view.Length);
                return;
            case "Fill":
                var value = use.Operands[1];
                CountedLoopEmitter.Replace(use, view.Length, (loop, i) => loop.Store(view.Address(loop, i), value, view.Element));
                return;
            case "Clear":
                CountedLoopEmitter.Replace(use, view.Length, (loop, i) => loop.Store(view.Address(loop, i), loop.Method.Float(view.Element, 0), view.Element));
                return;
            case "CopyTo" when use.Operands[1] is Instruction { Opcode: Opcode.Load, Uses.Count: 1 } load && load.Operands[0] is Instruction target
                && views.TryGetValue(target, out var destination):
                Copy(use, view, destination);
                load.Remove();
                return;
            case "ToArray":
                var array = builder.NewArray(view.Element, view.Length);
                use.ReplaceAllUsesWith(array);
                CountedLoopEmitter.Replace(use, view.Length, (loop, i) =>
                    loop.StoreElement(array, i, loop.Load(view.Address(loop, i), view.Element), view.Element));
                return;
            default:
                return;
        }
    }

    /// <summary>Element by element, in <c>memmove</c> order (the windows may share an array).</summary>
    private static void Copy(Instruction call, SpanView source, SpanView destination) =>
        CountedLoopEmitter.ReplaceWithMove(call, source.Offset, destination.Offset, source.Length, (loop, k) =>
            loop.Store(destination.Address(loop, k), loop.Load(source.Address(loop, k), source.Element), source.Element));

    private static void Replace(Instruction instruction, Value value)
    {
        instruction.ReplaceAllUsesWith(value);
        instruction.Remove();
    }

    /// <summary>Removes a span-producing instruction nobody uses any more, and what it was made from.</summary>
    private static void RemoveIfDead(Value? value)
    {
        if (value is not Instruction { Uses.Count: 0 } instruction || instruction.Opcode is not (Opcode.Load or Opcode.Call or Opcode.NewObject)
            || instruction.Opcode != Opcode.Load && ElementOf(instruction.Type) == null)
            return;
        var operands = instruction.Operands.ToList();
        instruction.Remove();
        foreach (var operand in operands)
            RemoveIfDead(operand);
    }

    // A span parameter's own slot, unsliced: its indexer and Length are the memory support's already.
    private static bool IsUnslicedParameter(SpanView view, Value receiver) => ReferenceEquals(view.Base, receiver);

    private static bool IsParameterSlot(Instruction definition) => definition.Opcode == Opcode.Store && definition.Operands[1] is Parameter;

    private static bool IsMember(Instruction instruction, string name) =>
        instruction.Member is MethodReference { Name: var n, DeclaringType: var type } && n == name && ElementOf(type) != null;

    private static bool IsInt32(Value value) => value.Type.MetadataType == MetadataType.Int32;

    /// <summary>float or double for <c>Span&lt;T&gt;</c>/<c>ReadOnlySpan&lt;T&gt;</c> of them; null for anything else.</summary>
    private static TypeReference? ElementOf(TypeReference type) =>
        type is GenericInstanceType { GenericArguments: [var element] } span && Analysis.ShadowedMemory.IsSpan(span.ElementType)
        && element.MetadataType is MetadataType.Double or MetadataType.Single ? element : null;

    private static MethodReference LengthGetter(TypeReference span) => new("get_Length", span.Module.TypeSystem.Int32, span) { HasThis = true };
}
