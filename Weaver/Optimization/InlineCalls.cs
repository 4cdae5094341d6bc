using System;
using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Diagnostics;
using Autodiff.Weaver.Frontend;
using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Optimization;

/// <summary>
/// Inlines small callees reached by <c>call</c> (static methods and non-virtual instance methods; a
/// <c>callvirt</c> also checks its receiver for null, which an inlined body would not). A callee
/// qualifies when its IL lifts, it is at most <see cref="MaxInstructions"/> IR instructions, has no
/// exception regions, stack slots, <c>localloc</c>, <c>arglist</c> or <c>jmp</c>, is not generic, not a
/// class's constructor (a struct's, called on an address, is an instance method), not synchronized, not marked NoInlining or with an Autodiff attribute, would not have
/// run a type initializer, does not call itself, lives in the caller's module (so every type reference
/// stays the module's own) and names nothing the caller's type may not (<see cref="MemberAccess"/>:
/// another type's private field would throw FieldAccessException). The caller's block is split at the
/// call; the callee's blocks go in between; parameters become the arguments and each return a branch
/// to the continuation, whose phi merges the returned values.
/// </summary>
public sealed class InlineCalls : IIrPass
{
    private readonly Dictionary<MethodDefinition, IrMethod?> lifted = new();
    private readonly Func<MethodDefinition, bool>? mayInline;

    /// <param name="maxInstructions">Largest callee, in IR instructions, worth inlining.</param>
    /// <param name="mayInline">
    /// Vetoes callees the caller must keep as calls — the targets of custom derivative rules, whose rule
    /// applies wherever the call is reached and would be lost in an inlined body.
    /// </param>
    public InlineCalls(int maxInstructions = 30, Func<MethodDefinition, bool>? mayInline = null)
    {
        MaxInstructions = maxInstructions;
        this.mayInline = mayInline;
    }

    public int MaxInstructions { get; }

    public string Name => "InlineCalls";

    /// <summary>Callees carrying [Autodiff], [Inactive], [Checkpoint] or a rule attribute mean something to differentiation as calls.</summary>
    private const string AutodiffNamespace = "Autodiff";

    public bool Run(IrMethod method)
    {
        var changed = false;
        foreach (var call in method.Blocks.SelectMany(b => b.Instructions).Where(i => i.Opcode == Opcode.Call).ToList())
        {
            var callee = Callee(method, call);
            if (callee == null)
                continue;
            Inline(method, call, callee);
            changed = true;
        }
        return changed;
    }

    private IrMethod? Callee(IrMethod caller, Instruction call)
    {
        if (call.Member is not MethodReference reference || reference is GenericInstanceMethod || reference.DeclaringType is GenericInstanceType
            || (call.Flags & InstructionFlags.Tail) != 0)
            return null;
        var definition = MemberAccess.Resolve(reference);
        if (definition == null || !ReferenceEquals(definition.Module, caller.Module) || ReferenceEquals(definition, caller.Source)
            || definition.IsVirtual || definition.IsConstructor && !definition.DeclaringType.IsValueType || definition.HasGenericParameters || definition.DeclaringType.HasGenericParameters
            || !definition.HasBody || definition.Body.HasExceptionHandlers || definition.NoInlining || definition.IsSynchronized
            || RunsTypeInitializer(definition, caller)
            || definition.CustomAttributes.Any(a => a.AttributeType.Namespace == AutodiffNamespace) || mayInline?.Invoke(definition) == false)
            return null;
        if (!lifted.TryGetValue(definition, out var body))
        {
            body = Lift(definition);
            lifted.Add(definition, body);
        }
        return body != null && caller.Source != null && IsAccessibleFrom(body, caller.Source.DeclaringType) ? body : null;
    }

    private IrMethod? Lift(MethodDefinition definition)
    {
        IrMethod body;
        try
        {
            body = MethodLifter.Lift(definition);
        }
        catch (WeaverException)
        {
            return null;
        }
        var instructions = body.Blocks.SelectMany(b => b.Instructions).ToList();
        if (instructions.Count > MaxInstructions || body.Regions.Count > 0)
            return null;
        var excluded = instructions.Any(i => i.Opcode is Opcode.StackSlot or Opcode.LocalAlloc or Opcode.ArgumentList or Opcode.Jump
            || i.Member is MethodReference m && ReferenceEquals(MemberAccess.Resolve(m), definition));
        return excluded ? null : body;
    }

    /// <summary>
    /// Calling a static method of a type with a static constructor (and no beforefieldinit) runs that
    /// constructor first (ECMA-335 §II.10.5.3.1); the inlined body would not. Inside the type itself it ran already.
    /// </summary>
    private static bool RunsTypeInitializer(MethodDefinition callee, IrMethod caller) =>
        callee.IsStatic && !callee.DeclaringType.IsBeforeFieldInit && callee.DeclaringType.Methods.Any(m => m.IsConstructor && m.IsStatic)
        && !ReferenceEquals(callee.DeclaringType, caller.Source?.DeclaringType);

