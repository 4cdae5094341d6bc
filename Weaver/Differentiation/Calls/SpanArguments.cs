using System;
using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Analysis;
using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Calls;

/// <summary>
/// Spans made from shadowed memory right where a call takes them (<c>Sum(x.AsSpan(1, 2))</c>, a span parameter
/// converted to a <c>ReadOnlySpan</c>): a window — <c>MemoryExtensions.AsSpan(array[, start[, length]])</c> or an
/// implicit conversion from an array or a span — whose every use is an argument of a callee with IL (or another
/// such window; BCL span methods stay <c>Bcl.BclSupport</c>'s). Its shadow is the same window
/// on the shadow (<c>dx.AsSpan(1, 2)</c>), always a <c>Span&lt;T&gt;</c> (the shadow of a <c>ReadOnlySpan</c> is
/// writable, DESIGN §1.1). A span cannot be taped, so the reverse sweep rebuilds both windows from the array and
/// the taped bounds.
/// </summary>
public static class SpanArguments
{
    /// <summary>Whether <paramref name="value"/> is such a window on shadowed memory.</summary>
    public static bool IsWindow(Value value, ShadowedMemory memory) =>
        value is Instruction instruction && Source(instruction) is { } source
        && (memory.Contains(source) || IsWindow(source, memory))
        && instruction.Uses.All(use => Source(use.User) != null || CallTarget.Of(use.User) is { } target && (target.Kind == CallTargetKind.Body || target.IsInstantiable));

    /// <summary>Whether <paramref name="operand"/> is passed with a shadow: shadowed memory itself, or a window on it.</summary>
    public static bool IsShadowed(Value operand, ShadowedMemory memory) => memory.Contains(operand) || IsWindow(operand, memory);

    /// <summary>The primal values rebuilding a window: the array or span it views (and that one's shadow inputs), and its bounds.</summary>
    public static IEnumerable<Value> Inputs(Value window, Memory.ShadowMemory memory)
    {
        var instruction = (Instruction)window;
        var source = Source(instruction)!;
        var sourceInputs = IsWindow(source, memory.Shadowed) ? Inputs(source, memory) : memory.PointerInputs(source).Prepend(source);
        return sourceInputs.Concat(instruction.Operands.Skip(1));
    }

    /// <summary>The window again, from <paramref name="available"/> primal values (the reverse sweep cannot tape a span).</summary>
    public static Value Primal(IrBuilder builder, Value window, Func<Value, Value> available)
    {
        if (window is not Instruction instruction || Source(instruction) is not { } source)
            return available(window);
        var operands = instruction.Operands.Skip(1).Select(available).Prepend(Primal(builder, source, available)).ToList();
        return builder.Call((MethodReference)instruction.Member!, instruction.Type, operands);
    }

    /// <summary>The same window on the shadow of what it views, as a <c>Span&lt;T&gt;</c>.</summary>
    public static Value Shadow(IrBuilder builder, Value window, Func<Value, Value> shadowOf, Func<Value, Value> available)
    {
        if (window is not Instruction instruction || Source(instruction) is not { } source)
            return shadowOf(window);
        var shadow = Shadow(builder, source, shadowOf, available);
        var method = (MethodReference)instruction.Member!;
        // A conversion of a span to a ReadOnlySpan: the shadow stays the writable span.
        if (ShadowedMemory.IsSpan(shadow.Type))
            return shadow;
        // A window on an array: AsSpan returns a Span already; a conversion becomes new Span<T>(array).
        return method.Name == "AsSpan"
            ? builder.Call(method, instruction.Type, instruction.Operands.Skip(1).Select(available).Prepend(shadow).ToList())
            : builder.NewObject(SpanConstructor((GenericInstanceType)instruction.Type, ((ArrayType)shadow.Type).ElementType), new[] { shadow });
    }

    // What a window views: the array of AsSpan or of a conversion from an array, the span of a conversion from a span.
    private static Value? Source(Instruction instruction) =>
        instruction.Opcode == Opcode.Call && ShadowedMemory.IsSpan(instruction.Type) && instruction.Member is MethodReference method && instruction.Operands.Count > 0
        && (method.Name == "AsSpan" && method.DeclaringType.FullName == "System.MemoryExtensions" && instruction.Operands[0].Type is ArrayType { IsVector: true }
            || method.Name == "op_Implicit" && instruction.Operands.Count == 1 && (instruction.Operands[0].Type is ArrayType { IsVector: true } || ShadowedMemory.IsSpan(instruction.Operands[0].Type)))
            ? instruction.Operands[0]
            : null;

    /// <summary><c>Span&lt;T&gt;(T[] array)</c> for <paramref name="element"/>, Span from the assembly of <paramref name="like"/> (a span type).</summary>
    private static MethodReference SpanConstructor(GenericInstanceType like, TypeReference element)
    {
        var open = new TypeReference("System", "Span`1", like.Module, like.ElementType.Scope) { IsValueType = true };
        open.GenericParameters.Add(new GenericParameter(open));
        var span = new GenericInstanceType(open);
        span.GenericArguments.Add(element);
        var constructor = new MethodReference(".ctor", like.Module.TypeSystem.Void, span) { HasThis = true };
        constructor.Parameters.Add(new ParameterDefinition(new ArrayType(open.GenericParameters[0])));
        return constructor;
    }
}
