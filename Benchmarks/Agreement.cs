using System;
using System.Collections.Generic;

namespace Autodiff.Benchmarks;

/// <summary>
/// ADBench's comparison: ρ(x, y) = |x − y| / max(1, |x| + |y|). Nothing is timed before its result agrees with a
/// reference this way; a wrong fast answer is not a result.
/// </summary>
public static class Agreement
{
    /// <summary>Tolerance for exact derivatives and objectives (BENCHMARKS.md).</summary>
    public const double Exact = 1e-8;

    /// <summary>Tolerance for central differences, whose truncation and rounding errors are O(ε^⅔) ≈ 1e-10·scale.</summary>
    public const double FiniteDifference = 1e-6;

    public static double Rho(double x, double y) => Math.Abs(x - y) / Math.Max(1, Math.Abs(x) + Math.Abs(y));

    /// <summary>The largest ρ over the entries j = 0, stride, 2·stride, … of two vectors of equal length.</summary>
    public static double WorstRho(IReadOnlyList<double> expected, IReadOnlyList<double> actual, int stride = 1)
    {
        if (expected.Count != actual.Count)
        {
            throw new InvalidOperationException($"Lengths differ: {expected.Count} expected, {actual.Count} computed.");
        }

        double worst = 0;
        for (int j = 0; j < expected.Count; j += stride)
        {
            worst = Math.Max(worst, Rho(expected[j], actual[j]));
        }

        return worst;
    }

    /// <summary>Throws naming <paramref name="what"/> unless <paramref name="rho"/> ≤ <paramref name="tolerance"/>.</summary>
    public static void Require(string what, double rho, double tolerance)
    {
        if (!(rho <= tolerance))
        {
            throw new InvalidOperationException($"{what}: ρ = {rho:E2} exceeds {tolerance:E0}; not timing a wrong answer.");
        }
    }
}
