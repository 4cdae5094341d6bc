using System;
using System.Runtime.CompilerServices;
using Autodiff.Tests.EndToEnd;
using NUnit.Framework;

namespace Autodiff.Tests.HigherOrder;

/// <summary>
/// Differentiating a derivative that returns its gradients as a ValueTuple (the call is inlined before differentiation,
/// a form-2 derivative too), forward and reverse, against closed forms and central differences of the woven gradient.
/// </summary>
public sealed class TupleDerivativeTests
{
    private const double Step = 1e-5;
    private static WovenAssembly woven = null!;

    [OneTimeSetUp]
    public void Weave() => woven = WovenAssembly.Compile(TupleDerivativeSource.Text);

    [OneTimeTearDown]
    public void Unload() => woven.Dispose();

    [TestCase("Mixed", "DSeries", 0.3, 0.7, 5)]
    [TestCase("Mixed2", "DSeries2", 0.3, 0.7, 5)]
    [TestCase("Mixed2", "DSeries2", -1.2, 1.1, 3)]
    public void GradientOfAFunctionOfBothTupleItems(string name, string inner, double x, double y, int n)
    {
        // m = 2·fx + x·fy with f = Σ_{k=1}^{n} sin(kx)·yᵏ: ∇m = (2·fxx + fy + x·fxy, 2·fxy + x·fyy).
        double fy = 0, fxx = 0, fxy = 0, fyy = 0;
        for (var k = 1; k <= n; k++)
        {
            fy += k * Math.Sin(k * x) * Math.Pow(y, k - 1);
            fxx -= k * k * Math.Sin(k * x) * Math.Pow(y, k);
            fxy += k * k * Math.Cos(k * x) * Math.Pow(y, k - 1);
            fyy += k * (k - 1) * Math.Sin(k * x) * (k >= 2 ? Math.Pow(y, k - 2) : 0);
        }
        var (mx, my) = (2 * fxx + fy + x * fxy, 2 * fxy + x * fyy);
        var reverse = (ITuple)woven.Invoke("Tuples", name + "Reverse", x, y, n, 1.0)!;
        double M(double a, double b)
        {
            var gradient = (ITuple)woven.Invoke("Tuples", inner, a, b, n, 1.0)!;
            return 2 * (double)gradient[0]! + a * (double)gradient[1]!;
        }
        Assert.Multiple(() =>
        {
            Assert.That((double)reverse[0]!, Is.EqualTo(mx).Within(1e-10));
            Assert.That((double)reverse[1]!, Is.EqualTo(my).Within(1e-10));
            Assert.That((double)woven.Invoke("Tuples", name + "Forward", x, 1.0, y, 0.0, n)!, Is.EqualTo(mx).Within(1e-10), "forward over reverse");
            Assert.That((double)woven.Invoke("Tuples", name + "Forward", x, 0.0, y, 1.0, n)!, Is.EqualTo(my).Within(1e-10), "forward over reverse");
            Assert.That((double)reverse[0]!, Is.EqualTo((M(x + Step, y) - M(x - Step, y)) / (2 * Step)).Within(1e-6), "central differences of the woven gradient");
            Assert.That((double)reverse[1]!, Is.EqualTo((M(x, y + Step) - M(x, y - Step)) / (2 * Step)).Within(1e-6), "central differences of the woven gradient");
        });
    }
}
