using System;

namespace Autodiff;

/// <summary>
/// Supplies the reverse derivative of <c>target.method</c> wherever it is reached, overriding built-in
/// rules and body differentiation. The signature is that of a form-1 reverse derivative of the method with
/// every differentiable value <see cref="Activity.Active"/>, every differentiable reference
/// <see cref="Activity.Duplicated"/> and the return <see cref="Activity.Active"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class ReverseRuleAttribute : Attribute
{
    /// <summary>Declares this method as the reverse rule of <paramref name="target"/>.<paramref name="method"/>.</summary>
    public ReverseRuleAttribute(Type target, string method)
    {
        Target = target;
        Method = method;
    }

    /// <summary>Type declaring the differentiated method.</summary>
    public Type Target { get; }

    /// <summary>Name of the differentiated method.</summary>
    public string Method { get; }
}
