using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Autodiff.Weaver.Frontend;
using Autodiff.Weaver.Loading;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;

namespace Autodiff.Weaver.Differentiation.Bcl;

/// <summary>
/// One static method per delegate type, <c>&lt;AutodiffDelegates&gt;.Invoke(Func&lt;double, double&gt; function, double arg)</c>,
/// whose body is the delegate's invocation. An invocation whose target is unknown when weaving becomes a call of it
/// (<see cref="ConstDelegateCalls"/>), so the call machinery differentiates it like any callee — forward, split or
/// recomputed reverse, any activities and width — and only its derivatives are special: they dispatch at run time on
/// the delegate's method (<see cref="DispatchedDerivatives"/>), as Enzyme's indirect calls go through shadow function pointers.
/// </summary>
public static class DelegateDispatchers
{
    private const string HostName = "<AutodiffDelegates>";

    public static bool IsDispatcher(MethodDefinition method) =>
        method.DeclaringType is { Name: HostName, Namespace.Length: 0, DeclaringType: null } && method.Name == "Invoke";

    /// <summary>The delegate type a dispatcher invokes (its first parameter).</summary>
    public static TypeReference DelegateTypeOf(MethodDefinition dispatcher) => dispatcher.Parameters[0].ParameterType;

    /// <summary>The dispatcher of <paramref name="invoke"/>'s delegate type in <paramref name="module"/>, declared on first use.</summary>
    public static MethodDefinition Of(ModuleDefinition module, MethodReference invoke)
    {
        var delegateType = module.ImportReference(invoke.DeclaringType);
        var host = Host(module);
        var existing = host.Methods.FirstOrDefault(m => IsDispatcher(m) && m.Parameters[0].ParameterType.FullName == delegateType.FullName);
        if (existing != null)
            return existing;
        var dispatcher = new MethodDefinition("Invoke", MethodAttributes.Assembly | MethodAttributes.Static | MethodAttributes.HideBySig,
            module.ImportReference(GenericSubstitution.Resolve(invoke.ReturnType, invoke)));
        dispatcher.Parameters.Add(new ParameterDefinition("function", ParameterAttributes.None, delegateType));
        var names = invoke.Resolve()?.Parameters.Select(p => p.Name).ToList();
        for (var i = 0; i < invoke.Parameters.Count; i++)
            dispatcher.Parameters.Add(new ParameterDefinition(names?[i] ?? "arg" + (i + 1), ParameterAttributes.None, module.ImportReference(GenericSubstitution.Resolve(invoke.Parameters[i].ParameterType, invoke))));
        dispatcher.CustomAttributes.Add(WellKnownTypes.CompilerGenerated(module));
        var il = dispatcher.Body.GetILProcessor();
        foreach (var parameter in dispatcher.Parameters)
            il.Emit(OpCodes.Ldarg, parameter);
        il.Emit(OpCodes.Callvirt, module.ImportReference(invoke));
        il.Emit(OpCodes.Ret);
        dispatcher.Body.Optimize();
        host.Methods.Add(dispatcher);
        return dispatcher;
    }

