using System.CodeDom.Compiler;

namespace Autodiff.Benchmarks.Objectives;

/// <summary>
/// The extended Rosenbrock function (Moré, Garbow and Hillstrom 1981, problem 21) for even n:
/// f(x) = Σ_{i&lt;n/2} 100·(x₂ᵢ₊₁ − x₂ᵢ²)² + (1 − x₂ᵢ)². Minimum 0 at (1, …, 1); standard start (−1.2, 1, −1.2, 1, …).
/// </summary>
public static class Rosenbrock
{
    /// <summary>f(x).</summary>
    [Autodiff(nameof(GradientOfObjective), Mode.Reverse, Activity.Duplicated, Activity.Active)]
    [Autodiff(nameof(TangentOfObjective), Mode.Forward, Activity.Dual, Activity.Dual)]
    public static double Objective(double[] x)
    {
        double sum = 0;
        for (int i = 0; i + 1 < x.Length; i += 2)
        {
            double valley = x[i + 1] - x[i] * x[i];
            double offset = 1 - x[i];
            sum += 100 * valley * valley + offset * offset;
        }

        return sum;
    }

    /// <summary>Woven reverse derivative: returns f(x) and adds seed·∇f(x) into <paramref name="dx"/>.</summary>
    [GeneratedCode("Autodiff", "1")]
    public static extern double GradientOfObjective(double[] x, double[] dx, double seed);

    /// <summary>Woven forward derivative: f(x) and ∇f(x)·<paramref name="dx"/>.</summary>
    [GeneratedCode("Autodiff", "1")]
    public static extern (double Value, double Tangent) TangentOfObjective(double[] x, double[] dx);

    /// <summary>The standard starting point of length <paramref name="n"/>.</summary>
    public static double[] StartingPoint(int n)
    {
        var x = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = i % 2 == 0 ? -1.2 : 1.0;
        }

        return x;
    }
}
