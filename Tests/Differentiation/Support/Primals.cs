using System;
using System.Linq;
using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Tests.Differentiation;

/// <summary>Hand-built primal IR (what the frontend will lift), in one shared in-memory module.</summary>
public static class Primals
{
    public static readonly ModuleDefinition Module = ModuleDefinition.CreateModule("DifferentiationTests", ModuleKind.Dll);

    public static IrTypes Types { get; } = new(Module);

    /// <summary>A single-block method <paramref name="name"/>(parameters) returning what <paramref name="body"/> computes.</summary>
    public static IrMethod Straight(string name, TypeReference returnType, (TypeReference Type, string Name)[] parameters, Func<IrBuilder, Parameter[], Value> body)
    {
        var method = new IrMethod(Module, name, returnType);
        foreach (var (type, parameterName) in parameters)
            method.AddParameter(type, parameterName);
        var builder = new IrBuilder(method).AtEnd(method.AddBlock(null));
        builder.Return(body(builder, method.Parameters.ToArray()));
        return method;
    }

    /// <summary>f(x) over one floating type.</summary>
    public static IrMethod Unary(TypeReference type, Func<IrBuilder, Value, Value> body) =>
        Straight("F", type, new[] { (type, "x") }, (b, p) => body(b, p[0]));

    /// <summary>f(x, y) over one floating type.</summary>
    public static IrMethod Binary(TypeReference type, Func<IrBuilder, Value, Value, Value> body) =>
        Straight("F", type, new[] { (type, "x"), (type, "y") }, (b, p) => body(b, p[0], p[1]));

    /// <summary>A static call to <paramref name="declaringType"/>.<paramref name="name"/> on arguments of one floating type.</summary>
    public static Value Call(IrBuilder builder, string declaringType, string name, params Value[] arguments)
    {
        var split = declaringType.LastIndexOf('.');
        var type = new TypeReference(declaringType.Substring(0, split), declaringType.Substring(split + 1), Module, Types.Double.Scope);
        var returnType = arguments[0].Type;
        var method = new MethodReference(name, returnType, type) { HasThis = false };
        foreach (var argument in arguments)
            method.Parameters.Add(new ParameterDefinition(argument.Type));
        return builder.Call(method, returnType, arguments);
    }

    /// <summary>System.Math for double, System.MathF for float.</summary>
    public static string MathType(TypeReference type) => type.MetadataType == MetadataType.Single ? "System.MathF" : "System.Math";
}
