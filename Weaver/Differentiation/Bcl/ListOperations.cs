using System.Linq;
using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Bcl;

/// <summary>
/// <c>List&lt;double&gt;</c>/<c>List&lt;float&gt;</c>'s indexer and <c>Count</c> as what CoreLib compiles them to: the
/// element of the backing array <c>_items</c> and the field <c>_size</c>; <c>Add(v)</c> on a parameter or on a list created
/// by <c>new List&lt;T&gt;()</c> in the method as <c>Add(0)</c>
/// (mirrored on the shadow list by <see cref="ShadowMirrors"/>) and a store of v at the old Count. The array is then reached from the list
/// through a field, which the memory support follows to the shadow list's own array (a Duplicated/Dual list's
/// shadow must have the same Count). An index outside <c>[0, Count)</c> becomes −1 and throws
/// IndexOutOfRangeException (CoreLib: ArgumentOutOfRangeException). The woven module declares
/// <c>IgnoresAccessChecksTo("System.Private.CoreLib")</c> for the internal fields.
/// </summary>
internal static class ListOperations
{
    private const string CoreLibrary = "System.Private.CoreLib";

    public static bool Run(IrMethod method, ModuleDefinition woven)
    {
        var changed = false;
        foreach (var call in method.Blocks.SelectMany(b => b.Instructions).ToList())
        {
            if (call.Opcode is not (Opcode.Call or Opcode.CallVirtual) || call.Member is not MethodReference { DeclaringType: GenericInstanceType list } member || !IsFloatList(list))
                continue;
            var builder = new IrBuilder(method) { DebugLocation = call.DebugLocation }.Before(call);
            var element = list.GenericArguments[0];
            switch (member.Name)
            {
                case "get_Item":
                    Replace(call, builder.LoadElement(Items(builder, list, call.Operands[0]), Guarded(builder, list, call.Operands[0], call.Operands[1]), element));
                    break;
                case "set_Item":
                    builder.StoreElement(Items(builder, list, call.Operands[0]), Guarded(builder, list, call.Operands[0], call.Operands[1]), call.Operands[2], element);
                    var version = Field(list, "_version", method.Types.Int32);
                    builder.StoreField(call.Operands[0], version, builder.Add(builder.LoadField(call.Operands[0], version), method.Int32(1)));
                    call.Remove();
                    break;
                // Growth is structural: Add(0) grows the list and ShadowMirrors repeats it on the shadow; the value is then
                // an ordinary store. For parameters and lists created here by new List<T>() (which get a shadow list).
                case "Add" when ShadowMirrors.IsListRoot(call.Operands[0]) && call.Operands[1] is not Constant { Payload: 0.0 or 0.0f }:
                    var size = builder.LoadField(call.Operands[0], Field(list, "_size", method.Types.Int32));
                    builder.Call(member, call.Type, new[] { call.Operands[0], method.Float(element, 0) }, call.Opcode == Opcode.CallVirtual);
                    builder.StoreElement(Items(builder, list, call.Operands[0]), size, call.Operands[1], element);
                    call.Remove();
                    break;
                case "get_Count":
                    Replace(call, builder.LoadField(call.Operands[0], Field(list, "_size", method.Types.Int32)));
                    break;
                default:
                    continue;
            }
            changed = true;
        }
        if (changed)
            Calls.AccessChecks.Ignore(woven, CoreLibrary);
        return changed;
    }

    public static bool IsFloatList(GenericInstanceType type) =>
        type.ElementType.FullName == "System.Collections.Generic.List`1" && type.GenericArguments[0].MetadataType is MetadataType.Double or MetadataType.Single;

    private static Value Items(IrBuilder builder, GenericInstanceType list, Value instance)
    {
        var element = list.GenericArguments[0];
        var load = builder.Emit(Opcode.LoadField, new ArrayType(element), instance);
        load.Member = Field(list, "_items", new ArrayType(OpenParameter(list)));
        return load;
    }

    /// <summary><paramref name="index"/> when it is below the list's Count, else −1 (<see cref="GuardedIndex"/>).</summary>
    private static Value Guarded(IrBuilder builder, GenericInstanceType list, Value instance, Value index) =>
        GuardedIndex.Of(builder, builder.Method.Int32(0), index, builder.LoadField(instance, Field(list, "_size", builder.Method.Types.Int32)));

    private static FieldReference Field(GenericInstanceType list, string name, TypeReference type) => new(name, type, list);

    private static GenericParameter OpenParameter(GenericInstanceType list)
    {
        var open = list.ElementType;
        if (open.GenericParameters.Count == 0)
            open.GenericParameters.Add(new GenericParameter(open));
        return open.GenericParameters[0];
    }

    private static void Replace(Instruction instruction, Value value)
    {
        instruction.ReplaceAllUsesWith(value);
        instruction.Remove();
    }
}
