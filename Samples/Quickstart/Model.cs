using System.CodeDom.Compiler;
using Autodiff.Samples.QuickstartGeometry;

namespace Autodiff.Samples.Quickstart;

/// <summary>The functions to differentiate, and where their derivatives come from.</summary>
public static partial class Model
{
    /// <summary>
    /// f(x, y) = x² + 3y. Nobody declares GradientOfF: the source generator declares
    /// <c>(double, double, double) GradientOfF(double x, double y, double seed)</c> in this partial class,
    /// and the weaver fills it with f's value and gradient (∂f/∂x, ∂f/∂y), scaled by the seed.
    /// </summary>
    [Autodiff("GradientOfF", Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
    public static double F(double x, double y) => x * x + 3 * y;

    /// <summary>g(x0, x1) = x0² + x1·x0, differentiated in both modes into the stubs below.</summary>
    [Autodiff(nameof(GradientOfG), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
    [Autodiff(nameof(TangentOfG), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
    public static double G(double x0, double x1) => x0 * x0 + x1 * x0;

    /// <summary>
    /// Reverse mode: g and (∂g/∂x0, ∂g/∂x1), scaled by <paramref name="seed"/>. A declared stub is `extern`;
    /// any attribute on it (here [GeneratedCode]) silences the compiler's warning about a bodiless method.
    /// </summary>
    [GeneratedCode("Autodiff", "1")]
    public static extern (double value, double dx0, double dx1) GradientOfG(double x0, double x1, double seed);

    /// <summary>Forward mode: g and its directional derivative along (dx0, dx1).</summary>
    [GeneratedCode("Autodiff", "1")]
    public static extern (double value, double tangent) TangentOfG(double x0, double dx0, double x1, double dx1);

    /// <summary>
    /// DESIGN §1's seed example over an array: h(x) = x0² + x1·x0, x Duplicated. The gradient is added
    /// into dx (callers zero it first); the derivative returns h's value.
    /// </summary>
    [Autodiff(nameof(GradientOfH), Mode.Reverse, Activity.Duplicated, Activity.Active)]
    public static double H(double[] x) => x[0] * x[0] + x[1] * x[0];

    /// <summary>Reverse mode over an array: returns h(x) and adds seed·∇h into <paramref name="dx"/>.</summary>
    [GeneratedCode("Autodiff", "1")]
    public static extern double GradientOfH(double[] x, double[] dx, double seed);

    /// <summary>
    /// The length of the path (0, 0) → (x, y) → (6, 0), measured by <see cref="Plane.Distance"/> from the
    /// QuickstartGeometry library, another project of the solution: its IL is differentiated too.
    /// </summary>
    [Autodiff(nameof(GradientOfPath), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
    public static double Path(double x, double y) => Plane.Distance(0, 0, x, y) + Plane.Distance(x, y, 6, 0);

    /// <summary>Reverse mode through the library: the path's length and (∂/∂x, ∂/∂y), scaled by <paramref name="seed"/>.</summary>
    [GeneratedCode("Autodiff", "1")]
    public static extern (double length, double dx, double dy) GradientOfPath(double x, double y, double seed);
}
