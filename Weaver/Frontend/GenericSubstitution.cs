using System.Linq;
using Mono.Cecil;

namespace Autodiff.Weaver.Frontend;

/// <summary>
/// Replaces generic parameters in a member's signature type by the arguments of the instantiation it is
/// referenced through (<c>List&lt;double&gt;.get_Item</c> returns <c>double</c>, not <c>!0</c>).
/// </summary>
internal static class GenericSubstitution
{
    /// <summary>The type of <paramref name="type"/> as seen through <paramref name="member"/>'s declaring type and method instantiation.</summary>
    public static TypeReference Resolve(TypeReference type, MemberReference member) =>
        Substitute(type, member.DeclaringType as GenericInstanceType, member as GenericInstanceMethod);

    public static TypeReference Substitute(TypeReference type, GenericInstanceType? typeArguments, GenericInstanceMethod? methodArguments)
    {
        switch (type)
        {
            case GenericParameter parameter when parameter.Type == GenericParameterType.Type && typeArguments != null
                                                 && parameter.Position < typeArguments.GenericArguments.Count:
                return typeArguments.GenericArguments[parameter.Position];
            case GenericParameter parameter when parameter.Type == GenericParameterType.Method && methodArguments != null
                                                 && parameter.Position < methodArguments.GenericArguments.Count:
                return methodArguments.GenericArguments[parameter.Position];
            case RequiredModifierType modified:
                return Substitute(modified.ElementType, typeArguments, methodArguments);
            case OptionalModifierType modified:
                return Substitute(modified.ElementType, typeArguments, methodArguments);
            case ByReferenceType byReference:
                return Rebuild(byReference, new ByReferenceType(Substitute(byReference.ElementType, typeArguments, methodArguments)));
            case PointerType pointer:
                return Rebuild(pointer, new PointerType(Substitute(pointer.ElementType, typeArguments, methodArguments)));
            case PinnedType pinned:
                return Rebuild(pinned, new PinnedType(Substitute(pinned.ElementType, typeArguments, methodArguments)));
            case ArrayType array:
                var element = Substitute(array.ElementType, typeArguments, methodArguments);
                if (ReferenceEquals(element, array.ElementType))
                    return array;
                var rebuilt = new ArrayType(element, array.Rank);
                for (var i = 0; i < array.Rank; i++)
                    rebuilt.Dimensions[i] = array.Dimensions[i];
                return rebuilt;
            case GenericInstanceType instance:
                var arguments = instance.GenericArguments.Select(a => Substitute(a, typeArguments, methodArguments)).ToList();
                if (arguments.Zip(instance.GenericArguments, ReferenceEquals).All(same => same))
                    return instance;
                var result = new GenericInstanceType(instance.ElementType);
                foreach (var argument in arguments)
                    result.GenericArguments.Add(argument);
                return result;
            default:
                return type;
        }
    }

    private static TypeReference Rebuild(TypeSpecification original, TypeSpecification rebuilt) =>
        ReferenceEquals(original.ElementType, rebuilt.ElementType) ? original : rebuilt;
}
