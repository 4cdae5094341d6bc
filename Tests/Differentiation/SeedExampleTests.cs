using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Loading;
using NUnit.Framework;

namespace Autodiff.Tests.Differentiation;

/// <summary>The examples of DESIGN §1.1 on f(x, y) = x·x + 3·y.</summary>
public sealed class SeedExampleTests
{
    private static IrMethod F() => Primals.Binary(Primals.Types.Double, (b, x, y) => b.Add(b.Mul(x, x), b.Mul(b.Method.Float64(3), y)));

    [Test]
    public void ReverseActiveActiveActiveReturnsValueAndGradient()
    {
        var primal = F();
        var request = TestRequests.Reverse(primal, ActivityKind.Active, ActivityKind.Active, ActivityKind.Active);
        var derivative = Derive.Synthesize(primal, request);
        Assert.That(IrInterpreter.Run(derivative, 5.0, 7.0, 1.0), Is.EqualTo((46.0, 10.0, 3.0)));
    }

    [Test]
    public void ReverseScalesTheGradientBySeed()
    {
        var primal = F();
        var request = TestRequests.Reverse(primal, ActivityKind.Active, ActivityKind.Active, ActivityKind.Active);
        Assert.That(Derive.Run(primal, request, 5.0, 7.0, 2.0), Is.EqualTo(new[] { 46.0, 20.0, 6.0 }));
    }

    [Test]
    public void ReverseActiveOnlyReturnsOnlyTheGradient()
    {
        var primal = F();
        var request = TestRequests.Reverse(primal, ActivityKind.Active, ActivityKind.Active, ActivityKind.ActiveOnly);
        Assert.That(Derive.Run(primal, request, 5.0, 7.0, 1.0), Is.EqualTo(new[] { 10.0, 3.0 }));
    }

    [Test]
    public void ReverseConstParameterGetsNoGradient()
    {
        var primal = F();
        var request = TestRequests.Reverse(primal, ActivityKind.Const, ActivityKind.Active, ActivityKind.Active);
        Assert.That(Derive.Run(primal, request, 5.0, 7.0, 1.0), Is.EqualTo(new[] { 46.0, 3.0 }));
    }

    [Test]
    public void ReverseConstReturnGivesZeroGradients()
    {
        var primal = F();
        var request = TestRequests.Reverse(primal, ActivityKind.Active, ActivityKind.Active, ActivityKind.Const);
        Assert.That(Derive.Run(primal, request, 5.0, 7.0), Is.EqualTo(new[] { 46.0, 0.0, 0.0 }));
    }

    [Test]
    public void ForwardDualReturnGivesValueAndTangent()
    {
        var primal = F();
        var request = TestRequests.Forward(primal, ActivityKind.Dual, ActivityKind.Dual, ActivityKind.Dual);
        Assert.That(Derive.Run(primal, request, 5.0, 1.0, 7.0, 0.0), Is.EqualTo(new[] { 46.0, 10.0 }));
        Assert.That(Derive.Run(primal, request, 5.0, 0.0, 7.0, 1.0), Is.EqualTo(new[] { 46.0, 3.0 }));
    }

    [Test]
    public void ForwardConstParameterHasNoTangent()
    {
        var primal = F();
        var request = TestRequests.Forward(primal, ActivityKind.Dual, ActivityKind.Const, ActivityKind.Dual);
        Assert.That(Derive.Run(primal, request, 5.0, 1.0, 7.0), Is.EqualTo(new[] { 46.0, 10.0 }));
    }

    [Test]
    public void ForwardDualOnlyReturnGivesOnlyTheTangent()
    {
        var primal = F();
        var request = TestRequests.Forward(primal, ActivityKind.DualOnly, ActivityKind.Dual, ActivityKind.DualOnly);
        Assert.That(Derive.Run(primal, request, 5.0, 1.0, 7.0, 1.0), Is.EqualTo(new[] { 13.0 }));
    }

    [Test]
    public void ForwardConstReturnIsThePrimal()
    {
        var primal = F();
        var request = TestRequests.Forward(primal, ActivityKind.Dual, ActivityKind.Dual, ActivityKind.Const);
        Assert.That(Derive.Run(primal, request, 5.0, 1.0, 7.0, 1.0), Is.EqualTo(new[] { 46.0 }));
    }

    [Test]
    public void DerivativeHasTheSignaturesParametersAndReturnType()
    {
        var primal = F();
        var request = TestRequests.Reverse(primal, ActivityKind.Active, ActivityKind.Active, ActivityKind.Active);
        var derivative = Derive.Synthesize(primal, request);
        Assert.That(derivative.Parameters, Has.Count.EqualTo(request.Signature.Parameters.Count));
        for (var i = 0; i < derivative.Parameters.Count; i++)
            Assert.That(derivative.Parameters[i].Type.FullName, Is.EqualTo(request.Signature.Parameters[i].Type.FullName));
        Assert.That(derivative.ReturnType, Is.SameAs(request.Signature.ReturnType));
        Assert.That(derivative.Module, Is.SameAs(primal.Module));
    }

    [Test]
    public void PrimalIsLeftUnchanged()
    {
        var primal = F();
        var before = IrPrinter.Print(primal);
        Derive.Synthesize(primal, TestRequests.Reverse(primal, ActivityKind.Active, ActivityKind.Active, ActivityKind.Active));
        Derive.Synthesize(primal, TestRequests.Forward(primal, ActivityKind.Dual, ActivityKind.Dual, ActivityKind.Dual));
        Assert.That(IrPrinter.Print(primal), Is.EqualTo(before));
    }
}
