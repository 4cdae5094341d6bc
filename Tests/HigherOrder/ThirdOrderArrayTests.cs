using System;
using System.Linq;
using Autodiff.Tests.EndToEnd;
using NUnit.Framework;

namespace Autodiff.Tests.HigherOrder;

/// <summary>
/// A third level over H·v computed by forward mode over a reverse gradient that writes its Duplicated array (and keeps
/// a cursor tape): forward and reverse at the third level, against the closed form of Π sin(xᵢ)'s third-derivative
/// tensor, central differences of the woven H·v, and each other.
/// </summary>
public sealed class ThirdOrderArrayTests
{
    private const double Step = 1e-4;
    private static readonly double[] X = { 0.9, -0.4, 1.3, 2.0 };
    private static readonly double[] V = { 0.5, -1.0, 2.0, 0.25 };
    private static WovenAssembly woven = null!;

    [OneTimeSetUp]
    public void Weave() => woven = WovenAssembly.Compile(ThirdOrderArraySource.Text);

    [OneTimeTearDown]
    public void Unload() => woven.Dispose();

    [TestCase(new[] { 1.0, 0.0, 0.0, 0.0 })]
    [TestCase(new[] { -0.3, 0.7, 1.1, -2.0 })]
    public void ForwardOverHessianVectorIsTheThirdDerivativeTensor(double[] u)
    {
        double[] dGradient = new double[X.Length], dHv = new double[X.Length];
        woven.Invoke("ThirdArray", "ThirdForward", X, u, V, new double[X.Length], dGradient, new double[X.Length], dHv);
        double[] HvAt(double step)
        {
            var hv = new double[X.Length];
            woven.Invoke("ThirdArray", "ProductHvp", X.Select((xi, i) => xi + step * u[i]).ToArray(), V, new double[X.Length], hv);
            return hv;
        }
        var (plus, minus) = (HvAt(Step), HvAt(-Step));
        Assert.Multiple(() =>
        {
            Assert.That(dHv, Is.EqualTo(Contract(Third, u, V)).Within(1e-12), "Σⱼₖ Tᵢⱼₖ·uⱼ·vₖ");
            Assert.That(dGradient, Is.EqualTo(Contract(Second, u)).Within(1e-12), "the gradient's tangent is H·u");
            Assert.That(dHv, Is.EqualTo(plus.Select((h, i) => (h - minus[i]) / (2 * Step))).Within(1e-6), "central differences of the woven H·v");
        });
    }

