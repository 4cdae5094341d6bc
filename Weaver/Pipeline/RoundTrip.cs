using System;
using System.Linq;
using Autodiff.Weaver.Backend;
using Autodiff.Weaver.Diagnostics;
using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Pipeline;

/// <summary>
/// Round-trip mode: lift every method body to SSA and lower it straight back, without differentiating. It tests
/// the frontend and the backend on real code — the rewritten module must behave exactly like the original.
/// </summary>
public static class RoundTrip
{
    /// <summary>
    /// Rebuilds every method body of <paramref name="module"/> through <paramref name="lift"/> (normally
    /// <c>MethodLifter.Lift</c>) and <see cref="MethodLowerer.Lower"/>. A method whose lift or lowering throws is
    /// left unchanged and listed in the report.
    /// </summary>
    public static RoundTripReport Run(ModuleDefinition module, Func<MethodDefinition, IrMethod> lift)
    {
        var report = new RoundTripReport();
        var methods = module.GetTypes().SelectMany(t => t.Methods).Where(m => m.HasBody).ToList();
        foreach (var method in methods)
        {
            report.MethodsWithBodies++;
            IrMethod ir;
            try
            {
                ir = lift(method);
            }
            catch (Exception e)
            {
                report.Add(Failure(method, "lift", e));
                continue;
            }
            var originalSize = CodeSize(method.Body);
            var originalLocals = method.Body.Variables.Count;
            try
            {
                MethodLowerer.Lower(ir, method);
                report.Accepted++;
                report.OriginalCodeSize += originalSize;
                report.OriginalLocals += originalLocals;
                report.RewrittenCodeSize += CodeSize(method.Body);
                report.RewrittenLocals += method.Body.Variables.Count;
            }
            catch (Exception e)
            {
                report.Add(Failure(method, "lower", e));
            }
        }
        return report;
    }

    /// <summary>IL bytes of a body whose offsets are current (as read, or after Cecil's macro optimization).</summary>
    private static int CodeSize(Mono.Cecil.Cil.MethodBody body)
    {
        var instructions = body.Instructions;
        return instructions.Count == 0 ? 0 : instructions[instructions.Count - 1].Offset + instructions[instructions.Count - 1].GetSize();
    }

    private static RoundTripFailure Failure(MethodDefinition method, string stage, Exception error)
    {
        var reason = error is WeaverException weaver
            ? "AD" + ((int)weaver.Code).ToString(System.Globalization.CultureInfo.InvariantCulture)
            : error.GetType().Name;
        var message = error.Message.Split('\n')[0];
        return new RoundTripFailure(method.FullName, stage, reason, message);
    }
}
