using System.Collections.Generic;
using Mono.Cecil;

namespace Autodiff.Weaver.Loading;

/// <summary>
/// One CIL parameter of the derivative, <c>this</c> included for instance derivatives.
/// <see cref="PrimalIndex"/> is the primal CIL parameter it belongs to (this = 0 for instance methods),
/// or -1 for a seed. <see cref="Lane"/> is the direction index under Width &gt; 1.
/// </summary>
public sealed record DerivativeParameter(DerivativeParameterKind Kind, int PrimalIndex, int Lane, TypeReference Type, string Name)
{
    /// <summary>How C# passes it when <see cref="Type"/> is a <c>ByReferenceType</c>: <c>ref</c>, <c>in</c> or <c>out</c>.</summary>
    public ParameterRefKind RefKind { get; init; }
}

/// <summary>One element of the derivative's result, in order; <see cref="PrimalIndex"/> is -1 for the return value.</summary>
public sealed record DerivativeResultElement(DerivativeResultKind Kind, int PrimalIndex, int Lane, TypeReference Type);

/// <summary>
/// The derivative's signature as DESIGN §1.1 defines it: its parameters in order and the elements of its
/// result. <see cref="ReturnType"/> is void (no element), the element's type (one), or a
/// <c>System.ValueTuple</c> of the elements (more; nested through <c>TRest</c> beyond seven).
/// </summary>
public sealed class DerivativeSignature
{
    public DerivativeSignature(bool hasThis, IReadOnlyList<DerivativeParameter> parameters, IReadOnlyList<DerivativeResultElement> results, TypeReference returnType)
    {
        HasThis = hasThis;
        Parameters = parameters;
        Results = results;
        ReturnType = returnType;
    }

    /// <summary>True when the derivative is an instance method (form 1 on an instance primal).</summary>
    public bool HasThis { get; }

    public IReadOnlyList<DerivativeParameter> Parameters { get; }

    public IReadOnlyList<DerivativeResultElement> Results { get; }

    public TypeReference ReturnType { get; }
}
