using System.Linq;
using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Bcl;

/// <summary>
/// Spells the bulk operations of <c>System.Array</c> on rank-1 <c>float[]</c>/<c>double[]</c> as element loops:
/// <c>Array.Copy</c>, <c>Array.Fill</c>, <c>Array.Clear</c>, <c>Array.Resize</c> and <c>(T[])a.Clone()</c>.
/// CoreLib implements them with <c>memmove</c> and intrinsics, which have no IL to lift; as loops of
/// loads and stores they get what Enzyme gives <c>memcpy</c>/<c>memset</c>: the same operation on the
/// shadows — forward copies tangents, reverse moves the destination's adjoint back to the source and
/// clears what was overwritten — because the memory support mirrors every element access on its shadow.
/// </summary>
internal static class ArrayOperations
{
    /// <summary>Expands every such call but those a custom rule covers (a user's rule overrides the built-in treatment everywhere).</summary>
    public static bool Run(IrMethod method)
    {
        var rules = Calls.CalleeDerivatives.Of(method.Module).Rules;
        var changed = false;
        foreach (var call in method.Blocks.SelectMany(b => b.Instructions).Where(IsArrayMethod).ToList())
        {
            if (Calls.CallTarget.Resolve((MethodReference)call.Member!) is not { } definition || !rules.Covers(definition))
                changed |= Expand(call);
        }
        return changed;
    }

    private static bool IsArrayMethod(Instruction instruction) =>
        instruction.Opcode is Opcode.Call or Opcode.CallVirtual && instruction.Member is MethodReference { DeclaringType.FullName: "System.Array" };

    private static bool Expand(Instruction call)
    {
        var method = (MethodReference)call.Member!;
        var operands = call.Operands;
        var int32 = call.Block!.Method.Types.Int32;
        bool AllInt32(params int[] at) => at.All(i => operands[i].Type.MetadataType == MetadataType.Int32);
        switch (method.Name)
        {
            case "Copy" when operands.Count == 3 && ElementOf(operands[0], operands[1]) is { } element && AllInt32(2):
                Copy(call, element, operands[0], Zero(call), operands[1], Zero(call), operands[2]);
                return true;
            case "Copy" when operands.Count == 5 && ElementOf(operands[0], operands[2]) is { } element && AllInt32(1, 3, 4):
                Copy(call, element, operands[0], operands[1], operands[2], operands[3], operands[4]);
                return true;
            case "Fill" when ElementOf(operands[0]) is { } element && operands.Count == 2:
                Fill(call, element, operands[0], operands[1], Zero(call), Length(call, operands[0]));
                return true;
            case "Fill" when ElementOf(operands[0]) is { } element && operands.Count == 4 && AllInt32(2, 3):
                Fill(call, element, operands[0], operands[1], operands[2], operands[3]);
                return true;
            case "Clear" when ElementOf(operands[0]) is { } element && operands.Count == 1:
                Fill(call, element, operands[0], ZeroOf(call, element), Zero(call), Length(call, operands[0]));
                return true;
            case "Clear" when ElementOf(operands[0]) is { } element && operands.Count == 3 && AllInt32(1, 2):
                Fill(call, element, operands[0], ZeroOf(call, element), operands[1], operands[2]);
                return true;
            case "Resize" when method is GenericInstanceMethod generic && IsFloating(generic.GenericArguments[0]) && operands.Count == 2 && AllInt32(1):
                Resize(call, generic.GenericArguments[0], operands[0], operands[1], int32);
                return true;
            case "Clone" when ElementOf(operands[0]) is { } element && call.Uses.Count == 1 && call.Uses[0].User is { Opcode: Opcode.CastClass } cast
                && cast.TypeOperand is ArrayType { IsVector: true } target && target.ElementType.MetadataType == element.MetadataType:
                Clone(call, cast, element, operands[0]);
                return true;
            default:
                return false;
        }
    }

    /// <summary><c>dst[di + k] = src[si + k]</c> for every k, in <c>memmove</c> order.</summary>
    private static void Copy(Instruction call, TypeReference element, Value source, Value sourceIndex, Value destination, Value destinationIndex, Value count) =>
        CountedLoopEmitter.ReplaceWithMove(call, sourceIndex, destinationIndex, count, (loop, k) =>
            loop.StoreElement(destination, loop.Add(destinationIndex, k), loop.LoadElement(source, loop.Add(sourceIndex, k), element), element));

    private static void Fill(Instruction call, TypeReference element, Value array, Value value, Value start, Value count) =>
        CountedLoopEmitter.Replace(call, count, (loop, i) => loop.StoreElement(array, loop.Add(start, i), value, element));

    /// <summary>
    /// <c>var b = new T[n]; copy min(a.Length, n) elements; a = b</c>, as CoreLib does. The new array is an
    /// allocation of the method, so it gets a shadow allocated alongside once active values are copied into it.
    /// </summary>
    private static void Resize(Instruction call, TypeReference element, Value address, Value newLength, TypeReference int32)
    {
        var builder = Before(call);
        var old = builder.Load(address, new ArrayType(element));
        var resized = builder.NewArray(element, newLength);
        var oldLength = builder.Convert(builder.ArrayLength(old), int32);
        var shorter = builder.Compare(ComparePredicate.Less, oldLength, newLength);
        var kept = builder.Add(newLength, builder.Mul(shorter, builder.Sub(oldLength, newLength)));
        var continuation = CountedLoopEmitter.Replace(call, kept, (loop, i) => loop.StoreElement(resized, i, loop.LoadElement(old, i, element), element));
        new IrBuilder(continuation.Method) { DebugLocation = call.DebugLocation }.Before(continuation.Instructions[0]).Store(address, resized, resized.Type);
    }

    private static void Clone(Instruction call, Instruction cast, TypeReference element, Value array)
    {
        var builder = Before(call);
        var length = builder.Convert(builder.ArrayLength(array), call.Block!.Method.Types.Int32);
        var copy = builder.NewArray(element, length);
        cast.ReplaceAllUsesWith(copy);
        cast.Remove();
        CountedLoopEmitter.Replace(call, length, (loop, i) =>
            loop.StoreElement(copy, i, loop.LoadElement(array, i, element), element));
    }

    private static IrBuilder Before(Instruction call) => new IrBuilder(call.Block!.Method) { DebugLocation = call.DebugLocation }.Before(call);

    private static Value Zero(Instruction call) => call.Block!.Method.Int32(0);

    private static Value ZeroOf(Instruction call, TypeReference element) => call.Block!.Method.Float(element, 0);

    private static Value Length(Instruction call, Value array)
    {
        var builder = Before(call);
        return builder.Convert(builder.ArrayLength(array), call.Block!.Method.Types.Int32);
    }

    /// <summary>The float/double element type the arrays share, when every operand is statically such a rank-1 array.</summary>
    private static TypeReference? ElementOf(params Value[] arrays)
    {
        var elements = arrays.Select(a => a.Type is ArrayType { IsVector: true } array && IsFloating(array.ElementType) ? array.ElementType : null).ToList();
        return elements.All(e => e != null) && elements.Select(e => e!.MetadataType).Distinct().Count() == 1 ? elements[0] : null;
    }

    private static bool IsFloating(TypeReference type) => type.MetadataType is MetadataType.Double or MetadataType.Single;
}
