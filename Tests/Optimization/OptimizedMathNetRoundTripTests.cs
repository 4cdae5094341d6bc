using System.Diagnostics;
using Autodiff.Tests.RoundTrip;
using Autodiff.Weaver.Frontend;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Optimization;
using Autodiff.Weaver.Pipeline;
using Mono.Cecil;
using NUnit.Framework;

namespace Autodiff.Tests.Optimization;

/// <summary>
/// Every method of MathNet.Numerics is lifted, optimized by both presets (inlining on), lowered back to
/// CIL, JIT-compiled, and a spread of numerical routines is compared bit for bit with the original.
/// </summary>
public sealed class OptimizedMathNetRoundTripTests
{
    [Test]
    public void OptimizedAndLoweredMathNetComputesTheSameBits()
    {
        var original = typeof(MathNet.Numerics.SpecialFunctions).Assembly;
        var options = new WeaverOptions { Flags = WeaverFlags.Inline };
        var watch = Stopwatch.StartNew();
        using var library = new RewrittenLibrary(original.Location, LiftAndOptimize);
        TestContext.Out.WriteLine(library.Report.ToString());
        TestContext.Out.WriteLine($"optimized round trip took {watch.Elapsed.TotalSeconds:F1} s");

        var compiled = MathNetRoundTripTests.PrepareAllMethods(library.Assembly);
        var calls = new MathNetCalls(original, library.Assembly);
        calls.CompareAll();

        TestContext.Out.WriteLine($"{compiled} methods JIT-compiled, {calls.Compared} results compared bit for bit");
        Assert.That(calls.Compared, Is.GreaterThan(100));
        Assert.That(library.Report.Accepted, Is.GreaterThan(0));

        IrMethod LiftAndOptimize(MethodDefinition method)
        {
            var ir = MethodLifter.Lift(method);
            OptimizationPipelines.RunPreDifferentiation(ir, options);
            OptimizationPipelines.RunPostDifferentiation(ir, options);
            return ir;
        }
    }
}
