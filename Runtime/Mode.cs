namespace Autodiff;

/// <summary>Which derivative the weaver synthesizes.</summary>
public enum Mode
{
    /// <summary>
    /// Forward (tangent) mode: the derivative propagates tangents alongside primal values.
    /// Each <see cref="Activity.Dual"/> parameter takes a tangent; output tangents are overwritten,
    /// input tangents are left unchanged.
    /// </summary>
    Forward,

    /// <summary>
    /// Reverse (adjoint) mode: the derivative runs the primal, then propagates adjoints backwards.
    /// Gradients are <em>added</em> into shadows (callers zero them first; k calls add k times the gradient)
    /// and returned for <see cref="Activity.Active"/> parameters. Each seed consumed through a
    /// <see cref="Activity.Duplicated"/> output's shadow is zeroed.
    /// </summary>
    Reverse,
}
