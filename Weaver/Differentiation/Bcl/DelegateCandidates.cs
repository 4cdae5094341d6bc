using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Autodiff.Weaver.Differentiation.Calls;
using Autodiff.Weaver.Frontend;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Autodiff.Weaver.Differentiation.Bcl;

/// <summary>A method a delegate may call, and whether the delegate's target is passed to it first (an instance method, or a static one closed over its first argument).</summary>
public sealed record DelegateCandidate(MethodReference Method, MethodDefinition Definition, bool TakesReceiver);

/// <summary>
/// The methods a delegate of a given type may call at run time, as far as weaving can know: every method whose address
/// is taken (<c>ldftn</c>, <c>ldvirtftn</c> with the overrides of its virtual method) in the woven module and in the
/// referenced assemblies whose IL the weaver lifts (not the framework's), whose parameters and result are the
/// delegate's. A delegate is made only from such an address, so a delegate of any other method was created in code
/// the weaver did not see (a framework or dynamically loaded assembly), which the derivative reports at run time.
/// Methods of generic types and generic methods are left out (their handles differ per instantiation).
/// </summary>
public static class DelegateCandidates
{
    private static readonly ConditionalWeakTable<ModuleDefinition, List<MethodReference>> AddressTaken = new();

    public static IReadOnlyList<DelegateCandidate> For(ModuleDefinition module, TypeReference delegateType)
    {
        var invoke = delegateType.Resolve().Methods.Single(m => m.Name == "Invoke");
        var parameters = invoke.Parameters.Select(p => Name(GenericSubstitution.Substitute(p.ParameterType, delegateType as GenericInstanceType, null))).ToList();
        var result = Name(GenericSubstitution.Substitute(invoke.ReturnType, delegateType as GenericInstanceType, null));
        var rules = CalleeDerivatives.Of(module).Rules;
        var candidates = new List<DelegateCandidate>();
        foreach (var method in AddressTaken.GetValue(module, Scan))
        {
            // Framework methods are reached through the rule table, whatever their reference assembly's body, and user rules need no body.
            if (CallTarget.Resolve(method) is not { } definition || !definition.HasBody && !CallTarget.IsFramework(definition.Module) && !rules.Covers(definition)
                || definition.HasGenericParameters || IsInGenericType(definition.DeclaringType)
                || definition.HasThis && definition.DeclaringType.IsValueType || Name(definition.ReturnType) != result)
                continue;
            var own = definition.Parameters.Select(p => Name(p.ParameterType)).ToList();
            if (own.SequenceEqual(parameters))
                candidates.Add(new DelegateCandidate(method, definition, definition.HasThis));
            else if (!definition.HasThis && own.Count == parameters.Count + 1 && own.Skip(1).SequenceEqual(parameters) && !definition.Parameters[0].ParameterType.IsValueType)
                candidates.Add(new DelegateCandidate(method, definition, true));
        }
        return candidates;
    }

    private static List<MethodReference> Scan(ModuleDefinition module)
    {
        var modules = new List<ModuleDefinition> { module };
        foreach (var reference in module.AssemblyReferences)
        {
            if (Resolve(module, reference) is { } assembly && !CallTarget.IsFramework(assembly.MainModule))
                modules.Add(assembly.MainModule);
        }
        var found = new List<MethodReference>();
        var seen = new HashSet<string>();
        foreach (var scanned in modules)
        {
            var types = scanned.GetTypes().ToList();
            foreach (var instruction in types.SelectMany(t => t.Methods).Where(m => m.HasBody).SelectMany(m => m.Body.Instructions))
            {
                if (instruction.OpCode.Code is not (Code.Ldftn or Code.Ldvirtftn) || instruction.Operand is not MethodReference target)
                    continue;
                var targets = new List<MethodReference> { target };
                if (instruction.OpCode.Code == Code.Ldvirtftn && CallTarget.Resolve(target) is { IsVirtual: true } virtualMethod)
                    targets.AddRange(types.SelectMany(t => t.Methods).Where(m => Overrides(m, virtualMethod)));
                foreach (var method in targets.Where(m => seen.Add(m.FullName)))
                    found.Add(scanned == module ? method : module.ImportReference(method));
            }
        }
        return found;
    }

    private static bool Overrides(MethodDefinition method, MethodDefinition virtualMethod) =>
        method != virtualMethod && method.IsVirtual && method.Name == virtualMethod.Name
        && method.Parameters.Select(p => Name(p.ParameterType)).SequenceEqual(virtualMethod.Parameters.Select(p => Name(p.ParameterType)))
        && DerivesFrom(method.DeclaringType, virtualMethod.DeclaringType);

    private static bool DerivesFrom(TypeDefinition type, TypeDefinition ancestor)
    {
        for (var current = type.BaseType; current != null; current = ResolveType(current)?.BaseType)
        {
            if (current.FullName == ancestor.FullName)
                return true;
        }
        return false;
    }

    private static TypeDefinition? ResolveType(TypeReference type)
    {
        try
        {
            return type.Resolve();
        }
        catch (AssemblyResolutionException)
        {
            return null;
        }
    }

    private static bool IsInGenericType(TypeDefinition? type) => type != null && (type.HasGenericParameters || IsInGenericType(type.DeclaringType));

    private static AssemblyDefinition? Resolve(ModuleDefinition module, AssemblyNameReference reference)
    {
        try
        {
            return module.AssemblyResolver.Resolve(reference);
        }
        catch (AssemblyResolutionException)
        {
            return null;
        }
    }

    private static string Name(TypeReference type) => Loading.DifferentiableTypes.StripModifiers(type).FullName;
}
