using Autodiff.Benchmarks;
using Autodiff.Benchmarks.FiniteDifferences;
using Autodiff.Benchmarks.Manual;
using Autodiff.Benchmarks.Objectives;
using NUnit.Framework;

namespace Autodiff.Tests.Benchmarks;

/// <summary>Extended Rosenbrock: closed forms, the hand-written gradient and JVP against them and central differences.</summary>
public sealed class RosenbrockObjectiveTests
{
    [Test]
    public void MinimumIsZeroWithZeroGradient()
    {
        double[] ones = { 1, 1, 1, 1, 1, 1 };
        var gradient = new double[ones.Length];

        double value = RosenbrockGradient.Evaluate(ones, gradient);

        Assert.Multiple(() =>
        {
            Assert.That(Rosenbrock.Objective(ones), Is.Zero);
            Assert.That(value, Is.Zero);
            Assert.That(gradient, Is.All.Zero);
        });
    }

    [Test]
    public void GradientAtStartIsTheClosedForm()
    {
        double[] start = Rosenbrock.StartingPoint(4);
        var gradient = new double[4];

        double value = RosenbrockGradient.Evaluate(start, gradient);

        // f = 100·0.44² + 2.2² per pair; ∂/∂x₀ = −400·(−1.2)·(−0.44) − 2·2.2, ∂/∂x₁ = 200·(−0.44).
        Assert.Multiple(() =>
        {
            Assert.That(value, Is.EqualTo(2 * 24.2).Within(1e-12));
            Assert.That(gradient, Is.EqualTo(new[] { -215.6, -88.0, -215.6, -88.0 }).Within(1e-12));
        });
    }

    [TestCase(10)]
    [TestCase(1_000)]
    public void GradientMatchesCentralDifferencesAndTheJvpMatchesIt(int n)
    {
        double[] x = Rosenbrock.StartingPoint(n);
        for (int i = 0; i < n; i++)
        {
            x[i] += 0.01 * (i % 7);
        }

        var gradient = new double[n];
        var differences = new double[n];
        var tangent = new double[n];
        double directional = 0;
        RosenbrockGradient.Evaluate(x, gradient);
        CentralDifferences.Gradient(Rosenbrock.Objective, x, differences, 1);
        for (int i = 0; i < n; i++)
        {
            tangent[i] = 1.0 / (i + 1);
            directional += gradient[i] * tangent[i];
        }

        var (value, jvp) = RosenbrockGradient.Directional(x, tangent);

        Assert.Multiple(() =>
        {
            Assert.That(Agreement.WorstRho(differences, gradient), Is.LessThanOrEqualTo(Agreement.FiniteDifference));
            Assert.That(Agreement.Rho(directional, jvp), Is.LessThanOrEqualTo(Agreement.Exact));
            Assert.That(value, Is.EqualTo(Rosenbrock.Objective(x)));
        });
    }
}