    [TestCase(new[] { 1.0, 0.0, 0.0, 0.0 }, new[] { 0.0, 0.0, 0.0, 0.0 })]
    [TestCase(new[] { 0.4, -1.5, 0.2, 0.9 }, new[] { 0.7, 0.1, -0.6, 1.2 })]
    public void ReverseOverHessianVectorEqualsForwardColumns(double[] w, double[] g)
    {
        var xBar = new double[X.Length];
        woven.Invoke("ThirdArray", "ThirdReverse", X, xBar, V, new double[X.Length], (double[])g.Clone(), new double[X.Length], (double[])w.Clone());
        // x̄ⱼ = Σᵢₖ wᵢ·Tᵢⱼₖ·vₖ + Σᵢ gᵢ·Hᵢⱼ; column j of the forward third level along eⱼ gives the same.
        var expected = Enumerable.Range(0, X.Length).Select(j =>
            Enumerable.Range(0, X.Length).Sum(i => w[i] * Enumerable.Range(0, X.Length).Sum(k => Third(i, j, k) * V[k]) + g[i] * Second(i, j))).ToArray();
        var forward = Enumerable.Range(0, X.Length).Select(j =>
        {
            var e = Enumerable.Range(0, X.Length).Select(i => i == j ? 1.0 : 0.0).ToArray();
            double[] dGradient = new double[X.Length], dHv = new double[X.Length];
            woven.Invoke("ThirdArray", "ThirdForward", X, e, V, new double[X.Length], dGradient, new double[X.Length], dHv);
            return Enumerable.Range(0, X.Length).Sum(i => w[i] * dHv[i] + g[i] * dGradient[i]);
        }).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(xBar, Is.EqualTo(expected).Within(1e-12));
            Assert.That(xBar, Is.EqualTo(forward).Within(1e-12), "forward at the third level");
        });
    }

    [TestCase(new[] { 1.0, 0.0, 0.0, 0.0 }, new[] { 0.0, 0.0, 0.0, 0.0 })]
    [TestCase(new[] { -0.3, 0.7, 1.1, -2.0 }, new[] { 0.6, -0.2, 0.0, 1.4 })]
    public void ThirdLevelThroughArraysItAllocatesForwardAndReverse(double[] dx, double[] dv)
    {
        // q(x, v) = vᵀ·H·v + Σᵢ gᵢ: ∂q/∂xⱼ = Σᵢₖ Tᵢⱼₖ·vᵢ·vₖ + Σᵢ Hᵢⱼ, ∂q/∂vᵢ = 2·(H·v)ᵢ.
        var n = X.Length;
        var byX = Enumerable.Range(0, n).Select(j => Enumerable.Range(0, n).Sum(i => Enumerable.Range(0, n).Sum(k => Third(i, j, k) * V[i] * V[k]) + Second(i, j))).ToArray();
        var byV = Contract(Second, V).Select(h => 2 * h).ToArray();
        var forward = (double)woven.Invoke("ThirdArray", "CurvatureForward", X, dx, V, dv)!;
        double[] xBar = new double[n], vBar = new double[n];
        woven.Invoke("ThirdArray", "CurvatureReverse", X, xBar, V, vBar, 1.0);
        // q from the woven second level (H·v and the gradient of ProductHvp) along (dx, dv).
        double CurvatureAt(double step)
        {
            double[] gradient = new double[n], hv = new double[n], v = V.Select((vi, i) => vi + step * dv[i]).ToArray();
            woven.Invoke("ThirdArray", "ProductHvp", X.Select((xi, i) => xi + step * dx[i]).ToArray(), v, gradient, hv);
            return Enumerable.Range(0, n).Sum(i => v[i] * hv[i] + gradient[i]);
        }
        var directional = Enumerable.Range(0, n).Sum(j => byX[j] * dx[j] + byV[j] * dv[j]);
        Assert.Multiple(() =>
        {
            Assert.That(forward, Is.EqualTo(directional).Within(1e-12));
            Assert.That(xBar, Is.EqualTo(byX).Within(1e-12), "reverse: ∂q/∂x");
            Assert.That(vBar, Is.EqualTo(byV).Within(1e-12), "reverse: ∂q/∂v");
            Assert.That(Enumerable.Range(0, n).Sum(j => xBar[j] * dx[j] + vBar[j] * dv[j]), Is.EqualTo(forward).Within(1e-12), "reverse = forward");
            Assert.That(forward, Is.EqualTo((CurvatureAt(Step) - CurvatureAt(-Step)) / (2 * Step)).Within(1e-6), "central differences of the woven second level");
        });
    }

    [Test]
    public void DecompiledThirdLevelDifferentiatesTheInnerDerivativesDerivative() =>
        Assert.Multiple(() =>
        {
            Assert.That(woven.DecompiledCSharp, Does.Contain("<ProductHvp>__fwd_dual_dual_dual_dual("), "the allocated arrays are passed with their shadows");
            Assert.That(woven.DecompiledCSharp, Does.Contain("<<GradientOfProduct>__fwd_dual_dual_const>__fwd_dual_dual_dual_dual_const("), "forward over the gradient's forward derivative");
            Assert.That(woven.DecompiledCSharp, Does.Contain("<<GradientOfProduct>__fwd_dual_dual_const>__rev_duplicated_duplicated_duplicated_duplicated_const("), "reverse over it");
        });

    // ∂ᵢ…(Π sin xₘ) = Π sin xₘ · Π over distinct indices of sin⁽ⁿ⁾(x)/sin(x) for its multiplicity n: cot, −1, −cot.
    private static double Derivative(params int[] indices)
    {
        var value = X.Aggregate(1.0, (acc, xi) => acc * Math.Sin(xi));
        foreach (var group in indices.GroupBy(i => i))
            value *= group.Count() switch { 1 => 1 / Math.Tan(X[group.Key]), 2 => -1.0, _ => -1 / Math.Tan(X[group.Key]) };
        return value;
    }

    private static double Second(int i, int j) => Derivative(i, j);

    private static double Third(int i, int j, int k) => Derivative(i, j, k);

    private static double[] Contract(Func<int, int, double> tensor, double[] u) =>
        Enumerable.Range(0, X.Length).Select(i => Enumerable.Range(0, X.Length).Sum(j => tensor(i, j) * u[j])).ToArray();

    private static double[] Contract(Func<int, int, int, double> tensor, double[] u, double[] v) =>
        Enumerable.Range(0, X.Length).Select(i => Enumerable.Range(0, X.Length).Sum(j => Enumerable.Range(0, X.Length).Sum(k => tensor(i, j, k) * u[j] * v[k]))).ToArray();
}
