using Mono.Cecil;

namespace Autodiff.Weaver.Ir;

/// <summary>A method argument as an SSA value (<c>this</c> is parameter 0 of an instance method).</summary>
public sealed class Parameter : Value
{
    internal Parameter(TypeReference type, int index, string? name)
        : base(type)
    {
        Index = index;
        Name = name;
    }

    public int Index { get; }
}
