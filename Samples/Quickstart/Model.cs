using System.CodeDom.Compiler;

namespace Autodiff.Samples.Quickstart;

/// <summary>
/// The functions to differentiate and the derivative stubs the weaver fills. A stub is `extern`; any
/// attribute on it (here [GeneratedCode]) silences the compiler's warning about a bodiless method.
/// </summary>
public static class Model
{
    /// <summary>f(x, y) = x² + 3y.</summary>
    [Autodiff(nameof(GradientOfF), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
    public static double F(double x, double y) => x * x + 3 * y;

    /// <summary>Reverse mode: f and its gradient (∂f/∂x, ∂f/∂y), scaled by <paramref name="seed"/>.</summary>
    [GeneratedCode("Autodiff", "1")]
    public static extern (double value, double dx, double dy) GradientOfF(double x, double y, double seed);

    /// <summary>g(x0, x1) = x0² + x1·x0.</summary>
    [Autodiff(nameof(GradientOfG), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
    [Autodiff(nameof(TangentOfG), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
    public static double G(double x0, double x1) => x0 * x0 + x1 * x0;

    /// <summary>Reverse mode: g and (∂g/∂x0, ∂g/∂x1), scaled by <paramref name="seed"/>.</summary>
    [GeneratedCode("Autodiff", "1")]
    public static extern (double value, double dx0, double dx1) GradientOfG(double x0, double x1, double seed);

    /// <summary>Forward mode: g and its directional derivative along (dx0, dx1).</summary>
    [GeneratedCode("Autodiff", "1")]
    public static extern (double value, double tangent) TangentOfG(double x0, double dx0, double x1, double dx1);
}
