using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Mono.Cecil;

// FodyHelpers marks Cecil's TypeSystem obsolete in favour of Fody's; the loader also runs outside Fody
// (adweave, tests), so it uses Cecil's.
#pragma warning disable CS0618

namespace Autodiff.Weaver.Loading;

/// <summary>
/// References to framework types the derivative signatures need, scoped to the target module's own framework
/// (a netstandard2.0 weaver cannot <c>typeof</c> the target's framework types).
/// </summary>
internal static class WellKnownTypes
{
    /// <summary>More elements than this nest through <c>ValueTuple`8</c>'s <c>TRest</c>.</summary>
    private const int TupleArity = 7;

    public static TypeReference Void(ModuleDefinition module) => module.TypeSystem.Void;

    /// <summary><c>System.ValueTuple`k</c> of <paramref name="elements"/>, nested through <c>TRest</c> beyond seven.</summary>
    public static TypeReference ValueTuple(IReadOnlyList<TypeReference> elements, ModuleDefinition module)
    {
        var arity = elements.Count <= TupleArity ? elements.Count : TupleArity + 1;
        var arguments = elements.Count <= TupleArity
            ? elements
            : elements.Take(TupleArity).Append(ValueTuple(elements.Skip(TupleArity).ToList(), module)).ToList();
        var name = "ValueTuple`" + arity.ToString(CultureInfo.InvariantCulture);
        var generic = new TypeReference("System", name, module, ScopeOf("System." + name, module), valueType: true);
        for (var i = 0; i < arity; i++)
            generic.GenericParameters.Add(new GenericParameter(generic));
        var instance = new GenericInstanceType(generic);
        foreach (var argument in arguments)
            instance.GenericArguments.Add(argument);
        return instance;
    }

    /// <summary><c>System.Span&lt;T&gt;</c> for the element of <paramref name="readOnlySpan"/>, from the same assembly.</summary>
    public static TypeReference Span(GenericInstanceType readOnlySpan)
    {
        var readOnly = readOnlySpan.ElementType;
        var generic = new TypeReference("System", "Span`1", readOnly.Module, readOnly.Scope, valueType: true);
        generic.GenericParameters.Add(new GenericParameter(generic));
        var instance = new GenericInstanceType(generic);
        instance.GenericArguments.Add(readOnlySpan.GenericArguments[0]);
        return instance;
    }

    /// <summary><c>[CompilerGenerated]</c>, reusing the module's own constructor reference when it has one.</summary>
    public static CustomAttribute CompilerGenerated(ModuleDefinition module)
    {
        const string type = "System.Runtime.CompilerServices.CompilerGeneratedAttribute";
        var constructor = module.GetMemberReferences().OfType<MethodReference>().FirstOrDefault(m => m.Name == ".ctor" && m.DeclaringType.FullName == type && m.Parameters.Count == 0);
        if (constructor == null)
        {
            var attributeType = new TypeReference("System.Runtime.CompilerServices", "CompilerGeneratedAttribute", module, ScopeOf(type, module));
            constructor = new MethodReference(".ctor", module.TypeSystem.Void, attributeType) { HasThis = true };
        }
        return new CustomAttribute(constructor);
    }

    /// <summary>Where the module already finds <paramref name="fullName"/> (e.g. netstandard.dll), else its core library.</summary>
    private static IMetadataScope ScopeOf(string fullName, ModuleDefinition module) =>
        module.GetTypeReferences().FirstOrDefault(t => t.FullName == fullName)?.Scope ?? module.TypeSystem.CoreLibrary;
}
