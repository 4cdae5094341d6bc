namespace Autodiff.Weaver.Loading;

/// <summary>The weaver's copy of <c>Autodiff.Activity</c>; the numeric values match (attributes store them as ints).</summary>
public enum ActivityKind { Const, Active, ActiveOnly, Duplicated, DuplicatedOnly, Dual, DualOnly }

/// <summary>The weaver's copy of <c>Autodiff.Mode</c>; the numeric values match.</summary>
public enum DerivativeMode { Forward, Reverse }
