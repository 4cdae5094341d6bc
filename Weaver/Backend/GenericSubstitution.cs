using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Backend;

/// <summary>
/// The type a local must have for a value read through a generic member: a field or return type declared as
/// <c>!0</c> or <c>!!0</c> on the open definition stands for the instantiation's argument at the use site
/// (ECMA-335 §II.9.4). A local typed with the open parameter would not belong to the method's generic context.
/// </summary>
internal static class GenericSubstitution
{
    public static TypeReference ValueType(Instruction value)
    {
        var declaring = value.Member?.DeclaringType as GenericInstanceType;
        var method = value.Member as GenericInstanceMethod;
        if (declaring == null && method == null)
            return value.Type;
        return Substitute(value.Type, declaring, method);
    }

    private static TypeReference Substitute(TypeReference type, GenericInstanceType? declaring, GenericInstanceMethod? method)
    {
        switch (type)
        {
            case GenericParameter { Type: GenericParameterType.Type } parameter when declaring != null && parameter.Position < declaring.GenericArguments.Count
                && parameter.Owner is TypeReference owner && owner.FullName == declaring.ElementType.FullName:
                return declaring.GenericArguments[parameter.Position];
            case GenericParameter { Type: GenericParameterType.Method } parameter when method != null && parameter.Position < method.GenericArguments.Count
                && parameter.Owner is MethodReference owner && owner.Name == method.ElementMethod.Name:
                return method.GenericArguments[parameter.Position];
            case ByReferenceType byReference:
                return IrTypes.ByReference(Substitute(byReference.ElementType, declaring, method));
            case PointerType pointer:
                return new PointerType(Substitute(pointer.ElementType, declaring, method));
            case ArrayType array:
                return array.Rank == 1 ? new ArrayType(Substitute(array.ElementType, declaring, method)) : new ArrayType(Substitute(array.ElementType, declaring, method), array.Rank);
            case GenericInstanceType instance:
                var result = new GenericInstanceType(instance.ElementType);
                foreach (var argument in instance.GenericArguments)
                    result.GenericArguments.Add(Substitute(argument, declaring, method));
                return result;
            default:
                return type;
        }
    }
}
