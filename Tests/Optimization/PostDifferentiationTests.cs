using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Autodiff.Tests.Differentiation;
using Autodiff.Tests.Frontend;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Loading;
using Autodiff.Weaver.Optimization;
using Autodiff.Weaver.Pipeline;
using NUnit.Framework;

namespace Autodiff.Tests.Optimization;

/// <summary>
/// Derivatives synthesized by the differentiation stage, before and after the post-differentiation
/// preset: golden IR (adjoints kept in slots become SSA values, zero adjoints fold away) and the same
/// results, bit for bit, from the derivative's interpreter at several points.
/// </summary>
public sealed class PostDifferentiationTests
{
    private static readonly Dictionary<string, (Func<IrMethod> Primal, Func<IrMethod, DifferentiationRequest> Request, object[][] Points)> Cases = new()
    {
        ["ReverseSeedExample"] = (SeedExample, p => TestRequests.Reverse(p, ActivityKind.Active, ActivityKind.Active, ActivityKind.Active),
            new[] { new object[] { 5.0, 7.0, 1.0 }, new object[] { -0.0, 2.5, 0.5 } }),
        ["ForwardWidth2SeedExample"] = (SeedExample, p => TestRequests.Create(p, DerivativeMode.Forward, 2, ActivityKind.Dual, ActivityKind.Dual, ActivityKind.Dual),
            new[] { new object[] { 5.0, 1.0, 0.0, 7.0, 0.0, 1.0 } }),
        ["ReversePowerLoop"] = (ControlFlowTests.PowerLoop, p => TestRequests.Reverse(p, ActivityKind.Active, ActivityKind.Const, ActivityKind.Active),
            new[] { new object[] { 2.0, 0, 1.0 }, new object[] { 2.0, 3, 1.0 }, new object[] { -1.5, 5, 0.25 } }),
        ["ReverseActivePhi"] = (ControlFlowTests.ActivePhi, p => TestRequests.Reverse(p, ActivityKind.Active, ActivityKind.Const, ActivityKind.Active),
            new[] { new object[] { 3.0, 1, 1.0 }, new object[] { 3.0, 0, 1.0 } }),
        // The primal's result is neither returned nor read by the partials: dead-code elimination drops sin(x) and the sum.
        ["ReverseActiveOnlyPrimalWork"] = (ProductPlusSine, p => TestRequests.Reverse(p, ActivityKind.Active, ActivityKind.Active, ActivityKind.ActiveOnly),
            new[] { new object[] { 0.5, -2.0, 1.0 }, new object[] { 3.0, 0.25, -1.5 } }),
        ["ForwardDualOnlyPrimalWork"] = (ProductPlusSine, p => TestRequests.Create(p, DerivativeMode.Forward, 1, ActivityKind.Dual, ActivityKind.Dual, ActivityKind.DualOnly),
            new[] { new object[] { 0.5, 1.0, -2.0, 0.0 }, new object[] { 3.0, -0.5, 0.25, 2.0 } }),
    };

    public static IEnumerable<string> CaseNames() => Cases.Keys;

    /// <summary>f(x, y) = x·y + sin x: sin x feeds only the value, cos x only the derivative.</summary>
    private static IrMethod ProductPlusSine() =>
        Primals.Binary(Primals.Types.Double, (b, x, y) => b.Add(b.Mul(x, y), Primals.Call(b, "System.Math", "Sin", x)));

    [TestCase(DerivativeMode.Reverse, ActivityKind.Active, ActivityKind.ActiveOnly)]
    [TestCase(DerivativeMode.Forward, ActivityKind.Dual, ActivityKind.DualOnly)]
    public void OnlyTheDerivativeIsComputedWhenThePrimalValueIsNotReturned(DerivativeMode mode, ActivityKind parameter, ActivityKind returned)
    {
        string Optimized(ActivityKind returnActivity)
        {
            var primal = ProductPlusSine();
            var derivative = Derive.Synthesize(primal, TestRequests.Create(primal, mode, 1, parameter, parameter, returnActivity));
            OptimizationPipelines.RunPostDifferentiation(derivative, new WeaverOptions(), (_, m) => IrVerifier.Check(m));
            return IrPrinter.Print(derivative);
        }

        var withValue = Optimized(parameter);
        var only = Optimized(returned);

        Assert.That(withValue, Does.Contain("Math::Sin").And.Contain("Math::Cos"));
        Assert.That(only, Does.Not.Contain("Math::Sin").And.Contain("Math::Cos"), "sin x only fed the value the derivative does not return");
        Assert.That(only.Split('\n').Count(l => l.Contains(" = add ")), Is.LessThan(withValue.Split('\n').Count(l => l.Contains(" = add "))), "nor the sum x·y + sin x");
    }

    private static IrMethod SeedExample() =>
        Primals.Binary(Primals.Types.Double, (b, x, y) => b.Add(b.Mul(x, x), b.Mul(b.Method.Float64(3), y)));

    [TestCaseSource(nameof(CaseNames))]
    public void OptimizedDerivativeMatchesGoldenAndComputesTheSame(string name)
    {
        var (primal, request, points) = Cases[name];
        var source = primal();
        var derivative = Derive.Synthesize(source, request(source));
        var expected = points.Select(p => Bits(Differentiation.IrInterpreter.Run(derivative, p))).ToList();
        var text = new StringBuilder("; before\n").Append(IrPrinter.Print(derivative));

        var changed = OptimizationPipelines.RunPostDifferentiation(derivative, new WeaverOptions(), (_, m) => IrVerifier.Check(m));

        text.Append("; after PostDifferentiation\n").Append(IrPrinter.Print(derivative));
        Assert.That(changed, Is.True);
        Assert.That(points.Select(p => Bits(Differentiation.IrInterpreter.Run(derivative, p))), Is.EqualTo(expected));
        GoldenFile.AssertMatches("Golden", name + ".ir", text.ToString());
    }

    [TestCaseSource(nameof(CaseNames))]
    public void DifferentiatingTheOptimizedPrimalGivesTheSameDerivativeValues(string name)
    {
        var (primal, request, points) = Cases[name];
        var plain = primal();
        var optimized = primal();
        OptimizationPipelines.RunPreDifferentiation(optimized, new WeaverOptions(), (_, m) => IrVerifier.Check(m));
        var fromPlain = Derive.Synthesize(plain, request(plain));
        var fromOptimized = Derive.Synthesize(optimized, request(optimized));
        OptimizationPipelines.RunPostDifferentiation(fromOptimized, new WeaverOptions(), (_, m) => IrVerifier.Check(m));

        foreach (var point in points)
            Assert.That(Bits(Differentiation.IrInterpreter.Run(fromOptimized, point)), Is.EqualTo(Bits(Differentiation.IrInterpreter.Run(fromPlain, point))));
    }

    private static string Bits(object? result) =>
        string.Join(",", Differentiation.IrInterpreter.Elements(result).Select(d => BitConverter.DoubleToInt64Bits(d).ToString("x16", System.Globalization.CultureInfo.InvariantCulture)));
}
