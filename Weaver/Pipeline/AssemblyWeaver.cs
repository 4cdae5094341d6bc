using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Diagnostics;
using Autodiff.Weaver.Frontend;
using Autodiff.Weaver.Loading;
using Mono.Cecil;

namespace Autodiff.Weaver.Pipeline;

/// <summary>
/// The weaver's single entry point, shared by the Fody add-in, <c>adweave</c> and the tests: weaves every
/// <c>[Autodiff]</c> request of a module in memory. Writing the module is the caller's job, and only when
/// the result succeeded (DESIGN §2: errors never corrupt anything).
/// </summary>
public static class AssemblyWeaver
{
    public static WeaveResult Weave(ModuleDefinition module, WeaverOptions options)
    {
        var assemblyName = module.Assembly.Name.Name;
        if (WovenMarker.IsWoven(module))
            return new WeaveResult(new[] { Info(DiagnosticCode.AlreadyWoven, $"{assemblyName} was already woven by Autodiff; nothing to do", assemblyName) });

        if (options.RoundTripOnly)
        {
            // Round-trip mode leaves every method it cannot rebuild unchanged, so its findings are information;
            // the module is not marked, since no derivative was synthesized.
            var report = RoundTrip.Run(module, MethodLifter.Lift).ToString().Replace("\r", string.Empty).Replace("\n", "; ");
            return new WeaveResult(new[] { Info(DiagnosticCode.RoundTripSummary, "round trip: " + report, assemblyName) });
        }

        var diagnostics = new List<Diagnostic>();
        var discovery = RequestDiscovery.Discover(module);
        diagnostics.AddRange(discovery.Diagnostics);
        Differentiation.Calls.CalleeDerivatives.Begin(module, options);
        Differentiation.HigherOrder.DerivativeRequests.Begin(module, discovery.Requests);
        var progress = Differentiation.HigherOrder.DerivativeRequests.Of(module);
        var requests = new RequestWeaver(options);
        // One failing request does not stop the others: every error of a build is reported together.
        foreach (var request in RequestOrder.Sort(discovery.Requests))
        {
            progress.Started(request);
            var found = requests.Weave(request);
            progress.Finished(request, found.All(diagnostic => diagnostic.Severity != DiagnosticSeverity.Error));
            diagnostics.AddRange(found);
        }

        var result = new WeaveResult(diagnostics);
        if (result.Succeeded)
            WovenMarker.Mark(module);
        return result;
    }

    private static Diagnostic Info(DiagnosticCode code, string message, string assemblyName) =>
        new(code, message, null, assemblyName, DiagnosticSeverity.Info);
}
