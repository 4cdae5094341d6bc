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
            $"cannot differentiate call to {target.Name}: it receives local {local.Name ?? "variable"} of type {local.TypeOperand!.Name} by reference (ref/out/in), and derivatives are not followed through the caller's locals yet; return the values (a tuple) instead, or pass a Duplicated/Dual ref parameter or array",
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
            $"cannot differentiate call to {target.Name}: it is not instantiated with concrete types here; call it at a double or float instantiation, or a non-generic overload",
            call.DebugLocation);

    public static WeaverException TooManyGradients(Instruction call, CallTarget target) =>
        new(DiagnosticCode.UnsupportedCall,
            $"cannot differentiate call to {target.Name} in reverse mode: more than 7 of its arguments are active (the callee's gradients would not fit one ValueTuple); pass them in an array",
            call.DebugLocation);
}
