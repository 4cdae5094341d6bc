using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Analysis;
using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Bcl;

/// <summary>
/// Rejects, before anything is built, the BCL calls and delegate invocations left after <see cref="BclLowering"/>
/// that carry derivatives (a varied argument, an active result, or shadowed memory passed in): a delegate whose
/// type cannot be dispatched at run time (AD3021), a delegate over a closure with derivatives that escapes (AD3022),
/// and BCL members with neither a rule nor IL the weaver lifts (AD3020) — naming the member rather than reporting a
/// generic missing rule. Custom rules override them, as everywhere.
/// </summary>
public static class BclSupport
{
    public static void Check(IrMethod primal, ActivityAnalysis activity, ShadowedMemory memory)
    {
        var rules = Calls.CalleeDerivatives.Of(primal.Module).Rules;
        foreach (var call in primal.Blocks.SelectMany(b => b.Instructions).Where(i => i.Opcode is Opcode.Call or Opcode.CallVirtual or Opcode.NewObject))
        {
            if (call.Member is not MethodReference member || !CarriesDerivative(call, activity, memory)
                || ShadowedMemory.IsSpanIndexer(call) || ShadowedMemory.ReadsOnlyShape(call) || ShadowMirrors.IsMirrored(call, memory)
                || Calls.SpanArguments.IsWindow(call, memory)
                || Calls.CallTarget.Resolve(member) is { } definition && rules.Covers(definition))
                continue;
            // A vector or complex value rebuilt whole from active components for its use: that use is what is reported.
            if (call.Opcode == Opcode.NewObject && NumericStruct.Of(member.DeclaringType) != null)
            {
                foreach (var user in call.Uses.Select(u => u.User).Where(u => u.Member is MethodReference))
                {
                    if (UncoveredReason(user, (MethodReference)user.Member!) is { } reason)
                        throw BclErrors.UnsupportedMember(user, (MethodReference)user.Member!, reason);
                }
                continue;
            }
            // Delegates invoked here were lowered to direct calls; one left over a shadowed closure escapes with its captured derivatives.
            if (call.Opcode == Opcode.NewObject && DelegateTarget.IsDelegate(member.DeclaringType) && call.Operands.Any(memory.Contains))
                throw BclErrors.DelegateCapturesActiveValues(call);
            if (DelegateTarget.IsInvoke(call))
                throw BclErrors.UnknownDelegateTarget(call, member);
            if (UncoveredReason(call, member) is { } why)
                throw BclErrors.UnsupportedMember(call, member, why);
        }
    }

    /// <summary>
    /// AD3020 when <paramref name="user"/> is a call to a BCL member left uncovered — used where a struct holding
    /// active values reaches it whole, to name the member rather than report a struct kept whole.
    /// </summary>
    public static void RejectUncovered(Instruction user)
    {
        if (user.Opcode is Opcode.Call or Opcode.CallVirtual or Opcode.NewObject && user.Member is MethodReference member
            && !(Calls.CallTarget.Resolve(member) is { } definition && Calls.CalleeDerivatives.Of(user.Block!.Method.Module).Rules.Covers(definition))
            && UncoveredReason(user, member) is { } reason)
            throw BclErrors.UnsupportedMember(user, member, reason);
    }

    private static bool CarriesDerivative(Instruction call, ActivityAnalysis activity, ShadowedMemory memory) =>
        activity.IsActive(call) || call.Operands.Any(o => activity.IsVaried(o) || memory.Contains(o));

    /// <summary>Why a member of the BCL's numeric types is not differentiated, or null when it is not one of them.</summary>
    private static string? UncoveredReason(Instruction call, MethodReference member)
    {
        var type = member.DeclaringType;
        var name = type.Namespace + "." + (type is GenericInstanceType generic ? generic.ElementType.Name : type.Name);
        return name switch
        {
            "System.Collections.Generic.List`1" => "of List<double>/List<float> only the indexer, Count, and Add on a list parameter or a list created by new List<T>() or new List<T>(capacity) in the method are differentiated; other members, and lists created otherwise (from a collection), are not yet (they have no shadow list); use an array, or pass the list in",
            "System.Numerics.Vector2" or "System.Numerics.Vector3" or "System.Numerics.Vector4" =>
                "System.Numerics vectors are implemented with hardware intrinsics and have no derivative rules yet; use their float components (X, Y, Z, W) in scalar code",
            "System.Numerics.Complex" => "System.Numerics.Complex has no derivative rules yet; use its real and imaginary parts as doubles",
            "System.Span`1" or "System.ReadOnlySpan`1" or "System.MemoryExtensions" =>
                "this span operation is not differentiated: only spans made in the method by AsSpan, new Span, an implicit conversion or Slice of an array or span parameter (one assignment each) are followed, through their indexer, Length, Fill, Clear, CopyTo and ToArray",
            "System.Array" when call.Opcode != Opcode.NewObject && ArrayMethods.Contains(member.Name) =>
                "only Array.Copy (int overloads), Fill, Clear, Resize and (T[])Clone() on float[]/double[] of the same element type are differentiated; convert element types explicitly",
            _ => null,
        };
    }

    private static readonly HashSet<string> ArrayMethods = new() { "Copy", "ConstrainedCopy", "Fill", "Clear", "Resize", "Clone", "CopyTo", "Reverse", "Sort" };
}
