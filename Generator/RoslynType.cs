using System;
using Microsoft.CodeAnalysis;

namespace Autodiff.Generator;

/// <summary>
/// A Roslyn type as the shared rules see it. Roslyn keeps <c>ref</c>/<c>in</c>/<c>out</c> on the parameter, CIL
/// (and so the rules) on the type: <see cref="IsByReference"/> carries it over.
/// </summary>
internal readonly struct RoslynType : IEquatable<RoslynType>
{
    public RoslynType(ITypeSymbol symbol, bool isByReference = false)
    {
        Symbol = symbol;
        IsByReference = isByReference;
    }

    public ITypeSymbol Symbol { get; }

    public bool IsByReference { get; }

    public bool Equals(RoslynType other) =>
        IsByReference == other.IsByReference && SymbolEqualityComparer.Default.Equals(Symbol, other.Symbol);

    public override bool Equals(object? obj) => obj is RoslynType other && Equals(other);

    public override int GetHashCode() => SymbolEqualityComparer.Default.GetHashCode(Symbol) * 2 + (IsByReference ? 1 : 0);
}
