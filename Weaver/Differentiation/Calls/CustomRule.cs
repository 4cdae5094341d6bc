using Autodiff.Weaver.Loading;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Calls;

/// <summary>One user rule: the method it differentiates, the rule method, and the derivative signature the rule has.</summary>
public sealed record CustomRule(MethodDefinition Target, MethodDefinition Method, DerivativeSignature Signature, DerivativeMode Mode);
