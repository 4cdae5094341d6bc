using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Diagnostics;
using Autodiff.Weaver.Loading;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Calls;

/// <summary>
/// The user's <c>[ForwardRule(typeof(T), nameof(M))]</c> and <c>[ReverseRule]</c> methods of one module (DESIGN §1
/// "Custom rules"), by the method they differentiate. A rule's signature is that of a form-1 derivative of its
/// target with every float/double parameter Dual (forward) or Active (reverse), the others Const, and the
/// return Dual or Active; the overload it differentiates is the one whose derivative signature it has.
/// </summary>
public sealed class CustomRules
{
    private const string ForwardRuleName = "Autodiff.ForwardRuleAttribute";
    private const string ReverseRuleName = "Autodiff.ReverseRuleAttribute";

    private readonly Dictionary<MethodDefinition, CustomRule> forward = new();
    private readonly Dictionary<MethodDefinition, CustomRule> reverse = new();

    private CustomRules()
    {
    }

    /// <summary>Every rule of <paramref name="module"/>; throws AD3005 for a rule that fits no overload of its target.</summary>
    public static CustomRules Discover(ModuleDefinition module)
    {
        var rules = new CustomRules();
        foreach (var method in module.GetTypes().SelectMany(t => t.Methods))
        {
            foreach (var attribute in method.CustomAttributes.Where(a => a.AttributeType.FullName is ForwardRuleName or ReverseRuleName))
            {
                var mode = attribute.AttributeType.FullName == ForwardRuleName ? DerivativeMode.Forward : DerivativeMode.Reverse;
                var rule = Bind(method, mode, (TypeReference)attribute.ConstructorArguments[0].Value, (string)attribute.ConstructorArguments[1].Value, module);
                (mode == DerivativeMode.Forward ? rules.forward : rules.reverse)[rule.Target] = rule;
            }
        }
        return rules;
    }

    /// <summary>The rule for <paramref name="target"/>, preferring <paramref name="mode"/>'s; either gives the call's partials.</summary>
    public CustomRule? Find(MethodDefinition target, DerivativeMode mode)
    {
        var preferred = mode == DerivativeMode.Forward ? forward : reverse;
        var other = mode == DerivativeMode.Forward ? reverse : forward;
        return preferred.TryGetValue(target, out var rule) ? rule : other.TryGetValue(target, out rule) ? rule : null;
    }

    /// <summary>True when some rule differentiates <paramref name="target"/>.</summary>
    public bool Covers(MethodDefinition target) => forward.ContainsKey(target) || reverse.ContainsKey(target);

    private static CustomRule Bind(MethodDefinition rule, DerivativeMode mode, TypeReference targetType, string targetName, ModuleDefinition module)
    {
        var candidates = targetType.Resolve()?.Methods.Where(m => m.Name == targetName && m.IsStatic && !m.HasGenericParameters).ToList() ?? new List<MethodDefinition>();
        var expected = new List<string>();
        foreach (var candidate in candidates)
        {
            if (!CallTarget.IsFloating(candidate.ReturnType))
                continue;
            var activities = candidate.Parameters.Select(p => CallTarget.IsFloating(p.ParameterType) ? (mode == DerivativeMode.Forward ? ActivityKind.Dual : ActivityKind.Active) : ActivityKind.Const).ToList();
            var signature = DerivativeSignatureBuilder.Build(candidate, mode, activities, mode == DerivativeMode.Forward ? ActivityKind.Dual : ActivityKind.Active, 1, receiverIsExplicit: false, module);
            if (DerivativeMethods.Matches(rule, signature))
                return new CustomRule(candidate, rule, signature, mode);
            expected.Add(CSharpSignatureFormatter.ToCSharp(signature, rule.Name, isStatic: true));
        }
        var what = expected.Count == 0
            ? $"{targetType.FullName} has no static method {targetName} of float/double parameters returning float or double (rules for instance, generic or array methods are not supported yet)"
            : "its signature fits no overload; expected " + string.Join(" or ", expected);
        throw new WeaverException(DiagnosticCode.InvalidCustomRule, $"[{(mode == DerivativeMode.Forward ? "ForwardRule" : "ReverseRule")}] {rule.DeclaringType.FullName}.{rule.Name} for {targetType.FullName}.{targetName}: {what}", rule.DebugInformation.SequencePoints.FirstOrDefault());
    }
}
