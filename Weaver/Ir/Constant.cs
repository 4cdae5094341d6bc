using Mono.Cecil;

namespace Autodiff.Weaver.Ir;

/// <summary>
/// A constant: <c>int</c>, <c>long</c>, <c>float</c>, <c>double</c>, a <c>string</c>, or <c>null</c>.
/// Constants belong to no block; the backend materializes them at each use.
/// </summary>
public sealed class Constant : Value
{
    internal Constant(TypeReference type, object? value)
        : base(type) => Payload = value;

    /// <summary>The boxed constant (<c>int</c>, <c>long</c>, <c>float</c>, <c>double</c>, <c>string</c>) or null.</summary>
    public object? Payload { get; }
}
