using System;
using System.Collections.Generic;
using System.Linq;
using Autodiff.Tests.Frontend;
using Autodiff.Weaver.Diagnostics;
using Autodiff.Weaver.Frontend;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Optimization;
using Autodiff.Weaver.Pipeline;
using NUnit.Framework;

namespace Autodiff.Tests.Optimization;

/// <summary>
/// Passes never fail on valid IR: every method of real assemblies that lifts and verifies goes through
/// both presets (inlining on), with the verifier after every pass. Any exception or invalid IR fails.
/// </summary>
public sealed class WholeAssemblyOptimizationTests
{
    public static IEnumerable<TestCaseData> Assemblies()
    {
        yield return new TestCaseData(typeof(MathNet.Numerics.SpecialFunctions).Assembly.Location).SetName("MathNet.Numerics");
        yield return new TestCaseData(typeof(Enumerable).Assembly.Location).SetName("System.Linq");
    }

    [TestCaseSource(nameof(Assemblies))]
    public void EveryLiftedMethodOptimizesToValidIr(string path)
    {
        using var module = CompiledModule.Read(path);
        var options = new WeaverOptions { Flags = WeaverFlags.Inline };
        var optimized = 0;
        var shrunk = 0;
        var failures = new List<string>();
        foreach (var method in module.Module.GetTypes().SelectMany(t => t.Methods).Where(m => m.HasBody))
        {
            IrMethod ir;
            try
            {
                ir = MethodLifter.Lift(method);
            }
            catch (WeaverException)
            {
                continue;
            }
            if (IrVerifier.Verify(ir).Count > 0)
                continue;
            var before = Size(ir);
            var pass = "";
            try
            {
                OptimizationPipelines.PreDifferentiation(options).Run(ir, Check);
                OptimizationPipelines.PostDifferentiation(options).Run(ir, Check);
                optimized++;
                if (Size(ir) < before)
                    shrunk++;
            }
            catch (Exception e) when (e is not AssertionException)
            {
                failures.Add($"{method.FullName} after {pass}: {e.Message.Split('\n')[0]}");
            }

            void Check(string name, IrMethod m)
            {
                pass = name;
                IrVerifier.Check(m);
            }
        }

        TestContext.Out.WriteLine($"{optimized} methods optimized, {shrunk} of them smaller");
        foreach (var failure in failures.Take(20))
            TestContext.Out.WriteLine("  " + failure);
        Assert.That(failures, Is.Empty);
        Assert.That(optimized, Is.GreaterThan(100));
    }

    private static int Size(IrMethod method) => method.Blocks.Sum(b => b.Instructions.Count);
}
