using Autodiff.Weaver.Diagnostics;
using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Bcl;

/// <summary>The diagnostics of differentiating through the BCL and delegates, each at the call's source line.</summary>
public static class BclErrors
{
    public static WeaverException UnsupportedMember(Instruction call, MethodReference member, string why) =>
        new(DiagnosticCode.UnsupportedBclMember,
            $"cannot differentiate call to {Name(member)}: {why}; see docs/bcl.md for what is covered, or add [ReverseRule]/[ForwardRule] for it",
            call.DebugLocation);

    public static WeaverException UnknownDelegateTarget(Instruction call, MethodReference invoke) =>
        new(DiagnosticCode.UnknownDelegateTarget,
            $"cannot differentiate call to {Name(invoke)}: the delegate is not created in this method and its type has by-reference or generic parameters, so its derivative cannot be looked up at run time; "
            + "use a delegate type without ref/out/in parameters (return the updated value instead), create the delegate inside the differentiated method, or add [ReverseRule]/[ForwardRule] for a method that takes no delegate",
            call.DebugLocation);

    /// <param name="passedOn">Why the helper the delegate is passed to is not inlined; null when the delegate is stored.</param>
    public static WeaverException DelegateCapturesActiveValues(Instruction creation, string? passedOn) =>
        new(DiagnosticCode.DelegateCapturesActiveValues,
            $"cannot differentiate the delegate {creation.Type.FullName} created here: its closure captures values that carry derivatives, and the delegate leaves the method ("
            + (passedOn ?? "it is stored")
            + "), where only its method is looked up, not the closure's derivatives (helpers receiving it are inlined when they can be); "
            + (passedOn == null ? string.Empty : "make the helper inlinable (a loop or an explicit stack instead of recursion, no try/catch), or ")
            + "invoke the lambda inside this method, or pass the captured values on as arguments (a delegate taking them as parameters)",
            creation.DebugLocation);

    private static string Name(MethodReference member) => $"{member.DeclaringType.FullName}.{member.Name}";
}
