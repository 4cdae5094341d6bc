using System.Linq;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Rules;

/// <summary>
/// <c>[Inactive]</c> on a method or on its return value (DESIGN §1): calls to it have a zero derivative,
/// like the zero entries of the rule table.
/// </summary>
public static class InactiveAnnotation
{
    private const string AttributeName = "Autodiff.InactiveAttribute";

    public static bool IsInactive(MethodReference callee)
    {
        var definition = Resolve(callee);
        return definition != null && (HasAttribute(definition) || HasAttribute(definition.MethodReturnType));
    }

    private static bool HasAttribute(ICustomAttributeProvider provider) =>
        provider.HasCustomAttributes && provider.CustomAttributes.Any(a => a.AttributeType.FullName == AttributeName);

    // A callee whose assembly cannot be found carries no annotation we could see.
    private static MethodDefinition? Resolve(MethodReference callee)
    {
        try
        {
            return callee.Resolve();
        }
        catch (AssemblyResolutionException)
        {
            return null;
        }
    }
}
