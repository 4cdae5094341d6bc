using System.Linq;
using Autodiff.Weaver.Loading;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Autodiff.Weaver.Differentiation.Calls;

/// <summary>
/// Lets the woven module reach non-public members of an assembly whose IL it copied into derivatives, through
/// <c>[assembly: IgnoresAccessChecksTo("Name")]</c> (DESIGN §2): CoreCLR honours an attribute of that full name
/// wherever it is declared, so the woven module declares the class itself when it has none.
/// </summary>
public static class AccessChecks
{
    private const string Namespace = "System.Runtime.CompilerServices";
    private const string Name = "IgnoresAccessChecksToAttribute";

    /// <summary>
    /// True when a copy of <paramref name="method"/>'s body in another assembly would reach a non-public member or
    /// type of <paramref name="method"/>'s assembly (the method itself included, since its derivative calls it).
    /// </summary>
    public static bool AreNeededFor(MethodDefinition method) =>
        !IsVisible(method)
        || method.Body.Instructions.Select(i => i.Operand).OfType<MemberReference>().Select(Resolve)
            .Any(member => member != null && ModuleOf(member) == method.Module && !IsVisible(member));

    public static void Ignore(ModuleDefinition module, string assemblyName)
    {
        var constructor = Constructor(module);
        if (module.Assembly.CustomAttributes.Any(a => a.AttributeType.FullName == constructor.DeclaringType.FullName && Equals(a.ConstructorArguments[0].Value, assemblyName)))
            return;
        var attribute = new CustomAttribute(constructor);
        attribute.ConstructorArguments.Add(new CustomAttributeArgument(module.TypeSystem.String, assemblyName));
        module.Assembly.CustomAttributes.Add(attribute);
    }

    private static IMemberDefinition? Resolve(MemberReference member)
    {
        try
        {
            return member switch
            {
                MethodReference method => method.Resolve(),
                FieldReference field => field.Resolve(),
                TypeReference type => type.Resolve(),
                _ => null,
            };
        }
        catch (AssemblyResolutionException)
        {
            return null;
        }
    }

    private static ModuleDefinition? ModuleOf(IMemberDefinition member) => member is TypeDefinition type ? type.Module : member.DeclaringType?.Module;

    private static bool IsVisible(IMemberDefinition? member) => member switch
    {
        null => true,
        MethodDefinition method => method.IsPublic && IsVisible(method.DeclaringType),
        FieldDefinition field => field.IsPublic && IsVisible(field.DeclaringType),
        TypeDefinition type => (type.IsPublic || type.IsNestedPublic) && (type.DeclaringType == null || IsVisible(type.DeclaringType)),
        _ => true,
    };

    private static MethodReference Constructor(ModuleDefinition module)
    {
        var type = module.Types.FirstOrDefault(t => t.Namespace == Namespace && t.Name == Name) ?? Define(module);
        return type.Methods.Single(m => m.IsConstructor && !m.IsStatic && m.Parameters.Count == 1);
    }

    private static TypeDefinition Define(ModuleDefinition module)
    {
        var attributeType = new TypeReference("System", "Attribute", module, module.TypeSystem.CoreLibrary);
        var type = new TypeDefinition(Namespace, Name, TypeAttributes.NotPublic | TypeAttributes.Sealed | TypeAttributes.BeforeFieldInit | TypeAttributes.Class, attributeType);
        type.CustomAttributes.Add(WellKnownTypes.CompilerGenerated(module));
        var constructor = new MethodDefinition(".ctor", MethodAttributes.Public | MethodAttributes.HideBySig | MethodAttributes.SpecialName | MethodAttributes.RTSpecialName, module.TypeSystem.Void);
        constructor.Parameters.Add(new ParameterDefinition("assemblyName", ParameterAttributes.None, module.TypeSystem.String));
        var il = constructor.Body.GetILProcessor();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Call, new MethodReference(".ctor", module.TypeSystem.Void, attributeType) { HasThis = true });
        il.Emit(OpCodes.Ret);
        type.Methods.Add(constructor);
        module.Types.Add(type);
        return type;
    }
}
