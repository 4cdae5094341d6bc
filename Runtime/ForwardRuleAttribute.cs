using System;

namespace Autodiff;

/// <summary>
/// Supplies the forward derivative of <c>target.method</c> wherever it is reached, overriding built-in
/// rules and body differentiation. The signature is that of a form-1 forward derivative of the method with
/// every differentiable parameter <see cref="Activity.Dual"/>, others <see cref="Activity.Const"/>, and the
/// return <see cref="Activity.Dual"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class ForwardRuleAttribute : Attribute
{
    /// <summary>Declares this method as the forward rule of <paramref name="target"/>.<paramref name="method"/>.</summary>
    public ForwardRuleAttribute(Type target, string method)
    {
        Target = target;
        Method = method;
    }

    /// <summary>Type declaring the differentiated method.</summary>
    public Type Target { get; }

    /// <summary>Name of the differentiated method.</summary>
    public string Method { get; }
}
