using System;
using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Diagnostics;
using Autodiff.Weaver.Differentiation.Calls;
using Autodiff.Weaver.Loading;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;

namespace Autodiff.Weaver.Differentiation.Bcl;

/// <summary>
/// The derivatives of a delegate dispatcher (<see cref="DelegateDispatchers"/>): Enzyme's shadow function pointer,
/// resolved by a comparison chain instead of a pointer stored beside the function. For each method the delegate may
/// call (<see cref="DelegateCandidates"/>) the weaver builds that method's derivative for the same activities and
/// width (the delegate's target, if any, passed Const as its receiver); the dispatcher's derivative compares the
/// delegate's method with each (its identity read once into a static field, <see cref="DelegateDispatchers.MethodKeyOf"/>)
/// and calls the matching derivative with the same arguments:
/// <code>
/// IntPtr method = DelegateDerivatives.MethodOf(function);
/// if (method == &lt;AutodiffDelegates&gt;.&lt;Model.Square&gt;) return Model.&lt;Square&gt;__fwd_dual_to_dual(x, dx);
/// if (method == &lt;AutodiffDelegates&gt;.&lt;&lt;&gt;c.&lt;Main&gt;b__0_0&gt;) return &lt;&gt;c.&lt;&lt;Main&gt;b__0_0&gt;__fwd_const_dual_to_dual((&lt;&gt;c)function.Target, x, dx);
/// throw DelegateDerivatives.Unknown(function, "…");
/// </code>
/// A method the weaver cannot differentiate gets a branch that throws its diagnostic at run time instead of failing
/// the build: it may never be passed to this delegate.
/// </summary>
public static class DispatchedDerivatives
{
    /// <summary>Fills <paramref name="request"/>'s derivative (forward, or a recomputing reverse) of a dispatcher.</summary>
    public static void EmitWhole(CalleeDerivatives derivatives, DifferentiationRequest request)
    {
        var module = request.Primal.Module;
        var delegateType = DelegateDispatchers.DelegateTypeOf(request.Primal);
        var targets = DelegateCandidates.For(module, delegateType)
            .Select(c => Target(c, () => derivatives.Get(Differentiated(c, derivatives, module), request.Mode, ActivitiesOf(c, request.ParameterActivities), request.ReturnActivity, request.Width).Method))
            .ToList();
        Emit(request.Derivative, delegateType, targets);
    }

    /// <summary>Fills both halves of a dispatcher's split reverse derivative; each candidate's halves share the caller's call record.</summary>
    public static void EmitSplit(CalleeDerivatives derivatives, MethodDefinition dispatcher, MethodDefinition augmented, MethodDefinition reverse,
        IReadOnlyList<ActivityKind> parameters, ActivityKind? result, int width, Ir.Instruction site)
    {
        var module = dispatcher.Module;
        var delegateType = DelegateDispatchers.DelegateTypeOf(dispatcher);
        var splits = DelegateCandidates.For(module, delegateType)
            .Select(c => (Candidate: c, Split: Build(() => derivatives.GetSplit(Differentiated(c, derivatives, module), ActivitiesOf(c, parameters), result, width, site))))
            .ToList();
        Emit(augmented, delegateType, splits.Select(s => new DispatchTarget(s.Candidate, s.Split.Derivative?.Augmented, s.Split.Failure)).ToList());
        Emit(reverse, delegateType, splits.Select(s => new DispatchTarget(s.Candidate, s.Split.Derivative?.Reverse, s.Split.Failure)).ToList());
    }

    private sealed record DispatchTarget(DelegateCandidate Candidate, MethodReference? Derivative, string? Failure);

    /// <summary>The method whose derivative stands for <paramref name="candidate"/>'s: itself, or a wrapper where the rule table or a user rule must apply.</summary>
    private static MethodDefinition Differentiated(DelegateCandidate candidate, CalleeDerivatives derivatives, ModuleDefinition module) =>
        CallTarget.IsFramework(candidate.Definition.Module) || derivatives.Rules.Covers(candidate.Definition)
            ? DelegateDispatchers.WrapperOf(module, candidate)
            : candidate.Definition;

    // The delegate itself is Const; a candidate taking the delegate's target receives it Const in its place.
    private static List<ActivityKind> ActivitiesOf(DelegateCandidate candidate, IReadOnlyList<ActivityKind> dispatcher) =>
        candidate.TakesReceiver ? dispatcher.Skip(1).Prepend(ActivityKind.Const).ToList() : dispatcher.Skip(1).ToList();

    private static DispatchTarget Target(DelegateCandidate candidate, Func<MethodReference> derivative)
    {
        var built = Build(derivative);
        return new DispatchTarget(candidate, built.Derivative, built.Failure);
    }

