using System;

namespace Autodiff;

/// <summary>
/// Zero derivative: results of this method, values of this field or parameter, or this return value are
/// constants to differentiation. Calls to an inactive method run once and are not differentiated.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Field | AttributeTargets.Parameter | AttributeTargets.ReturnValue)]
public sealed class InactiveAttribute : Attribute
{
}
