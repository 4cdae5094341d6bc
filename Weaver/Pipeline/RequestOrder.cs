using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Loading;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Autodiff.Weaver.Pipeline;

/// <summary>
/// Higher-order differentiation needs no user-visible ordering (DESIGN §1.1; unlike Enzyme's Rust frontend,
/// no ForwardFirst/ReverseFirst modes): when the primal of one request reaches the derivative another request
/// fills — directly or through helpers of the module — that derivative is synthesized first, so the outer
/// differentiation sees its body. Otherwise requests keep the order in which discovery found them.
/// </summary>
public static class RequestOrder
{
    public static IReadOnlyList<DifferentiationRequest> Sort(IReadOnlyList<DifferentiationRequest> requests)
    {
        var fillers = new Dictionary<MethodDefinition, DifferentiationRequest>();
        foreach (var request in requests)
            fillers[request.Derivative] = request;

        var sorted = new List<DifferentiationRequest>();
        var visited = new HashSet<DifferentiationRequest>();
        foreach (var request in requests)
            Visit(request, fillers, visited, sorted);
        return sorted;
    }

    // Depth-first post-order. A request is visited once, so primals that reach each other's derivatives in a
    // cycle each appear once; no order serves both, and the outer differentiation reports the call (AD2501).
    private static void Visit(DifferentiationRequest request, Dictionary<MethodDefinition, DifferentiationRequest> fillers, HashSet<DifferentiationRequest> visited, List<DifferentiationRequest> sorted)
    {
        if (!visited.Add(request))
            return;
        foreach (var callee in ReachedMethods(request.Primal))
        {
            if (fillers.TryGetValue(callee, out var inner))
                Visit(inner, fillers, visited, sorted);
        }
        sorted.Add(request);
    }

    // Methods of the module reached from the primal through calls. Cecil reads a call to a method of the same
    // module as its MethodDefinition, and derivatives are never generic (discovery rejects generic primals),
    // so no reference needs resolving. A derivative stub has no body yet, so the walk stops there; the
    // order is breadth-first from the primal, so weaving stays deterministic.
    private static IReadOnlyList<MethodDefinition> ReachedMethods(MethodDefinition primal)
    {
        var seen = new HashSet<MethodDefinition> { primal };
        var reached = new List<MethodDefinition>();
        for (var next = 0; next <= reached.Count; next++)
        {
            foreach (var callee in CalledMethods(next == 0 ? primal : reached[next - 1]))
            {
                if (seen.Add(callee))
                    reached.Add(callee);
            }
        }
        return reached;
    }

    private static IEnumerable<MethodDefinition> CalledMethods(MethodDefinition method) =>
        method.HasBody
            ? method.Body.Instructions
                .Where(i => i.OpCode.Code is Code.Call or Code.Callvirt or Code.Newobj or Code.Ldftn or Code.Ldvirtftn)
                .Select(i => i.Operand)
                .OfType<MethodDefinition>()
            : Enumerable.Empty<MethodDefinition>();
}
