namespace Autodiff.Benchmarks.Manual;

/// <summary>
/// The extended Rosenbrock gradient by hand: with v = x₂ᵢ₊₁ − x₂ᵢ², ∂f/∂x₂ᵢ = −400·x₂ᵢ·v − 2(1 − x₂ᵢ) and
/// ∂f/∂x₂ᵢ₊₁ = 200·v; and its directional derivative (JVP) along a tangent.
/// </summary>
public static class RosenbrockGradient
{
    /// <summary>Writes ∇f(x) into <paramref name="gradient"/> and returns f(x).</summary>
    public static double Evaluate(double[] x, double[] gradient)
    {
        double sum = 0;
        for (int i = 0; i + 1 < x.Length; i += 2)
        {
            double valley = x[i + 1] - x[i] * x[i];
            double offset = 1 - x[i];
            sum += 100 * valley * valley + offset * offset;
            gradient[i] = -400 * x[i] * valley - 2 * offset;
            gradient[i + 1] = 200 * valley;
        }

        return sum;
    }

    /// <summary>Returns f(x) and ∇f(x)·<paramref name="tangent"/> in one pass.</summary>
    public static (double Value, double Tangent) Directional(double[] x, double[] tangent)
    {
        double sum = 0;
        double derivative = 0;
        for (int i = 0; i + 1 < x.Length; i += 2)
        {
            double valley = x[i + 1] - x[i] * x[i];
            double offset = 1 - x[i];
            sum += 100 * valley * valley + offset * offset;
            double valleyTangent = tangent[i + 1] - 2 * x[i] * tangent[i];
            derivative += 200 * valley * valleyTangent - 2 * offset * tangent[i];
        }

        return (sum, derivative);
    }
}
