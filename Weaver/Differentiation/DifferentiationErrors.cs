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

    public static WeaverException LeftOutFunction(Instruction instruction, IrMethod primal, string instead) =>
        new(DiagnosticCode.LeftOutFunction,
            $"cannot differentiate {Describe(instruction)} at {Where(instruction, primal)}: the rule table leaves it out on purpose ({instead})",
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
        new(DiagnosticCode.UnsupportedShadowType,
            $"cannot differentiate {primal.Name}: parameter '{parameter.Name}' of type {parameter.Type.FullName} has a shadow, but shadows are supported only for arrays (any rank, jagged) and ref/in/out of float, double or structs of them, spans of those, and class instances; pass it as Const or copy it into such an array",
            null);

    public static WeaverException UnsupportedValue(TypeReference type, string what, IrMethod primal) =>
        new(DiagnosticCode.UnsupportedDifferentiableValue,
            $"cannot differentiate {primal.Name}: {what} of type {type.FullName} is Active or Dual, but besides float and double only structs of float/double fields (nested at any depth) whose fields this module may access are differentiated; pass its parts as float/double parameters or such a struct",
            null);

    public static WeaverException LostShadow(Instruction instruction, IrMethod primal) =>
        new(DiagnosticCode.UnfollowedShadow,
            $"cannot differentiate {Describe(instruction)} at {Where(instruction, primal)}: it reads or writes shadowed memory through a reference chosen at run time (a phi, a local or a field holding the array), whose shadow cannot be followed; index the parameter directly",
            instruction.DebugLocation);

    public static WeaverException ShadowPassedToCall(Instruction instruction, IrMethod primal) =>
        new(DiagnosticCode.ShadowedMemoryInCall,
            $"cannot differentiate {Describe(instruction)} at {Where(instruction, primal)}: it receives an array, reference or object that has a shadow, and this call cannot take it with its shadow: a [Checkpoint] callee is handed only Duplicated parameters themselves and must write no memory, a constructor or a callee without IL or known target is not followed, and a struct value has no shadow to pass; remove [Checkpoint], pass the parameter itself, or index the array in the differentiated method",
            instruction.DebugLocation);

    public static WeaverException ShadowStructureChanged(Instruction instruction, IrMethod primal) =>
        new(DiagnosticCode.ShadowStructureChanged,
            $"cannot differentiate {Describe(instruction)} at {Where(instruction, primal)}: it stores an array or object into shadowed memory, which would make the primal's structure differ from its shadow's; build the structure before calling the derivative",
            instruction.DebugLocation);

    public static WeaverException StructKeptWhole(Instruction escape, IrMethod primal) =>
        new(DiagnosticCode.StructKeptWhole,
            $"cannot differentiate {Describe(escape)} at {Where(escape, primal)}: a struct holding active values is passed on whole (to a call, an instance method of the struct, a pointer), where its derivatives cannot be followed yet"
            + (Calls.StructCallInlining.WhyKept(escape) is { } why ? $" (helpers taking or returning structs are inlined, this one is not: {why})" : string.Empty)
            + "; read its fields in the differentiated method, or pass them as float/double arguments",
            escape.DebugLocation);

    public static WeaverException StackAllocationInLoop(Instruction allocation, IrMethod primal) =>
        new(DiagnosticCode.StackAllocationInLoop,
            $"cannot differentiate stackalloc at {Where(allocation, primal)} in reverse mode: the span holds active values and is allocated inside a loop or on a path that not every return passes, where its shadow span cannot be kept for the reverse sweep; stackalloc once before the loop, use an array, or use forward mode",
            allocation.DebugLocation);

    public static WeaverException ActiveStaticField(Instruction instruction, IrMethod primal) =>
        new(DiagnosticCode.ActiveStaticField,
            $"cannot differentiate {Describe(instruction)} at {Where(instruction, primal)}: an active value is written to a static field, which has no shadow; return the value or write it to a Duplicated array instead",
            instruction.DebugLocation);

    private static string Describe(Instruction instruction) => instruction.Member is MethodReference method
        ? $"call to {method.DeclaringType.FullName}.{method.Name}"
        : instruction.Info.Mnemonic;

    private static string Where(Instruction instruction, IrMethod primal) =>
        SourceLocation.From(instruction.DebugLocation) is { } location
            ? $"{location.Path}({location.Line},{location.Column})"
            : primal.Source?.FullName ?? primal.Name;
}
