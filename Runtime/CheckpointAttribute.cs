using System;

namespace Autodiff;

/// <summary>
/// Reverse mode: recompute this callee during the reverse sweep instead of caching its internals —
/// the same gradient with less tape memory, at the cost of running the callee twice.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class CheckpointAttribute : Attribute
{
}
