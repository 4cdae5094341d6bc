using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Autodiff.Weaver.Backend;
using Autodiff.Weaver.Frontend;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Loading;
using Autodiff.Weaver.Optimization;
using Autodiff.Weaver.Pipeline;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Calls;

/// <summary>
/// The derivatives of callees generated into one module, one per (callee, mode, activities, width) and shared by
/// every call site with that pattern, as Enzyme caches one derivative per activity signature: forward derivatives,
/// reverse-mode split pairs (augmented forward and reverse) and, for <c>[Checkpoint]</c> callees, whole reverse
/// derivatives. Each is a <c>[CompilerGenerated]</c> internal static method next to its callee, named for the
/// pattern (<c>&lt;Square&gt;__fwd_dual_to_dual</c>, <c>&lt;Poly&gt;__aug_active_const</c>). Methods are declared
/// before their bodies are synthesized, so a recursive callee's derivative calls itself and mutual recursion
/// closes on the declared methods.
/// </summary>
public sealed class CalleeDerivatives
{
    private static readonly ConditionalWeakTable<ModuleDefinition, CalleeDerivatives> Modules = new();

    private readonly ModuleDefinition module;
    private readonly WeaverOptions options;
    private readonly Dictionary<(MethodDefinition, DerivativeMode, string, ActivityKind?, int), (MethodReference, DerivativeSignature)> derivatives = new();
    private readonly Dictionary<(MethodDefinition, string, ActivityKind?, int), SplitDerivative> splits = new();
    private readonly Dictionary<string, MethodDefinition> instantiations = new();
    private readonly Dictionary<MethodDefinition, GenericInstanceType> instantiatedTypes = new();
    private CustomRules? rules;

    private CalleeDerivatives(ModuleDefinition module, WeaverOptions options)
    {
        this.module = module;
        this.options = options;
    }

    /// <summary>Starts a weaving run of <paramref name="module"/>: callee derivatives are built with <paramref name="options"/>.</summary>
    public static void Begin(ModuleDefinition module, WeaverOptions options)
    {
        Modules.Remove(module);
        Modules.Add(module, new CalleeDerivatives(module, options));
    }

    /// <summary>The derivatives of the module a derivative is being built in (default options outside a weaving run).</summary>
    public static CalleeDerivatives Of(ModuleDefinition module) => Modules.GetValue(module, m => new CalleeDerivatives(m, new WeaverOptions()));

    /// <summary>The module's <c>[ForwardRule]</c>/<c>[ReverseRule]</c> methods, discovered on first use.</summary>
    public CustomRules Rules => rules ??= CustomRules.Discover(module);

    /// <summary>Whether <paramref name="method"/> is a callee derivative built here (<c>&lt;F&gt;__fwd_…</c>, <c>&lt;F&gt;__rev_…</c>).</summary>
    public bool IsBuilt(MethodDefinition method) => derivatives.Values.Any(d => d.Item1 == method);

    /// <summary>The method whose IL a call's derivative is built from: the callee, or its copy at a generic instantiation.</summary>
    public MethodDefinition PrimalOf(CallTarget target, Instruction call)
    {
        var instance = target.Reference;
        if (instance is not GenericInstanceMethod && instance.DeclaringType is not GenericInstanceType)
            return target.Definition!;
        if (!instantiations.TryGetValue(instance.FullName, out var copy))
        {
            copy = GenericInstantiation.Instantiate(instance, target.Definition!, call);
            instantiations[instance.FullName] = copy;
            if (instance.DeclaringType is GenericInstanceType type)
                instantiatedTypes[copy] = type;
        }
        return copy;
    }

    /// <summary>
    /// How a call reaches <paramref name="derivative"/> of <paramref name="callee"/>: directly, or — for a method of
    /// a generic type, whose derivative lives in that type to keep its access to the type's private members —
    /// through the callee's instantiation (<c>Box&lt;double&gt;.&lt;Twice&gt;__fwd_dual_to_dual</c>).
    /// </summary>
    private MethodReference Reference(MethodDefinition derivative, MethodDefinition callee)
    {
        if (callee.Module != module || !instantiatedTypes.TryGetValue(callee, out var type))
            return derivative;
        var reference = new MethodReference(derivative.Name, derivative.ReturnType, type) { HasThis = false };
        foreach (var parameter in derivative.Parameters)
            reference.Parameters.Add(new ParameterDefinition(parameter.ParameterType));
        return reference;
    }