    /// <summary>Everything the callee's body names can be named from the caller's type too.</summary>
    private static bool IsAccessibleFrom(IrMethod callee, TypeDefinition caller) =>
        callee.Blocks.SelectMany(b => b.Instructions).All(i =>
            (i.Member == null || MemberAccess.IsAccessible(i.Member, caller))
            && (i.TypeOperand == null || MemberAccess.IsAccessible(i.TypeOperand, caller))
            && (i.Signature == null || MemberAccess.IsAccessible(i.Signature.ReturnType, caller)));

    /// <summary>
    /// Replaces <paramref name="call"/> by a copy of <paramref name="callee"/>'s body. The callee's stack slots move to
    /// the caller's entry block, where slots live; C#'s definite assignment writes them before every read.
    /// </summary>
    internal static void Inline(IrMethod method, Instruction call, IrMethod callee)
    {
        var block = call.Block!;
        var region = block.Region;
        var at = method.Blocks.IndexOf(block);

        // Split: everything after the call moves to the continuation, which inherits the block's successors.
        var continuation = method.AddBlock(region);
        var index = block.Instructions.IndexOf(call);
        foreach (var moved in block.Instructions.Skip(index + 1).ToList())
        {
            block.Instructions.Remove(moved);
            continuation.Instructions.Add(moved);
            moved.Block = continuation;
        }
        foreach (var successor in continuation.Successors.Distinct())
            IrEdits.RenameIncoming(successor, block, continuation);

        var blocks = callee.Blocks.ToDictionary(b => b, _ => method.AddBlock(region));
        var values = new Dictionary<Value, Value>();
        for (var i = 0; i < callee.Parameters.Count; i++)
            values[callee.Parameters[i]] = call.Operands[i];
        var builder = new IrBuilder(method) { DebugLocation = call.DebugLocation };
        var copies = new List<(Instruction Original, Instruction Copy)>();
        var returns = new List<(Block Block, Value? Value)>();
        foreach (var original in callee.Blocks)
        {
            builder.AtEnd(blocks[original]);
            foreach (var instruction in original.Instructions)
            {
                if (instruction.Opcode == Opcode.Return)
                {
                    returns.Add((blocks[original], instruction.Operands.Count == 1 ? instruction.Operands[0] : null));
                    builder.Branch(continuation);
                    continue;
                }
                var copy = builder.Emit(instruction.Opcode, instruction.Type);
                copy.TypeOperand = instruction.TypeOperand;
                copy.Member = instruction.Member;
                copy.Signature = instruction.Signature;
                copy.Predicate = instruction.Predicate;
                copy.Flags = instruction.Flags & ~InstructionFlags.Tail;
                copy.Alignment = instruction.Alignment;
                copy.Name = instruction.Name;
                copy.Targets = instruction.Targets.Select(t => blocks[t]).ToArray();
                values[instruction] = copy;
                copies.Add((instruction, copy));
            }
        }
        foreach (var (original, copy) in copies)
            copy.SetOperands(original.Operands.Select(o => Map(method, values, o)).ToList());

        Value? result = null;
        if (call.Type.MetadataType != MetadataType.Void)
        {
            var returned = returns.Select(r => Map(method, values, r.Value!)).ToList();
            if (returned.Distinct().Count() == 1)
            {
                result = returned[0];
            }
            else
            {
                var phi = builder.Phi(continuation, call.Type);
                for (var i = 0; i < returns.Count; i++)
                    phi.AddPhiIncoming(returns[i].Block, returned[i]);
                result = phi;
            }
        }
        if (result != null)
            call.ReplaceAllUsesWith(result);
        call.Remove();
        builder.AtEnd(block).Branch(blocks[callee.Entry]);

        foreach (var slot in copies.Select(c => c.Copy).Where(c => c.Opcode == Opcode.StackSlot))
        {
            slot.Block!.Instructions.Remove(slot);
            method.Entry.Instructions.Insert(0, slot);
            slot.Block = method.Entry;
        }

        // Keep the printed order readable: the callee's blocks, then the continuation, right after the caller's block.
        var added = callee.Blocks.Select(b => blocks[b]).Append(continuation).ToList();
        method.Blocks.RemoveAll(added.Contains);
        method.Blocks.InsertRange(at + 1, added);
    }

    /// <summary>A callee value in the caller: its copy, the argument for a parameter, or the caller's equal constant.</summary>
    private static Value Map(IrMethod method, Dictionary<Value, Value> values, Value value)
    {
        if (values.TryGetValue(value, out var mapped))
            return mapped;
        var constant = (Constant)value;
        return constant.Payload switch
        {
            null => method.Null(),
            int i when constant.Type.MetadataType == MetadataType.Boolean => method.Boolean(i != 0),
            int i => method.Int32(i),
            long l => method.Int64(l),
            float f => method.Float32(f),
            double d => method.Float64(d),
            string s => method.String(s),
            _ => throw new InvalidOperationException("constant of an unknown kind: " + constant.Payload.GetType().Name),
        };
    }
}
