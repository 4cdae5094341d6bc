using Autodiff.Weaver.Diagnostics;
using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation;

/// <summary>The diagnostics of derivative synthesis, each at the offending primal instruction's source line.</summary>
public static class DifferentiationErrors
{
    public static WeaverException NoRule(Instruction instruction, IrMethod primal) =>
        new(DiagnosticCode.UnsupportedOperation,
            $"cannot differentiate {Describe(instruction)} at {Where(instruction, primal)}: no derivative rule; add [ForwardRule]/[ReverseRule] or mark it [Inactive]",
            instruction.DebugLocation);

    public static WeaverException ActiveMemory(Instruction instruction, IrMethod primal) =>
        new(DiagnosticCode.UnsupportedMemory,
            $"cannot differentiate {Describe(instruction)} at {Where(instruction, primal)}: an active value is written to memory (a field, an array, a local whose address is taken), which is not supported yet; keep active values in plain locals",
            instruction.DebugLocation);

    public static WeaverException ActiveControlFlow(Instruction instruction, IrMethod primal) =>
        new(DiagnosticCode.UnsupportedControlFlow,
            $"cannot differentiate {Describe(instruction)} at {Where(instruction, primal)} in reverse mode: active values inside try/catch/finally regions are not supported yet; use forward mode or move the computation out of the region",
            instruction.DebugLocation);

    public static WeaverException ShadowedReference(Parameter parameter, IrMethod primal) =>
        new(DiagnosticCode.UnsupportedMemory,
            $"cannot differentiate {primal.Name}: parameter '{parameter.Name}' of type {parameter.Type.FullName} has a shadow, but only float and double parameters are differentiated yet",
            null);

    private static string Describe(Instruction instruction) => instruction.Member is MethodReference method
        ? $"call to {method.DeclaringType.FullName}.{method.Name}"
        : instruction.Info.Mnemonic;

    private static string Where(Instruction instruction, IrMethod primal) =>
        SourceLocation.From(instruction.DebugLocation) is { } location
            ? $"{location.Path}({location.Line},{location.Column})"
            : primal.Source?.FullName ?? primal.Name;
}