    private static (T? Derivative, string? Failure) Build<T>(Func<T> derivative)
        where T : class
    {
        try
        {
            return (derivative(), null);
        }
        catch (WeaverException error)
        {
            return (null, $"AD{(int)error.Code}: {error.Message}");
        }
    }

    private static void Emit(MethodDefinition derivative, TypeReference dispatched, IReadOnlyList<DispatchTarget> targets)
    {
        var module = derivative.Module;
        var runtime = new TypeReference("Autodiff.Runtime", "DelegateDerivatives", module, module.AssemblyReferences.First(r => r.Name == "Autodiff"));
        var delegateType = new TypeReference("System", "Delegate", module, module.TypeSystem.CoreLibrary);
        var exception = new TypeReference("System", "Exception", module, module.TypeSystem.CoreLibrary);
        var methodOf = Method(runtime, "MethodOf", module.TypeSystem.IntPtr, delegateType);
        var target = new MethodReference("get_Target", module.TypeSystem.Object, delegateType) { HasThis = true };

        // The methods a delegate calls are mostly private (lambdas live in nested compiler-generated classes); CoreCLR
        // honours IgnoresAccessChecksTo naming the assembly itself, as it does for other assemblies.
        if (targets.Any(t => t.Candidate.Definition.Module == module && !IsReachableInAssembly(t.Candidate.Definition)))
            AccessChecks.Ignore(module, module.Assembly.Name.Name);
        derivative.Body = new MethodBody(derivative) { InitLocals = true };
        var method = new VariableDefinition(module.TypeSystem.IntPtr);
        derivative.Body.Variables.Add(method);
        var il = derivative.Body.GetILProcessor();
        var function = derivative.Parameters[0];
        il.Emit(OpCodes.Ldarg, function);
        il.Emit(OpCodes.Call, methodOf);
        il.Emit(OpCodes.Stloc, method);
        foreach (var dispatch in targets)
        {
            var next = il.Create(OpCodes.Nop);
            il.Emit(OpCodes.Ldloc, method);
            il.Emit(OpCodes.Ldsfld, DelegateDispatchers.MethodKeyOf(module, module.ImportReference(dispatch.Candidate.Method)));
            il.Emit(OpCodes.Bne_Un, next);
            if (dispatch.Derivative is { } called)
            {
                if (dispatch.Candidate.TakesReceiver)
                {
                    il.Emit(OpCodes.Ldarg, function);
                    il.Emit(OpCodes.Callvirt, target);
                    il.Emit(OpCodes.Castclass, module.ImportReference(ReceiverType(dispatch.Candidate)));
                }
                foreach (var parameter in derivative.Parameters.Skip(1))
                    il.Emit(OpCodes.Ldarg, parameter);
                il.Emit(OpCodes.Call, module.ImportReference(called));
                il.Emit(OpCodes.Ret);
            }
            else
            {
                il.Emit(OpCodes.Ldarg, function);
                il.Emit(OpCodes.Ldstr, dispatch.Failure);
                il.Emit(OpCodes.Call, Method(runtime, "NotDifferentiable", exception, delegateType, module.TypeSystem.String));
                il.Emit(OpCodes.Throw);
            }
            il.Append(next);
        }
        il.Emit(OpCodes.Ldarg, function);
        il.Emit(OpCodes.Ldstr, $"{derivative.Name} of {dispatched.FullName}");
        il.Emit(OpCodes.Call, Method(runtime, "Unknown", exception, delegateType, module.TypeSystem.String));
        il.Emit(OpCodes.Throw);
        derivative.Body.Optimize();
    }

    // The candidate and its derivative (an internal member of the same type) can be called from another type of the assembly.
    private static bool IsReachableInAssembly(MethodDefinition method) =>
        (method.IsPublic || method.IsAssembly || method.IsFamilyOrAssembly) && IsReachableInAssembly(method.DeclaringType);

    private static bool IsReachableInAssembly(TypeDefinition type) =>
        type.DeclaringType == null || (type.IsNestedPublic || type.IsNestedAssembly || type.IsNestedFamilyOrAssembly) && IsReachableInAssembly(type.DeclaringType);

    private static TypeReference ReceiverType(DelegateCandidate candidate) =>
        candidate.Definition.HasThis ? candidate.Method.DeclaringType : candidate.Definition.Parameters[0].ParameterType;

    private static MethodReference Method(TypeReference type, string name, TypeReference returnType, params TypeReference[] parameters)
    {
        var method = new MethodReference(name, returnType, type);
        foreach (var parameter in parameters)
            method.Parameters.Add(new ParameterDefinition(parameter));
        return method;
    }
}
