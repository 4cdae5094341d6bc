using System;
using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Loading;
using Mono.Cecil;

namespace Autodiff.Tests.Differentiation;

/// <summary>
/// Builds requests the way DESIGN §1.1 lays out derivative signatures for scalar parameters, so the
/// synthesizer can be tested without the loader: the primal's activities (return last), mode and width.
/// </summary>
public static class TestRequests
{
    public static DifferentiationRequest Reverse(IrMethod primal, params ActivityKind[] activities) =>
        Create(primal, DerivativeMode.Reverse, 1, activities);

    public static DifferentiationRequest Forward(IrMethod primal, params ActivityKind[] activities) =>
        Create(primal, DerivativeMode.Forward, 1, activities);

    public static DifferentiationRequest Create(IrMethod primal, DerivativeMode mode, int width, params ActivityKind[] activities) =>
        Create(primal, mode, width, activities, "D" + primal.Name);

    /// <summary>A request whose derivative method (not yet added to any type) is named <paramref name="derivativeName"/>.</summary>
    public static DifferentiationRequest Create(IrMethod primal, DerivativeMode mode, int width, ActivityKind[] activities, string derivativeName)
    {
        var module = primal.Module;
        var returnsValue = primal.ReturnType.MetadataType != MetadataType.Void;
        var parameterActivities = activities.Take(primal.Parameters.Count).ToList();
        ActivityKind? returnActivity = returnsValue ? activities[primal.Parameters.Count] : null;

        var parameters = new List<DerivativeParameter>();
        var results = new List<DerivativeResultElement>();
        var returnValue = returnActivity is not (ActivityKind.ActiveOnly or ActivityKind.DualOnly);
        if (returnsValue && returnValue)
            results.Add(new DerivativeResultElement(DerivativeResultKind.PrimalValue, -1, 0, primal.ReturnType));
        for (var i = 0; i < primal.Parameters.Count; i++)
        {
            var p = primal.Parameters[i];
            var name = p.Name ?? "arg" + i;
            parameters.Add(new DerivativeParameter(DerivativeParameterKind.Primal, i, 0, p.Type, name));
            for (var lane = 0; lane < width; lane++)
            {
                if (parameterActivities[i] is ActivityKind.Dual or ActivityKind.DualOnly)
                    parameters.Add(new DerivativeParameter(DerivativeParameterKind.Shadow, i, lane, p.Type, LaneName("d" + name, lane, width)));
                if (parameterActivities[i] == ActivityKind.Active)
                    results.Add(new DerivativeResultElement(DerivativeResultKind.Gradient, i, lane, p.Type));
            }
        }
        for (var lane = 0; lane < width; lane++)
        {
            if (returnActivity is ActivityKind.Active or ActivityKind.ActiveOnly)
                parameters.Add(new DerivativeParameter(DerivativeParameterKind.Seed, -1, lane, primal.ReturnType, LaneName("seed", lane, width)));
            if (returnActivity is ActivityKind.Dual or ActivityKind.DualOnly)
                results.Add(new DerivativeResultElement(DerivativeResultKind.Tangent, -1, lane, primal.ReturnType));
        }

        var signature = new DerivativeSignature(false, parameters, results, ResultType(module, results.Select(r => r.Type).ToList()));
        var primalDefinition = primal.Source ?? Definition(module, primal.Name, primal.ReturnType, primal.Parameters.Select(p => (p.Type, p.Name ?? "arg")));
        var derivative = Definition(module, derivativeName, signature.ReturnType, parameters.Select(p => (p.Type, p.Name)));
        return new DifferentiationRequest(primalDefinition, derivative, mode, parameterActivities, returnActivity, width, signature, false);
    }

    /// <summary>void, the single type, or a ValueTuple (nested through TRest beyond seven elements).</summary>
    public static TypeReference ResultType(ModuleDefinition module, IReadOnlyList<TypeReference> types) => types.Count switch
    {
        0 => new IrTypes(module).Void,
        1 => types[0],
        _ => Tuple(module, types),
    };

    private static GenericInstanceType Tuple(ModuleDefinition module, IReadOnlyList<TypeReference> types)
    {
        var arity = Math.Min(types.Count, 8);
        var arguments = types.Take(7).ToList();
        if (types.Count > 7)
            arguments.Add(Tuple(module, types.Skip(7).ToList()));
        var open = new TypeReference("System", "ValueTuple`" + arity, module, CoreLibrary(module), valueType: true);
        var tuple = new GenericInstanceType(open);
        foreach (var argument in arguments)
            tuple.GenericArguments.Add(argument);
        return tuple;
    }

    private static IMetadataScope CoreLibrary(ModuleDefinition module) => new IrTypes(module).Double.Scope;

    private static MethodDefinition Definition(ModuleDefinition module, string name, TypeReference returnType, IEnumerable<(TypeReference Type, string Name)> parameters)
    {
        var method = new MethodDefinition(name, MethodAttributes.Public | MethodAttributes.Static, returnType);
        foreach (var (type, parameterName) in parameters)
            method.Parameters.Add(new ParameterDefinition(parameterName, ParameterAttributes.None, type));
        return method;
    }

    private static string LaneName(string name, int lane, int width) => width == 1 ? name : name + "_" + lane;
}