    /// <summary>
    /// The derivative of <paramref name="callee"/> in <paramref name="mode"/> with the given parameter activities
    /// (<c>this</c> first), return activity (null for void) and width; built on first use.
    /// </summary>
    public (MethodReference Method, DerivativeSignature Signature) Get(MethodDefinition callee, DerivativeMode mode, IReadOnlyList<ActivityKind> parameters, ActivityKind? result, int width = 1)
    {
        var key = (callee, mode, string.Join(",", parameters), result, width);
        if (derivatives.TryGetValue(key, out var existing))
            return existing;

        // A receiver becomes the first parameter of a static derivative (as form 2 does).
        var signature = DerivativeSignatureBuilder.Build(callee, mode, parameters, result, width, receiverIsExplicit: true, module);
        var foreign = callee.Module != module;
        var host = foreign ? ForeignCalleeHost() : callee.DeclaringType;
        var method = DerivativeMethods.Add(host, NameOf(callee, mode, parameters, result, foreign) + WidthSuffix(width), signature);
        method.Attributes = MethodAttributes.Assembly | MethodAttributes.Static | MethodAttributes.HideBySig;
        derivatives[key] = (Reference(method, callee), signature);
        try
        {
            Synthesize(callee, new DifferentiationRequest(callee, method, mode, parameters, result, width, signature, isForm2: true));
        }
        catch
        {
            derivatives.Remove(key);
            host.Methods.Remove(method);
            throw;
        }
        return derivatives[key];
    }

    /// <summary>
    /// The split reverse derivative of <paramref name="callee"/> (augmented forward and reverse) for the given
    /// parameter activities, return activity and width; built on first use, both halves declared before either is built.
    /// </summary>
    public SplitDerivative GetSplit(MethodDefinition callee, IReadOnlyList<ActivityKind> parameters, ActivityKind? result, int width, Instruction site)
    {
        var key = (callee, string.Join(",", parameters), result, width);
        if (splits.TryGetValue(key, out var existing))
            return existing;

        var foreign = callee.Module != module;
        var host = foreign ? ForeignCalleeHost() : callee.DeclaringType;
        var reverseSignature = DerivativeSignatureBuilder.Build(callee, DerivativeMode.Reverse, parameters, result, width, receiverIsExplicit: true, module);
        var augmentedSignature = DerivativeSignatureBuilder.Build(
            callee, DerivativeMode.Reverse, parameters.Select(_ => ActivityKind.Const).ToList(), result is null ? null : ActivityKind.Const, 1, receiverIsExplicit: true, module);
        var augmented = Declare(host, NameOf(callee, "aug", parameters, null, foreign) + WidthSuffix(width), augmentedSignature);
        var reverse = Declare(host, NameOf(callee, "rev", parameters, result, foreign) + WidthSuffix(width), reverseSignature);
        var split = new SplitDerivative(Reference(augmented, callee), augmentedSignature, Reference(reverse, callee), reverseSignature);
        splits[key] = split;
        try
        {
            if (Bcl.DelegateDispatchers.IsDispatcher(callee))
            {
                Bcl.DispatchedDerivatives.EmitSplit(this, callee, augmented, reverse, parameters, result, width, site);
                return split;
            }
            var primal = Lift(callee);
            var request = new DifferentiationRequest(callee, reverse, DerivativeMode.Reverse, parameters, result, width, reverseSignature, isForm2: true);
            var (augmentedIr, reverseIr) = SplitSynthesizer.Synthesize(primal, request, options, site);
            Finish(augmentedIr, augmented);
            Finish(reverseIr, reverse);
        }
        catch
        {
            splits.Remove(key);
            host.Methods.Remove(augmented);
            host.Methods.Remove(reverse);
            throw;
        }
        return split;
    }

