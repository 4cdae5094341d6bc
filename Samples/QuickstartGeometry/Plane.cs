using System;

namespace Autodiff.Samples.QuickstartGeometry;

/// <summary>
/// Plane geometry in a library of its own. The Quickstart differentiates functions that call it: the weaver lifts
/// this assembly's IL and generates the derivatives of its methods into the Quickstart's assembly, as Enzyme
/// differentiates across modules under link-time optimization.
/// </summary>
public static class Plane
{
    public static double Distance(double x0, double y0, double x1, double y1) => Math.Sqrt(Square(x1 - x0) + Square(y1 - y0));

    // Private: the derivative in the Quickstart's assembly reaches it through [IgnoresAccessChecksTo("QuickstartGeometry")].
    private static double Square(double v) => v * v;
}
