namespace Autodiff.Weaver.Frontend;

internal enum CilVariableKind { Local, Argument, Stack }

/// <summary>
/// What the frontend's SSA construction tracks: a CIL local, an argument written with <c>starg</c>, or a
/// depth of the evaluation stack at a block boundary (values that stay on the stack across a branch,
/// as in <c>c ? a : b</c>).
/// </summary>
internal readonly record struct CilVariable(CilVariableKind Kind, int Index);
