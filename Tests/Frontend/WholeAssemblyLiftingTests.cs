using System;
using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Diagnostics;
using Autodiff.Weaver.Frontend;
using Autodiff.Weaver.Ir;
using NUnit.Framework;

namespace Autodiff.Tests.Frontend;

/// <summary>
/// Lifts and verifies every method body of real assemblies. At least 99% must succeed; every failure
/// is printed, grouped by reason, so the share and the causes are visible in the test log.
/// </summary>
public sealed class WholeAssemblyLiftingTests
{
    private const double RequiredShare = 0.99;

    public static IEnumerable<TestCaseData> Assemblies()
    {
        yield return new TestCaseData(typeof(MathNet.Numerics.SpecialFunctions).Assembly.Location).SetName("MathNet.Numerics");
        yield return new TestCaseData(typeof(Enumerable).Assembly.Location).SetName("System.Linq");
        yield return new TestCaseData(typeof(WholeAssemblyLiftingTests).Assembly.Location).SetName("Autodiff.Tests");
    }

    [TestCaseSource(nameof(Assemblies))]
    public void AtLeast99PercentOfMethodsLiftAndVerify(string path)
    {
        using var module = CompiledModule.Read(path);
        var methods = module.Module.GetTypes().SelectMany(t => t.Methods).Where(m => m.HasBody).ToList();
        var failures = new List<(string Reason, string Method)>();
        foreach (var method in methods)
        {
            var reason = LiftAndVerify(method);
            if (reason != null)
                failures.Add((reason, method.FullName));
        }

        var share = 1.0 - (double)failures.Count / methods.Count;
        TestContext.Out.WriteLine($"{module.Module.Assembly.Name.Name}: {methods.Count - failures.Count} of {methods.Count} methods lift and verify ({share:P2})");
        foreach (var group in failures.GroupBy(f => f.Reason).OrderByDescending(g => g.Count()))
        {
            TestContext.Out.WriteLine($"  {group.Count()} × {group.Key}");
            foreach (var failure in group.Take(5))
                TestContext.Out.WriteLine($"      {failure.Method}");
        }
        Assert.That(methods, Is.Not.Empty);
        Assert.That(share, Is.GreaterThanOrEqualTo(RequiredShare));
    }

    /// <summary>Null on success; otherwise the reason, without the per-method details so that failures group.</summary>
    private static string? LiftAndVerify(Mono.Cecil.MethodDefinition method)
    {
        IrMethod lifted;
        try
        {
            lifted = MethodLifter.Lift(method);
        }
        catch (WeaverException e)
        {
            var why = e.Message.IndexOf(" is not supported: ", StringComparison.Ordinal);
            return $"AD{(int)e.Code} " + (why < 0 ? e.Message : e.Message.Substring(0, e.Message.IndexOf(' ')) + e.Message.Substring(why));
        }
        var problems = IrVerifier.Verify(lifted);
        return problems.Count == 0 ? null : "verifier: " + System.Text.RegularExpressions.Regex.Replace(problems[0], @"bb\d+(\[\d+\])?", "bbN");
    }
}
