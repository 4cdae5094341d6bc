using System;
using System.Linq;
using NUnit.Framework;

namespace Autodiff.Tests.Memory;

/// <summary>Central finite differences of functions of arrays, to check derivatives against.</summary>
internal static class FiniteDifferences
{
    private const double Step = 1e-6;

    /// <summary>∂f/∂xᵢ ≈ (f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h for every i; <paramref name="f"/> gets a fresh copy each time.</summary>
    public static double[] Gradient(Func<double[], double> f, double[] x) =>
        Enumerable.Range(0, x.Length).Select(i =>
        {
            var plus = (double[])x.Clone();
            var minus = (double[])x.Clone();
            plus[i] += Step;
            minus[i] -= Step;
            return (f(plus) - f(minus)) / (2 * Step);
        }).ToArray();

    /// <summary>(g(x + h·u) − g(x − h·u)) / 2h for a vector-valued g.</summary>
    public static double[] Directional(Func<double[], double[]> g, double[] x, double[] u)
    {
        var plus = g(x.Select((v, i) => v + Step * u[i]).ToArray());
        var minus = g(x.Select((v, i) => v - Step * u[i]).ToArray());
        return plus.Select((v, i) => (v - minus[i]) / (2 * Step)).ToArray();
    }

    public static void AssertClose(double[] actual, double[] expected, double tolerance = 1e-6) =>
        Assert.That(actual, Is.EqualTo(expected).Within(tolerance));
}
