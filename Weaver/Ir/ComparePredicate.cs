namespace Autodiff.Weaver.Ir;

/// <summary>
/// Comparison predicates. <c>Un</c> means unsigned for integers and "or unordered" for floats, as in
/// CIL's <c>clt.un</c>/<c>bge.un</c>. Every CIL compare-and-branch maps to exactly one predicate.
/// </summary>
public enum ComparePredicate
{
    Equal,
    NotEqualUn,
    Less,
    LessUn,
    LessOrEqual,
    LessOrEqualUn,
    Greater,
    GreaterUn,
    GreaterOrEqual,
    GreaterOrEqualUn,
}
