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

    public static WeaverException HasEffects(Instruction call, CallTarget target, string effect) =>
        new(DiagnosticCode.CalleeWritesMemory,
            $"cannot differentiate call to {target.Name}: {effect}; derivatives through calls recompute the callee, which would repeat that effect, so only callees without side effects are differentiated yet; return the value instead, or mark the callee [Inactive] if its result carries no derivative",
            call.DebugLocation);

    public static WeaverException UnknownTarget(Instruction call, CallTarget target) =>
        new(DiagnosticCode.UnknownCallTarget,
            $"cannot differentiate call to {target.Name}: it is virtual and its target is chosen at run time; seal the type or the method, call a non-virtual helper, or add [ReverseRule]/[ForwardRule]",
            call.DebugLocation);

    public static WeaverException Generic(Instruction call, CallTarget target) =>
        new(DiagnosticCode.UnsupportedCall,
            $"cannot differentiate call to {target.Name}: methods of generic types are not differentiated yet; call a generic method or a non-generic overload for double/float",
            call.DebugLocation);

    public static WeaverException TooManyGradients(Instruction call, CallTarget target) =>
        new(DiagnosticCode.UnsupportedCall,
            $"cannot differentiate call to {target.Name} in reverse mode: more than 7 of its arguments are active (the callee's gradients would not fit one ValueTuple); pass them in an array",
            call.DebugLocation);
}
