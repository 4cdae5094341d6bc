using System;
using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Loading;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation;

/// <summary>
/// Returns the derivative's result elements in signature order (DESIGN §1.1): nothing, the single element,
/// or a <c>System.ValueTuple</c> built with <c>newobj</c>, nesting through <c>TRest</c> beyond seven elements.
/// </summary>
public static class ResultPacker
{
    public static Instruction Return(IrBuilder builder, DerivativeSignature signature, Func<DerivativeResultElement, Value> element)
    {
        var values = signature.Results.Select(r => DerivativeArithmetic.Coerce(builder, element(r), r.Type)).ToList();
        return values.Count switch
        {
            0 => builder.Return(null),
            1 => builder.Return(values[0]),
            _ => builder.Return(Pack(builder, (GenericInstanceType)signature.ReturnType, values)),
        };
    }

    private static Value Pack(IrBuilder builder, GenericInstanceType tuple, IReadOnlyList<Value> values)
    {
        var arity = tuple.GenericArguments.Count;
        var arguments = values.Take(Math.Min(arity, 7)).ToList();
        if (arity == 8)
            arguments.Add(Pack(builder, (GenericInstanceType)tuple.GenericArguments[7], values.Skip(7).ToList()));
        // The constructor's parameters are the open type's !0..!k; a reference made from the tuple's name
        // alone has no generic parameters yet, so they are declared on it first.
        var open = tuple.ElementType;
        while (open.GenericParameters.Count < arity)
            open.GenericParameters.Add(new GenericParameter(open));
        var constructor = new MethodReference(".ctor", builder.Types.Void, tuple) { HasThis = true };
        for (var i = 0; i < arity; i++)
            constructor.Parameters.Add(new ParameterDefinition(open.GenericParameters[i]));
        return builder.NewObject(constructor, arguments);
    }
}
