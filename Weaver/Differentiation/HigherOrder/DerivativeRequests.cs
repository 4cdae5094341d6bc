using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Autodiff.Weaver.Loading;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Autodiff.Weaver.Differentiation.HigherOrder;

/// <summary>
/// The requests of one weaving run and how far each got, so that differentiating a call to a derivative the
/// run fills (higher order, DESIGN §1.1) can tell a derivative whose body exists from one still waiting for the
/// request being built (a cycle) or one whose synthesis failed. <c>Pipeline.RequestOrder</c> weaves inner
/// derivatives first, so a pending one is only ever reached through a cycle.
/// </summary>
public sealed class DerivativeRequests
{
    private static readonly ConditionalWeakTable<ModuleDefinition, DerivativeRequests> Modules = new();

    private readonly Dictionary<MethodDefinition, DifferentiationRequest> byDerivative = new();
    private readonly Dictionary<DifferentiationRequest, bool> finished = new();

    private DerivativeRequests(IEnumerable<DifferentiationRequest> requests)
    {
        foreach (var request in requests)
            byDerivative[request.Derivative] = request;
    }

    /// <summary>Starts a weaving run of <paramref name="module"/> with its discovered requests.</summary>
    public static void Begin(ModuleDefinition module, IEnumerable<DifferentiationRequest> requests)
    {
        Modules.Remove(module);
        Modules.Add(module, new DerivativeRequests(requests));
    }

    /// <summary>The run's requests (none outside a weaving run).</summary>
    public static DerivativeRequests Of(ModuleDefinition module) =>
        Modules.GetValue(module, _ => new DerivativeRequests(Enumerable.Empty<DifferentiationRequest>()));

    /// <summary>The request being woven now: the outer end of any cycle reported while it is built.</summary>
    public DifferentiationRequest? Current { get; private set; }

    public void Started(DifferentiationRequest request) => Current = request;

    public void Finished(DifferentiationRequest request, bool succeeded)
    {
        finished[request] = succeeded;
        Current = null;
    }

    /// <summary>The request that fills <paramref name="method"/>, when it is a derivative of this run.</summary>
    public DifferentiationRequest? Filling(MethodDefinition method) =>
        byDerivative.TryGetValue(method, out var request) ? request : null;

    /// <summary>Whether <paramref name="method"/> is a derivative this run has filled successfully.</summary>
    public bool IsWovenDerivative(MethodDefinition method) => Filling(method) is { } request && IsWoven(request);

    public bool IsWoven(DifferentiationRequest request) => finished.TryGetValue(request, out var succeeded) && succeeded;

    public bool HasFailed(DifferentiationRequest request) => finished.TryGetValue(request, out var succeeded) && !succeeded;

    /// <summary>
    /// The chain of primals and derivatives from <paramref name="from"/>'s primal back to the request being built,
    /// through calls of derivatives this run fills ("B → DA → A → DB"); empty when none leads there.
    /// </summary>
    public IReadOnlyList<MethodDefinition> PathToCurrent(DifferentiationRequest from)
    {
        var path = new List<MethodDefinition>();
        return Current != null && Search(from, new HashSet<DifferentiationRequest>(), path) ? path : new List<MethodDefinition>();
    }

    private bool Search(DifferentiationRequest request, HashSet<DifferentiationRequest> visited, List<MethodDefinition> path)
    {
        if (!visited.Add(request))
            return false;
        path.Add(request.Primal);
        foreach (var inner in CalledDerivatives(request.Primal))
        {
            path.Add(inner.Derivative);
            if (ReferenceEquals(inner, Current) || Search(inner, visited, path))
                return true;
            path.RemoveAt(path.Count - 1);
        }
        path.RemoveAt(path.Count - 1);
        return false;
    }

    // Cecil reads a call to a method of the same module as its MethodDefinition.
    private IEnumerable<DifferentiationRequest> CalledDerivatives(MethodDefinition method) =>
        method.HasBody
            ? method.Body.Instructions
                .Where(i => i.OpCode.Code is Code.Call or Code.Callvirt or Code.Newobj)
                .Select(i => i.Operand)
                .OfType<MethodDefinition>()
                .Select(Filling)
                .OfType<DifferentiationRequest>()
            : Enumerable.Empty<DifferentiationRequest>();
}
