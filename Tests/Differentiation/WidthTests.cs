using Autodiff.Weaver.Loading;
using NUnit.Framework;

namespace Autodiff.Tests.Differentiation;

/// <summary>Vector mode: N lanes of tangents, seeds and gradients from one primal sweep.</summary>
public sealed class WidthTests
{
    [Test]
    public void ForwardWidthFourOnSquareGivesFourTangents()
    {
        var primal = Primals.Unary(Primals.Types.Double, (b, x) => b.Mul(x, x));
        var request = TestRequests.Create(primal, DerivativeMode.Forward, 4, ActivityKind.Dual, ActivityKind.DualOnly);
        Assert.That(Derive.Run(primal, request, 3.0, 1.0, 2.0, 3.0, 0.0), Is.EqualTo(new[] { 6.0, 12.0, 18.0, 0.0 }));
    }

    [Test]
    public void ForwardWidthFourDualReturnGivesValueThenTangents()
    {
        var primal = Primals.Unary(Primals.Types.Double, (b, x) => b.Mul(x, x));
        var request = TestRequests.Create(primal, DerivativeMode.Forward, 4, ActivityKind.Dual, ActivityKind.Dual);
        Assert.That(Derive.Run(primal, request, 3.0, 1.0, 2.0, 3.0, 0.0), Is.EqualTo(new[] { 9.0, 6.0, 12.0, 18.0, 0.0 }));
    }

    [Test]
    public void ForwardWidthComputesPartialsOncePerInstruction()
    {
        var primal = Primals.Unary(Primals.Types.Double, (b, x) => Primals.Call(b, "System.Math", "Sin", x));
        var request = TestRequests.Create(primal, DerivativeMode.Forward, 3, ActivityKind.Dual, ActivityKind.DualOnly);
        var text = Autodiff.Weaver.Ir.IrPrinter.Print(Derive.Synthesize(primal, request));
        Assert.That(System.Text.RegularExpressions.Regex.Matches(text, "Cos").Count, Is.EqualTo(1), text);
    }

    [Test]
    public void ReverseWidthTwoGivesOneGradientPerSeed()
    {
        var primal = Primals.Binary(Primals.Types.Double, (b, x, y) => b.Mul(x, y));
        var request = TestRequests.Create(primal, DerivativeMode.Reverse, 2, ActivityKind.Active, ActivityKind.Active, ActivityKind.Active);
        // (value, x̄ lane 0, x̄ lane 1, ȳ lane 0, ȳ lane 1) with seeds 1 and 2.
        Assert.That(Derive.Run(primal, request, 3.0, 5.0, 1.0, 2.0), Is.EqualTo(new[] { 15.0, 5.0, 10.0, 3.0, 6.0 }));
    }

    [Test]
    public void ReverseWidthBeyondSevenResultsNestsTheTuple()
    {
        var primal = Primals.Binary(Primals.Types.Double, (b, x, y) => b.Mul(x, y));
        var request = TestRequests.Create(primal, DerivativeMode.Reverse, 4, ActivityKind.Active, ActivityKind.Active, ActivityKind.Active);
        Assert.That(Derive.Run(primal, request, 3.0, 5.0, 1.0, 2.0, 3.0, 4.0),
            Is.EqualTo(new[] { 15.0, 5.0, 10.0, 15.0, 20.0, 3.0, 6.0, 9.0, 12.0 }));
    }
}