    /// <summary>
    /// A static method of the host calling <paramref name="candidate"/> (its receiver first, if any):
    /// <c>Math_Sin(double x) => Math.Sin(x)</c>. Its derivative is what the dispatch calls for a framework method, whose
    /// IL is not lifted but which the rule table covers, and for a method with a user rule, which its body must not bypass.
    /// </summary>
    public static MethodDefinition WrapperOf(ModuleDefinition module, DelegateCandidate candidate)
    {
        var host = Host(module);
        var name = candidate.Definition.DeclaringType.Name + "_" + candidate.Definition.Name;
        var parameters = (candidate.Definition.HasThis ? new[] { module.ImportReference(candidate.Method.DeclaringType) } : System.Array.Empty<TypeReference>())
            .Concat(candidate.Definition.Parameters.Select(p => module.ImportReference(p.ParameterType)))
            .ToList();
        var existing = host.Methods.FirstOrDefault(m => m.Name == name && m.Parameters.Select(p => p.ParameterType.FullName).SequenceEqual(parameters.Select(p => p.FullName)));
        if (existing != null)
            return existing;
        var wrapper = new MethodDefinition(name, MethodAttributes.Assembly | MethodAttributes.Static | MethodAttributes.HideBySig, module.ImportReference(candidate.Definition.ReturnType));
        var names = (candidate.Definition.HasThis ? new[] { "target" } : System.Array.Empty<string>()).Concat(candidate.Definition.Parameters.Select(p => p.Name)).ToList();
        for (var i = 0; i < parameters.Count; i++)
            wrapper.Parameters.Add(new ParameterDefinition(names[i], ParameterAttributes.None, parameters[i]));
        wrapper.CustomAttributes.Add(WellKnownTypes.CompilerGenerated(module));
        var il = wrapper.Body.GetILProcessor();
        foreach (var parameter in wrapper.Parameters)
            il.Emit(OpCodes.Ldarg, parameter);
        il.Emit(OpCodes.Call, module.ImportReference(candidate.Method));
        il.Emit(OpCodes.Ret);
        wrapper.Body.Optimize();
        host.Methods.Add(wrapper);
        return wrapper;
    }

    /// <summary>
    /// A static readonly field of the host holding <paramref name="method"/>'s identity (<c>DelegateDerivatives.MethodOf</c>
    /// of its handle), set once by the host's static constructor: the dispatch compares against it on every call.
    /// </summary>
    public static FieldReference MethodKeyOf(ModuleDefinition module, MethodReference method)
    {
        var host = Host(module);
        var keys = Keys.GetValue(host, _ => new Dictionary<string, FieldDefinition>());
        if (keys.TryGetValue(method.FullName, out var existing))
            return existing;
        var name = $"<{method.DeclaringType.Name}.{method.Name}>";
        var unique = name;
        for (var i = 2; host.Fields.Any(f => f.Name == unique); i++)
            unique = name + i;
        var intPtr = module.TypeSystem.IntPtr;
        var field = new FieldDefinition(unique, FieldAttributes.Assembly | FieldAttributes.Static | FieldAttributes.InitOnly, intPtr);
        host.Fields.Add(field);
        keys[method.FullName] = field;

        var handle = new TypeReference("System", "RuntimeMethodHandle", module, module.TypeSystem.CoreLibrary) { IsValueType = true };
        var runtime = new TypeReference("Autodiff.Runtime", "DelegateDerivatives", module, module.AssemblyReferences.First(r => r.Name == "Autodiff"));
        var methodOf = new MethodReference("MethodOf", intPtr, runtime);
        methodOf.Parameters.Add(new ParameterDefinition(handle));
        var il = StaticConstructor(host).Body.GetILProcessor();
        var ret = il.Body.Instructions.Last();
        il.InsertBefore(ret, il.Create(OpCodes.Ldtoken, module.ImportReference(method)));
        il.InsertBefore(ret, il.Create(OpCodes.Call, methodOf));
        il.InsertBefore(ret, il.Create(OpCodes.Stsfld, field));
        return field;
    }

    private static readonly ConditionalWeakTable<TypeDefinition, Dictionary<string, FieldDefinition>> Keys = new();

    private static MethodDefinition StaticConstructor(TypeDefinition host)
    {
        var existing = host.Methods.FirstOrDefault(m => m.IsConstructor && m.IsStatic);
        if (existing != null)
            return existing;
        var constructor = new MethodDefinition(".cctor",
            MethodAttributes.Private | MethodAttributes.Static | MethodAttributes.HideBySig | MethodAttributes.SpecialName | MethodAttributes.RTSpecialName, host.Module.TypeSystem.Void);
        constructor.Body.GetILProcessor().Emit(OpCodes.Ret);
        host.Methods.Add(constructor);
        return constructor;
    }

    private static TypeDefinition Host(ModuleDefinition module) => GeneratedHosts.GetOrAdd(module, HostName);
}
