using Autodiff.Weaver.Differentiation.Reverse;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Loading;

namespace Autodiff.Weaver.Differentiation.Calls;

/// <summary>
/// The gradients a callee's reverse derivative returns (one value, or a tuple nested through <c>Rest</c>), each
/// added to the adjoint of the call's operand it belongs to, lane by lane.
/// </summary>
public static class CallGradients
{
    public static void Add(IrBuilder builder, Instruction call, DerivativeSignature signature, Value gradients, IAdjointAccumulator adjoints)
    {
        for (var i = 0; i < signature.Results.Count; i++)
        {
            var element = signature.Results[i];
            if (element.Kind != DerivativeResultKind.Gradient)
                continue;
            var gradient = signature.Results.Count == 1 ? gradients : NestedTupleItems.Load(builder, gradients, signature.ReturnType, i, element.Type);
            adjoints.Add(call.Operands[element.PrimalIndex], element.Lane, gradient);
        }
    }
}
