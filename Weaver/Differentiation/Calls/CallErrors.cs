using Autodiff.Weaver.Diagnostics;
using Autodiff.Weaver.Ir;

namespace Autodiff.Weaver.Differentiation.Calls;

/// <summary>The diagnostics of differentiating through calls, each at the call's source line.</summary>
public static class CallErrors
{
    public static WeaverException MissingBody(Instruction call, CallTarget target) =>
        new(DiagnosticCode.MissingBody,
            $"cannot differentiate call to {target.Name}: no IL body and no rule; add [ReverseRule]/[ForwardRule] or mark it [Inactive]",
            call.DebugLocation);

    public static WeaverException HasEffects(Instruction call, CallTarget target, string effect, bool recomputed) =>
        new(DiagnosticCode.CalleeWritesMemory,
            $"cannot differentiate call to {target.Name}: {effect}; " + (recomputed
                ? "[Checkpoint] recomputes the callee in the reverse sweep, which would repeat that effect; remove [Checkpoint] so that its internals are taped instead"
                : "its result carries no derivative here, so the call runs as it is, and the weaver cannot follow derivatives through what it writes; mark the callee [Inactive] if that carries none"),
            call.DebugLocation);

    public static WeaverException LocalByReference(Instruction call, CallTarget target, Instruction local) =>
        new(DiagnosticCode.LocalPassedByReference,
            $"cannot differentiate call to {target.Name}: it receives struct local {local.Name ?? "variable"} of type {local.TypeOperand!.Name} by reference (ref/out/in) and is neither inlined nor cloned into a helper taking the struct's leaves (it is virtual or has exception handlers), so the struct's fields have no shadow to pass along; pass its float/double fields by reference instead, or return the struct",
            call.DebugLocation);

    public static WeaverException SplitAllocates(Instruction call, Mono.Cecil.MethodDefinition callee) =>
        new(DiagnosticCode.SplitCalleeAllocates,
            $"cannot differentiate call to {callee.DeclaringType.FullName}.{callee.Name} in reverse mode: it stackallocs memory that carries derivatives, whose shadow span lives in the frame of its augmented forward and is gone when its reverse runs; allocate an array (new T[n]) instead, or mark the callee [Checkpoint] (it must then have no side effects)",
            call.DebugLocation);

    public static WeaverException ReturnsShadowedObject(Instruction primalReturn, string callee) =>
        new(DiagnosticCode.ReturnedObjectWithShadow,
            $"cannot differentiate {callee} in reverse mode: it returns an object or reference that carries derivatives, whose shadow is not handed back to the caller (only arrays of float or double are); return the values (a tuple or struct), or pass the object in as a Duplicated parameter and write into it",
            primalReturn.DebugLocation);

    public static WeaverException UnknownTarget(Instruction call, CallTarget target) =>
        new(DiagnosticCode.UnknownCallTarget,
            $"cannot differentiate call to {target.Name}: it is virtual and its target is chosen at run time; seal the type or the method, call a non-virtual helper, or add [ReverseRule]/[ForwardRule]",
            call.DebugLocation);

    public static WeaverException Generic(Instruction call, CallTarget target) =>
        new(DiagnosticCode.UnsupportedCall,
            $"cannot differentiate call to {target.Name}: its type arguments are open generic parameters here (the call is inside generic code the weaver sees uninstantiated); call it where its type arguments are known, or a non-generic overload",
            call.DebugLocation);
}
