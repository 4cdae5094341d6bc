using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Differentiation.Calls;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Loading;
using Mono.Cecil;
using Code = Mono.Cecil.Cil.Code;

namespace Autodiff.Weaver.Differentiation.HigherOrder;

/// <summary>
/// Differentiating through a call of a woven derivative (forward over reverse, reverse over forward, …) is
/// differentiating through its woven body like any callee's; this rejects, at the call, the cases that body
/// cannot serve: a derivative not built yet because it needs the one being built (a cycle), one whose own
/// synthesis failed, a reverse derivative that keeps a tape differentiated in reverse mode, and one whose
/// result is a tuple.
/// </summary>
public static class DerivativeCallCheck
{
    private const string TapeType = "Autodiff.Runtime.Tape`1";

    /// <param name="isDifferentiated">Whether the call carries derivatives (a varied argument, or shadowed memory).</param>
    /// <param name="mode">The mode the call is differentiated in: forward mode follows tapes (<see cref="TapeTangents"/>), reverse does not yet.</param>
    public static void Check(Instruction instruction, ModuleDefinition module, DerivativeMode mode, bool isDifferentiated)
    {
        if (!isDifferentiated || CallTarget.Of(instruction) is not { Definition: { } callee })
            return;
        var requests = DerivativeRequests.Of(module);
        if (requests.Filling(callee) is not { } inner)
            return;
        if (requests.HasFailed(inner))
            throw HigherOrderErrors.InnerFailed(instruction, inner);
        if (!requests.IsWoven(inner))
            throw HigherOrderErrors.Cycle(instruction, inner, requests.PathToCurrent(inner));
        if (IsTuple(callee.ReturnType))
            throw HigherOrderErrors.TupleResult(instruction, inner);
        if (mode == DerivativeMode.Reverse && KeepsTape(callee, new HashSet<MethodDefinition>()))
            throw HigherOrderErrors.Taped(instruction, inner);
    }

    private static bool IsTuple(TypeReference type) =>
        type.Namespace == "System" && type.Name.StartsWith("ValueTuple`", System.StringComparison.Ordinal);

    // The tape is rented by the derivative itself or by a callee derivative it calls, in the same module.
    private static bool KeepsTape(MethodDefinition method, HashSet<MethodDefinition> visited)
    {
        if (!visited.Add(method) || !method.HasBody)
            return false;
        foreach (var instruction in method.Body.Instructions)
        {
            if (instruction.OpCode.Code is not (Code.Call or Code.Callvirt or Code.Newobj) || instruction.Operand is not MethodReference called)
                continue;
            if (called.DeclaringType.GetElementType().FullName == TapeType)
                return true;
            if (called is MethodDefinition definition && ReferenceEquals(definition.Module, method.Module) && KeepsTape(definition, visited))
                return true;
        }
        return false;
    }
}
