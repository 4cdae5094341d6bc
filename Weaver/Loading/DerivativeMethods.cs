using System.Linq;
using Autodiff.Shared;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Autodiff.Weaver.Loading;

/// <summary>
/// The methods that receive derivative bodies: recognizing stubs, checking them against a signature, making
/// them ready for a body, and adding the ones nobody declared.
/// </summary>
public static class DerivativeMethods
{
    /// <summary>The tool name of the <c>[GeneratedCode]</c> that marks declarations the weaver owns.</summary>
    public const string GeneratorName = PlaceholderMarker.ToolName;

    /// <summary>
    /// Declared without IL: a C# <c>extern</c> method (Roslyn emits it as IL/managed with RVA 0), or one marked
    /// <c>[MethodImpl(InternalCall)]</c>. P/Invokes and abstract methods are not stubs.
    /// </summary>
    public static bool IsBodiless(MethodDefinition method) =>
        !method.IsAbstract && !method.IsPInvokeImpl && (!method.HasBody || method.RVA == 0);

    /// <summary>
    /// A body the weaver may replace: the placeholder implementation of a <c>partial</c> declaration, which
    /// the source generator marks <c>[GeneratedCode("Autodiff", …)]</c>.
    /// </summary>
    public static bool HasPlaceholderBody(MethodDefinition method) => !IsBodiless(method) && IsMarked(method);

    /// <summary>Carries <c>[GeneratedCode("Autodiff", …)]</c>: a declaration meant for the weaver to fill.</summary>
    public static bool IsMarked(MethodDefinition method) =>
        method.CustomAttributes.Any(a =>
            a.AttributeType.FullName == PlaceholderMarker.AttributeFullName
            && a.ConstructorArguments.Count > 0
            && a.ConstructorArguments[0].Value as string == GeneratorName);

    public static bool IsStub(MethodDefinition method) => IsBodiless(method) || HasPlaceholderBody(method);

    /// <summary>
    /// Same static-ness, parameter types and return type as <paramref name="signature"/>. Names, <c>ref</c>
    /// vs <c>in</c> vs <c>out</c>, tuple element names and custom modifiers are not part of the CIL identity.
    /// </summary>
    public static bool Matches(MethodDefinition method, DerivativeSignature signature)
    {
        if (method.HasThis != signature.HasThis || method.HasGenericParameters)
            return false;
        var parameters = signature.Parameters.Skip(signature.HasThis ? 1 : 0).ToList();
        if (method.Parameters.Count != parameters.Count || !SameType(method.ReturnType, signature.ReturnType))
            return false;
        for (var i = 0; i < parameters.Count; i++)
        {
            if (!SameType(method.Parameters[i].ParameterType, parameters[i].Type))
                return false;
        }
        return true;
    }

    /// <summary>
    /// Clears what makes a stub bodiless (InternalCall, native or runtime code type; Roslyn's <c>extern</c> is
    /// just RVA 0) and gives it an empty IL body, so that the body assigned later is written as a normal IL
    /// method. A generator's placeholder body is dropped with its sequence points, which point into it.
    /// </summary>
    public static void PrepareForBody(MethodDefinition method)
    {
        method.ImplAttributes = (method.ImplAttributes
            & ~(MethodImplAttributes.CodeTypeMask | MethodImplAttributes.ManagedMask | MethodImplAttributes.InternalCall))
            | MethodImplAttributes.IL | MethodImplAttributes.Managed;
        method.Body = new MethodBody(method);
        if (method.DebugInformation.HasSequencePoints)
            method.DebugInformation.SequencePoints.Clear();
        method.DebugInformation.Scope = null;
    }

    /// <summary>
    /// Adds a public <c>[CompilerGenerated]</c> method with <paramref name="signature"/> and an empty body to
    /// <paramref name="type"/> (form 1 where no derivative is declared; callable from other assemblies).
    /// </summary>
    public static MethodDefinition Add(TypeDefinition type, string name, DerivativeSignature signature)
    {
        var attributes = MethodAttributes.Public | MethodAttributes.HideBySig | (signature.HasThis ? 0 : MethodAttributes.Static);
        var method = new MethodDefinition(name, attributes, signature.ReturnType);
        foreach (var parameter in signature.Parameters.Skip(signature.HasThis ? 1 : 0))
        {
            var parameterAttributes = parameter.RefKind switch
            {
                ParameterRefKind.In => ParameterAttributes.In,
                ParameterRefKind.Out => ParameterAttributes.Out,
                _ => ParameterAttributes.None,
            };
            method.Parameters.Add(new ParameterDefinition(parameter.Name, parameterAttributes, parameter.Type));
        }
        method.CustomAttributes.Add(WellKnownTypes.CompilerGenerated(type.Module));
        method.Body = new MethodBody(method);
        type.Methods.Add(method);
        return method;
    }

    private static bool SameType(TypeReference a, TypeReference b) =>
        DifferentiableTypes.StripModifiers(a).FullName == DifferentiableTypes.StripModifiers(b).FullName;
}
