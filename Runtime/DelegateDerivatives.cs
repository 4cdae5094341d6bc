using System;
using System.ComponentModel;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Autodiff.Runtime;

/// <summary>
/// The run-time half of differentiating a call through a delegate whose target the weaver could not see (a
/// <c>Func</c>/<c>Action</c> parameter, field or call result): Enzyme's shadow function pointers. The weaver generates
/// a derivative of every method the woven assembly (and the referenced assemblies it lifts) turns into a delegate
/// of that type, and a dispatching derivative that compares the delegate's method against them. Called only by
/// woven code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class DelegateDerivatives
{
    // A delegate's method is read once per delegate instance: Delegate.Method and the multicast check are reflection.
    private static readonly ConditionalWeakTable<Delegate, StrongBox<IntPtr>> Methods = new();

    // In front of the table, the delegate this thread looked up last: a loop calling one delegate (an integrand, an
    // objective) pays a reference comparison per call. It keeps that one delegate alive until the thread's next lookup.
    [ThreadStatic]
    private static Delegate? last;

    [ThreadStatic]
    private static IntPtr lastMethod;

    /// <summary>The identity of the method <paramref name="function"/> calls, to be compared with the methods the weaver differentiated.</summary>
    /// <exception cref="ArgumentNullException">The delegate is null.</exception>
    /// <exception cref="NotSupportedException">The delegate is multicast (it calls several methods).</exception>
    [Inactive]
    public static IntPtr MethodOf(Delegate function)
    {
        if (ReferenceEquals(function, last))
            return lastMethod;
        ArgumentNullException.ThrowIfNull(function);
        IntPtr method;
        if (Methods.TryGetValue(function, out var known))
        {
            method = known.Value;
        }
        else
        {
            if (function.GetInvocationList().Length != 1)
                throw new NotSupportedException("Autodiff cannot differentiate through a multicast delegate; invoke its methods one by one.");
            method = MethodOf(function.Method.MethodHandle);
            Methods.AddOrUpdate(function, new StrongBox<IntPtr>(method));
        }
        lastMethod = method;
        last = function;
        return method;
    }

    /// <summary>
    /// The identity of <paramref name="method"/>, as <see cref="MethodOf(Delegate)"/> returns it: read once into a static
    /// field by woven code (<c>ldtoken</c> of a method builds a handle object each time it runs).
    /// </summary>
    [Inactive]
    public static IntPtr MethodOf(RuntimeMethodHandle method) => method.Value;

    /// <summary>The exception for a delegate whose method the weaver generated no derivative for.</summary>
    /// <param name="function">The delegate.</param>
    /// <param name="derivative">The dispatching derivative, named for the delegate type and activity pattern.</param>
    [Inactive]
    public static Exception Unknown(Delegate function, string derivative) =>
        new NotSupportedException(string.Format(
            CultureInfo.InvariantCulture,
            "Autodiff has no derivative of {0} for {1}: derivatives are generated when weaving for the methods the woven assembly and the assemblies it references turn into delegates (lambdas, method groups) of that delegate type. "
            + "Create the delegate in a woven assembly (a lambda calling the method will do), or pass a delegate to a method with the same signature.",
            Name(function), derivative));

    /// <summary>The exception for a delegate whose method the weaver could not differentiate, with the weaver's reason.</summary>
    /// <param name="function">The delegate.</param>
    /// <param name="reason">The diagnostic differentiating the method gave when weaving.</param>
    [Inactive]
    public static Exception NotDifferentiable(Delegate function, string reason) =>
        new NotSupportedException(string.Format(CultureInfo.InvariantCulture, "Autodiff could not differentiate {0} when weaving: {1}", Name(function), reason));

    private static string Name(Delegate function) => function.Method.DeclaringType?.FullName + "." + function.Method.Name;
}
