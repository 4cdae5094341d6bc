using System.Linq;
using Autodiff.Weaver.Analysis;
using Autodiff.Weaver.Differentiation.Reverse;
using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Memory;

/// <summary>
/// The derivative's first instructions: one call to <c>Autodiff.Runtime.ShadowChecks</c> per shadowed array, span
/// or object and lane, so that a shadow of the wrong shape or a missing shadow fails before any work (DESIGN §1.1).
/// References (<c>ref</c>/<c>in</c>/<c>out</c>) need no check: C# cannot pass a null one.
/// </summary>
public static class ShadowArgumentChecks
{
    public static void Emit(DerivativeFrame frame, ShadowedMemory memory)
    {
        var checkedParameters = memory.Roots.Where(p => !p.Type.IsByReference && (!p.Type.IsValueType || ShadowedMemory.IsSpan(p.Type))).OrderBy(p => p.Index).ToList();
        if (checkedParameters.Count == 0)
            return;
        var module = frame.Method.Module;
        var checks = new TypeReference("Autodiff.Runtime", "ShadowChecks", module, RuntimeAssembly(module));
        var builder = SlotAdjoints.EntryBuilder(frame.Method);
        foreach (var parameter in checkedParameters)
        {
            for (var lane = 0; lane < frame.Width; lane++)
            {
                var shadow = frame.Shadow(parameter.Index, lane)!;
                var check = parameter.Type switch
                {
                    ArrayType => ReferenceCheck(checks, "Array", new TypeReference("System", "Array", module, module.TypeSystem.CoreLibrary)),
                    GenericInstanceType span when ShadowedMemory.IsSpan(span) => SpanCheck(checks, span, (GenericInstanceType)shadow.Type),
                    _ => ReferenceCheck(checks, "Object", module.TypeSystem.Object),
                };
                builder.Call(check, frame.Method.Types.Void, new Value[] { frame.Copy.Map(parameter), shadow, frame.Method.String(shadow.Name ?? "shadow") });
            }
        }
    }

    private static IMetadataScope RuntimeAssembly(ModuleDefinition module) =>
        module.AssemblyReferences.FirstOrDefault(r => r.Name == "Autodiff")
        ?? throw new System.InvalidOperationException("A module with [Autodiff] requests references Autodiff.dll.");

    /// <summary><c>void ShadowChecks.Array(Array, Array, string)</c> or <c>ShadowChecks.Object(object, object, string)</c>.</summary>
    private static MethodReference ReferenceCheck(TypeReference checks, string name, TypeReference parameterType)
    {
        var module = checks.Module;
        var method = new MethodReference(name, module.TypeSystem.Void, checks);
        method.Parameters.Add(new ParameterDefinition(parameterType));
        method.Parameters.Add(new ParameterDefinition(parameterType));
        method.Parameters.Add(new ParameterDefinition(module.TypeSystem.String));
        return method;
    }

    /// <summary><c>void ShadowChecks.SpanLength&lt;T&gt;(ReadOnlySpan&lt;T&gt; or Span&lt;T&gt; primal, Span&lt;T&gt; shadow, string shadowName)</c>.</summary>
    private static MethodReference SpanCheck(TypeReference checks, GenericInstanceType primal, GenericInstanceType shadow)
    {
        var module = checks.Module;
        var method = new MethodReference("SpanLength", module.TypeSystem.Void, checks);
        var element = new GenericParameter("T", method);
        method.GenericParameters.Add(element);
        method.Parameters.Add(new ParameterDefinition(Over(primal.ElementType, element)));
        method.Parameters.Add(new ParameterDefinition(Over(shadow.ElementType, element)));
        method.Parameters.Add(new ParameterDefinition(module.TypeSystem.String));
        var instance = new GenericInstanceMethod(method);
        instance.GenericArguments.Add(primal.GenericArguments[0]);
        return instance;
    }

    private static GenericInstanceType Over(TypeReference open, TypeReference argument)
    {
        var instance = new GenericInstanceType(open);
        instance.GenericArguments.Add(argument);
        return instance;
    }
}
