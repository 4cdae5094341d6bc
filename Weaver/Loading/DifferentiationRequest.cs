using System.Collections.Generic;
using Mono.Cecil;

namespace Autodiff.Weaver.Loading;

/// <summary>
/// One validated <c>[Autodiff]</c> request: which primal, which mode and activities, and the derivative
/// method that receives the synthesized body.
/// </summary>
public sealed class DifferentiationRequest
{
    public DifferentiationRequest(
        MethodDefinition primal,
        MethodDefinition derivative,
        DerivativeMode mode,
        IReadOnlyList<ActivityKind> parameterActivities,
        ActivityKind? returnActivity,
        int width,
        DerivativeSignature signature,
        bool isForm2)
    {
        Primal = primal;
        Derivative = derivative;
        Mode = mode;
        ParameterActivities = parameterActivities;
        ReturnActivity = returnActivity;
        Width = width;
        Signature = signature;
        IsForm2 = isForm2;
    }

    /// <summary>The method to differentiate; may live in a referenced assembly (form 2).</summary>
    public MethodDefinition Primal { get; }

    /// <summary>The method that receives the body: a declared stub, or one the loader added (form 1).</summary>
    public MethodDefinition Derivative { get; }

    public DerivativeMode Mode { get; }

    /// <summary>One per primal CIL parameter, <c>this</c> first for instance methods.</summary>
    public IReadOnlyList<ActivityKind> ParameterActivities { get; }

    /// <summary>The return value's activity; null when the primal returns void.</summary>
    public ActivityKind? ReturnActivity { get; }

    public int Width { get; }

    public DerivativeSignature Signature { get; }

    public bool IsForm2 { get; }
}
