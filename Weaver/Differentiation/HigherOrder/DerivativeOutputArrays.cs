using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Analysis;
using Autodiff.Weaver.Differentiation.Calls;
using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.HigherOrder;

/// <summary>
/// Float/double arrays a differentiated function allocates and hands to a woven derivative (of this run, or a callee
/// derivative) together with varied values or shadowed memory — <c>var hv = new double[n]; ProductHvp(x, v, gradient, hv)</c>:
/// the derivative writes derivative-carrying values into them (its Duplicated gradient, its H·v), so they need
/// shadows allocated alongside, as Enzyme makes an allocation active when its pointer reaches a call that may store
/// active values through it. Without them the call's derivative was requested with those arrays Const, and the inner
/// derivative's stores into them failed (AD2004) one level further in.
/// </summary>
public static class DerivativeOutputArrays
{
    public static IEnumerable<Instruction> PassedTo(IEnumerable<Instruction> instructions, ActivityAnalysis activity, ShadowedMemory memory, ModuleDefinition module) =>
        instructions
            .Where(i => i.Opcode is Opcode.Call or Opcode.CallVirtual && IsWovenDerivative(i.Member as MethodReference, module)
                && i.Operands.Any(o => activity.IsVaried(o) || memory.Contains(o)))
            .SelectMany(call => call.Operands.OfType<Instruction>().Where(o => o.Opcode == Opcode.NewArray && IsFloatingArray(o.Type)));

    private static bool IsWovenDerivative(MethodReference? callee, ModuleDefinition module) =>
        callee?.Resolve() is { } definition
        && (DerivativeRequests.Of(module).IsWovenDerivative(definition) || CalleeDerivatives.Of(module).IsBuilt(definition));

    private static bool IsFloatingArray(TypeReference? type) =>
        type is ArrayType { Rank: 1, ElementType.MetadataType: MetadataType.Double or MetadataType.Single };
}
