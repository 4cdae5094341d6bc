using System;
using System.Collections.Generic;
using Autodiff.Weaver.Backend;
using Autodiff.Weaver.Diagnostics;
using Autodiff.Weaver.Differentiation;
using Autodiff.Weaver.Frontend;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Loading;
using Autodiff.Weaver.Optimization;

namespace Autodiff.Weaver.Pipeline;

/// <summary>
/// Runs one request through lift → differentiate → lower and turns every failure into diagnostics:
/// a <see cref="WeaverException"/> becomes its own diagnostic at the user's line, anything else is an
/// internal error (AD9001) whose message names the IR dump written for it.
/// </summary>
internal sealed class RequestWeaver
{
    private readonly WeaverOptions options;
    private readonly IrDumps dumps;

    public RequestWeaver(WeaverOptions options)
    {
        this.options = options;
        dumps = new IrDumps(options);
    }

    public IReadOnlyList<Diagnostic> Weave(DifferentiationRequest request)
    {
        var stage = "lift";
        IrMethod? lastIr = null;
        try
        {
            var primalIr = MethodLifter.Lift(request.Primal);
            lastIr = primalIr;
            Verify(primalIr);
            dumps.WriteIfRequested(WeaverFlags.PrintModBefore, request.Primal, "before", primalIr);

            stage = "bcl";
            Differentiation.Bcl.BclLowering.Run(primalIr, request.Derivative.Module);
            Verify(primalIr);

            // Enzyme differentiates optimized IR: the derivative inherits the primal's simplifications.
            stage = "pre-opt";
            OptimizationPipelines.RunPreDifferentiation(primalIr, options, VerifyAfterPass, Differentiation.Calls.CalleeDerivatives.Of(request.Derivative.Module).MayInline);
            dumps.WriteIfRequested(WeaverFlags.PrintModAfterOpts, request.Primal, "after-opts", primalIr);

            stage = "ad";
            var derivativeIr = DerivativeSynthesizer.Synthesize(primalIr, request, options);
            lastIr = derivativeIr;
            Verify(derivativeIr);
            dumps.WriteIfRequested(WeaverFlags.PrintModAfterAD, request.Derivative, "after-ad", derivativeIr);

            stage = "post-opt";
            OptimizationPipelines.RunPostDifferentiation(derivativeIr, options, VerifyAfterPass);
            dumps.WriteIfRequested(WeaverFlags.PrintModFinal, request.Derivative, "final", derivativeIr);

            stage = "lower";
            MethodLowerer.Lower(derivativeIr, request.Derivative);
            return JitLimitWarning(request);
        }
        catch (WeaverException e) when (e.Code < DiagnosticCode.InternalError)
        {
            return new[] { FailureReport.Of(e, request.Primal) };
        }
        catch (WeaverException e)
        {
            // A stage that caught its own bug (AD9xxx) still gets the dump DESIGN §4 promises with every internal error.
            var dump = dumps.WriteInternalError(request.Primal, stage, e, lastIr);
            return new[] { FailureReport.Of(e, request.Primal) with { Message = e.Message + "; " + dump } };
        }
        catch (Exception e)
        {
            var dump = dumps.WriteInternalError(request.Primal, stage, e, lastIr);
            var message = $"internal error while running stage '{stage}' on {request.Primal.FullName}: {e.GetType().Name}: {e.Message}; {dump}";
            return new[] { SourceLocations.Error(DiagnosticCode.InternalError, message, request.Primal) };
        }
    }

    /// <summary>Woven, but too large for the JIT to optimize: a warning naming the limit (AD2520), or nothing.</summary>
    private static IReadOnlyList<Diagnostic> JitLimitWarning(DifferentiationRequest request)
    {
        var exceeded = JitOptimizationLimits.Exceeded(request.Derivative);
        if (exceeded == null)
            return Array.Empty<Diagnostic>();
        var width = request.Width > 1 ? "use a smaller Width and several calls (the width multiplies the tangent code), or " : string.Empty;
        var message = $"{request.Derivative.DeclaringType.Name}.{request.Derivative.Name} has {exceeded}, so the .NET JIT compiles it without optimizations (MinOpts), several times slower; {width}move parts of {request.Primal.Name} into helper methods";
        return new[] { SourceLocations.Error(DiagnosticCode.DerivativeTooLargeToOptimize, message, request.Primal) with { Severity = DiagnosticSeverity.Warning } };
    }

    private void VerifyAfterPass(string pass, IrMethod method) => Verify(method);

    private void Verify(IrMethod method)
    {
        if (options.VerifyIr)
            IrVerifier.Check(method);
    }
}
