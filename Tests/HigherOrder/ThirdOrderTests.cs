using System;
using Autodiff.Tests.EndToEnd;
using NUnit.Framework;

namespace Autodiff.Tests.HigherOrder;

/// <summary>
/// A third derivative through a woven reverse derivative with effects (its cursor-tape stores): the second level's
/// woven body calls the first level's (value, tangent) derivative, which the third level differentiates again, in
/// forward and in reverse mode; against a closed form and central differences of the woven second derivative.
/// </summary>
public sealed class ThirdOrderTests
{
    private const double Step = 1e-4;
    private static WovenAssembly woven = null!;

    [OneTimeSetUp]
    public void Weave() => woven = WovenAssembly.Compile(ThirdOrderSource.Text);

    [OneTimeTearDown]
    public void Unload() => woven.Dispose();

    [TestCase(0.3)]
    [TestCase(-1.1)]
    public void ThirdDerivativeOfALoopThroughItsTapedReverseDerivative(double x)
    {
        // p = Π sin(kx), L = ln|p|, L′ = Σ k·cot kx =: s, L″ = −Σ k²/sin² kx =: t, L‴ = 2·Σ k³·cot kx/sin² kx =: u;
        // p″ = p·(s² + t), p‴ = p·(s³ + 3·s·t + u).
        double product = 1, s = 0, t = 0, u = 0;
        for (var k = 1; k < 5; k++)
        {
            var sin2 = Math.Sin(k * x) * Math.Sin(k * x);
            product *= Math.Sin(k * x);
            s += k / Math.Tan(k * x);
            t -= k * k / sin2;
            u += 2.0 * k * k * k / (Math.Tan(k * x) * sin2);
        }
        double Second(double a) => (double)woven.Invoke("Third", "D2Product", a, 1.0)!;
        var forward = (double)woven.Invoke("Third", "D3ProductForward", x, 1.0)!;
        var reverse = (double)woven.Invoke("Third", "D3ProductReverse", x, 1.0)!;
        Assert.Multiple(() =>
        {
            Assert.That(Second(x), Is.EqualTo(product * (s * s + t)).Within(1e-10), "second derivative");
            Assert.That(forward, Is.EqualTo(product * (s * s * s + 3 * s * t + u)).Within(1e-9));
            Assert.That(reverse, Is.EqualTo(forward).Within(1e-10), "reverse over forward over reverse");
            Assert.That(forward, Is.EqualTo((Second(x + Step) - Second(x - Step)) / (2 * Step)).Within(1e-5 * (1 + Math.Abs(forward))), "central differences of the woven second derivative");
        });
    }
}
