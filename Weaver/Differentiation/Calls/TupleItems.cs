using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Calls;

/// <summary>Reads Item1…Item7 of a <c>ValueTuple</c> a derivative returns.</summary>
public static class TupleItems
{
    public static Instruction Load(IrBuilder builder, Value tuple, GenericInstanceType type, int index, TypeReference itemType)
    {
        // The fields are typed by the open type's generic parameters, which a reference made from the tuple's
        // name alone does not declare yet (as ResultPacker's constructor).
        var open = type.ElementType;
        while (open.GenericParameters.Count < type.GenericArguments.Count)
            open.GenericParameters.Add(new GenericParameter(open));
        var item = builder.Emit(Opcode.LoadField, itemType, tuple);
        item.Member = new FieldReference("Item" + (index + 1), open.GenericParameters[index], type);
        return item;
    }
}
