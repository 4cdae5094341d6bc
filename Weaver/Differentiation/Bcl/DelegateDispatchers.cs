using System.Linq;
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
        var existing = host.Methods.FirstOrDefault(m => m.Parameters[0].ParameterType.FullName == delegateType.FullName);
        if (existing != null)
            return existing;
        var dispatcher = new MethodDefinition("Invoke", MethodAttributes.Assembly | MethodAttributes.Static | MethodAttributes.HideBySig,
            module.ImportReference(GenericSubstitution.Resolve(invoke.ReturnType, invoke)));
        dispatcher.Parameters.Add(new ParameterDefinition("function", ParameterAttributes.None, delegateType));
        foreach (var parameter in invoke.Parameters)
            dispatcher.Parameters.Add(new ParameterDefinition(parameter.Name, ParameterAttributes.None, module.ImportReference(GenericSubstitution.Resolve(parameter.ParameterType, invoke))));
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

    private static TypeDefinition Host(ModuleDefinition module)
    {
        var host = module.Types.FirstOrDefault(t => t.Namespace.Length == 0 && t.Name == HostName);
        if (host != null)
            return host;
        host = new TypeDefinition(string.Empty, HostName, TypeAttributes.NotPublic | TypeAttributes.Abstract | TypeAttributes.Sealed | TypeAttributes.BeforeFieldInit | TypeAttributes.Class, module.TypeSystem.Object);
        host.CustomAttributes.Add(WellKnownTypes.CompilerGenerated(module));
        module.Types.Add(host);
        return host;
    }
}
