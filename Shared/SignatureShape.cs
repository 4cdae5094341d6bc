using System.Collections.Generic;
using Autodiff.Weaver.Loading;

namespace Autodiff.Shared;

/// <summary>
/// One primal CIL parameter as activities count them (<c>this</c> = 0 for instance methods). A by-reference
/// parameter's <see cref="Type"/> has the <see cref="TypeShape.ByReference"/> shape; <see cref="RefKind"/>
/// says how C# spells it.
/// </summary>
internal sealed record SlotShape<TType>(int Index, TType Type, string Name, ParameterRefKind RefKind);

/// <summary>One derivative parameter; <see cref="PrimalIndex"/> is the slot it belongs to, or -1 for a seed.</summary>
internal sealed record ParameterShape<TType>(DerivativeParameterKind Kind, int PrimalIndex, int Lane, TType Type, string Name, ParameterRefKind RefKind);

/// <summary>One element of the derivative's result; <see cref="PrimalIndex"/> is -1 for the return value.</summary>
internal sealed record ResultShape<TType>(DerivativeResultKind Kind, int PrimalIndex, int Lane, TType Type);

/// <summary>A derivative signature: <c>this</c> (when <see cref="HasThis"/>) and the parameters in order, the result elements, and the return type.</summary>
internal sealed record SignatureShape<TType>(bool HasThis, IReadOnlyList<ParameterShape<TType>> Parameters, IReadOnlyList<ResultShape<TType>> Results, TType ReturnType);
