using Autodiff.Weaver.Loading;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Calls;

/// <summary>
/// A callee's split reverse derivative for one activity pattern: the augmented forward (the primal's parameters
/// and the call record; returns the primal result) and the reverse (the reverse derivative's parameters and the
/// call record; returns the gradients). Each signature lists the parameters before the record.
/// </summary>
public sealed record SplitDerivative(MethodReference Augmented, DerivativeSignature AugmentedSignature, MethodReference Reverse, DerivativeSignature ReverseSignature);
