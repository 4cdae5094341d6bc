using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Bcl;

/// <summary>
/// The method and receiver behind a delegate value, when the method creates the delegate itself:
/// <c>new Func&lt;…&gt;(receiver, ldftn m)</c>, reached directly, through phis, or through the static field
/// in which C# caches a non-capturing lambda (<c>&lt;&gt;c.&lt;&gt;9__0_0</c>) or a method group
/// (<c>&lt;&gt;O.&lt;0&gt;__Sin</c>). Those cache fields are compiler-generated and written only where that one
/// lambda or method group is converted, so every value they can hold is the delegate this method stores.
/// </summary>
internal sealed record DelegateTarget(MethodReference Method, Value? Receiver, Instruction? Creation)
{
    /// <summary>The delegate's invocation (<c>Invoke</c> on a type deriving from MulticastDelegate), or false.</summary>
    public static bool IsInvoke(Instruction instruction) =>
        instruction.Opcode is Opcode.Call or Opcode.CallVirtual && instruction.Member is MethodReference { Name: "Invoke", DeclaringType: var type } && IsDelegate(type);

    public static bool IsDelegate(TypeReference type)
    {
        try
        {
            return type.Resolve() is { BaseType.FullName: "System.MulticastDelegate" };
        }
        catch (AssemblyResolutionException)
        {
            return false;
        }
    }

    /// <summary>
    /// The single target of <paramref name="value"/>, or null when it is not created in this method (a parameter,
    /// a field, a call's result) or may be one of several. The receiver is a value usable at any point the
    /// delegate is (null for a static method, or re-read from a static field when it is C#'s lambda singleton).
    /// </summary>
    public static DelegateTarget? Of(Value value) => Of(value, new HashSet<Value>());

    private static DelegateTarget? Of(Value value, HashSet<Value> visited)
    {
        // Only phis and cache loads can lead back to themselves; a creation may be reached on several paths.
        if (value is not Instruction instruction || instruction.Opcode is Opcode.Phi or Opcode.LoadStaticField && !visited.Add(value))
            return null;
        switch (instruction.Opcode)
        {
            case Opcode.NewObject when instruction.Operands.Count == 2 && instruction.Operands[1] is Instruction { Opcode: Opcode.LoadFunction, Member: MethodReference target }:
                return new DelegateTarget(target, instruction.Operands[0], instruction);
            case Opcode.Phi:
                return Single(instruction.Operands.Select(o => Of(o, visited)));
            case Opcode.LoadStaticField when instruction.Member is FieldReference field && IsCompilerGeneratedCache(field):
                var stored = instruction.Block!.Method.Blocks.SelectMany(b => b.Instructions)
                    .Where(i => i.Opcode == Opcode.StoreStaticField && i.Member is FieldReference f && f.FullName == field.FullName)
                    .Select(i => Of(i.Operands[0], visited))
                    .ToList();
                return stored.Count == 0 ? null : Single(stored);
            default:
                return null;
        }
    }

    /// <summary>The target all <paramref name="targets"/> share, with a receiver that needs no particular definition to be reached.</summary>
    private static DelegateTarget? Single(IEnumerable<DelegateTarget?> targets)
    {
        var all = targets.ToList();
        if (all.Count == 0 || all.Any(t => t == null) || all.Select(t => t!.Method.FullName).Distinct().Count() != 1)
            return null;
        var receivers = all.Select(t => ReceiverKey(t!.Receiver)).Distinct().ToList();
        if (receivers.Count != 1 || receivers[0] == null)
            return null;
        return all[0]! with { Creation = null };
    }

    /// <summary>Receivers that can be re-created anywhere: null, or a static field (C#'s <c>&lt;&gt;c.&lt;&gt;9</c> singleton).</summary>
    private static string? ReceiverKey(Value? receiver) => receiver switch
    {
        Constant { Payload: null } => "null",
        Instruction { Opcode: Opcode.LoadStaticField, Member: FieldReference field } when IsCompilerGeneratedCache(field) => field.FullName,
        _ => null,
    };

    private static bool IsCompilerGeneratedCache(FieldReference field) =>
        field.DeclaringType.Name.StartsWith("<", System.StringComparison.Ordinal) && field.Resolve() is { IsStatic: true };
}
