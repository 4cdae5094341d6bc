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
            $"cannot differentiate call to {Name(invoke)}: the method the delegate calls is unknown when weaving (the delegate is not created in this method, or targets a virtual method); "
            + "create the delegate (lambda or method group) inside the differentiated method, call the method directly, or differentiate a method that takes no delegate and add [ReverseRule]/[ForwardRule] for it",
            call.DebugLocation);

    private static string Name(MethodReference member) => $"{member.DeclaringType.FullName}.{member.Name}";
}
