using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Calls;

/// <summary>
/// Reads element <c>index</c> of a derivative's result tuple however long it is: past seven elements
/// <c>ValueTuple</c> nests the rest in its eighth field, <c>Rest</c> (as <c>ResultPacker</c> builds it).
/// </summary>
public static class NestedTupleItems
{
    private const int ItemsPerTuple = 7;

    public static Value Load(IrBuilder builder, Value tuple, TypeReference type, int index, TypeReference itemType)
    {
        while (index >= ItemsPerTuple)
        {
            var outer = (GenericInstanceType)type;
            var restType = outer.GenericArguments[ItemsPerTuple];
            tuple = LoadField(builder, tuple, outer, "Rest", ItemsPerTuple, restType);
            type = restType;
            index -= ItemsPerTuple;
        }
        return TupleItems.Load(builder, tuple, (GenericInstanceType)type, index, itemType);
    }

    private static Value LoadField(IrBuilder builder, Value tuple, GenericInstanceType type, string name, int position, TypeReference fieldType)
    {
        // Typed by the open type's generic parameter, as TupleItems does for Item1…Item7.
        var open = type.ElementType;
        while (open.GenericParameters.Count < type.GenericArguments.Count)
            open.GenericParameters.Add(new GenericParameter(open));
        var field = builder.Emit(Opcode.LoadField, fieldType, tuple);
        field.Member = new FieldReference(name, open.GenericParameters[position], type);
        return field;
    }
}