    // The call record comes last, after the parameters the signature lists.
    private MethodDefinition Declare(TypeDefinition host, string name, DerivativeSignature signature)
    {
        var method = DerivativeMethods.Add(host, name, signature);
        method.Attributes = MethodAttributes.Assembly | MethodAttributes.Static | MethodAttributes.HideBySig;
        method.Parameters.Add(new ParameterDefinition("record", ParameterAttributes.None, Reverse.PooledTape.TypeOf(module, module.TypeSystem.Object)));
        return method;
    }

    private void Synthesize(MethodDefinition callee, DifferentiationRequest request)
    {
        // A delegate's derivative is chosen at run time among those of the methods it may call.
        if (Bcl.DelegateDispatchers.IsDispatcher(callee))
        {
            Bcl.DispatchedDerivatives.EmitWhole(this, request);
            return;
        }
        var primal = Lift(callee);
        var derivative = DerivativeSynthesizer.Synthesize(primal, request, options);
        Finish(derivative, request.Derivative);
    }

    /// <summary>The callee's IR, optimized as RequestWeaver optimizes a request's primal before differentiating it.</summary>
    private IrMethod Lift(MethodDefinition callee)
    {
        if (callee.Module != module)
        {
            // The callee's own calls are differentiated into this module too, and its non-public members reached.
            Modules.Remove(callee.Module);
            Modules.Add(callee.Module, this);
            if (AccessChecks.AreNeededFor(callee))
                AccessChecks.Ignore(module, callee.Module.Assembly.Name.Name);
        }
        // As RequestWeaver does for requests: differentiate optimized IR, then optimize the derivative.
        var primal = MethodLifter.Lift(callee);
        Verify(primal);
        Bcl.BclLowering.Run(primal, module);
        Verify(primal);
        OptimizationPipelines.RunPreDifferentiation(primal, options, VerifyAfterPass, MayInline);
        return primal;
    }

    private void Finish(IrMethod derivative, MethodDefinition method)
    {
        Verify(derivative);
        OptimizationPipelines.RunPostDifferentiation(derivative, options, VerifyAfterPass);
        MethodLowerer.Lower(derivative, method);
    }

    /// <summary>Whether inlining (WeaverFlags.Inline) may replace a call: not where a user rule must apply.</summary>
    public bool MayInline(MethodDefinition callee) => !Rules.Covers(callee);

    private void Verify(IrMethod method)
    {
        if (options.VerifyIr)
            IrVerifier.Check(method);
    }

    private void VerifyAfterPass(string pass, IrMethod method) => Verify(method);

    /// <summary>Derivatives of callees in referenced assemblies live in one internal static class of this module.</summary>
    internal TypeDefinition ForeignCalleeHost() => GeneratedHosts.GetOrAdd(module, "<AutodiffCallDerivatives>");

    // A foreign callee's name carries its type's, since callees of several types share one host. The return's
    // activity is named unless it is the partials' (DualOnly, ActiveOnly) or the callee returns nothing.
    // One lane's derivatives keep the plain names; wider ones (and a wide reverse's augmented twin) are named for their width.
    private static string WidthSuffix(int width) => width == 1 ? string.Empty : "_x" + width;

    private static string NameOf(MethodDefinition callee, DerivativeMode mode, IReadOnlyList<ActivityKind> parameters, ActivityKind? result, bool foreign) =>
        NameOf(callee, mode == DerivativeMode.Forward ? "fwd" : "rev", parameters, result, foreign);

    private static string NameOf(MethodDefinition callee, string kind, IReadOnlyList<ActivityKind> parameters, ActivityKind? result, bool foreign) =>
        $"<{(foreign ? callee.DeclaringType.FullName + "." : string.Empty)}{callee.Name}>__{kind}"
        + string.Concat(parameters.Select(p => "_" + p.ToString().ToLowerInvariant()))
        + (result is null or ActivityKind.DualOnly or ActivityKind.ActiveOnly ? string.Empty : "_to_" + result.Value.ToString().ToLowerInvariant());
}
