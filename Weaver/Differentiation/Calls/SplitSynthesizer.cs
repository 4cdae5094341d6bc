using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Differentiation.Memory;
using Autodiff.Weaver.Differentiation.Reverse;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Loading;
using Autodiff.Weaver.Optimization;
using Autodiff.Weaver.Pipeline;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Calls;

/// <summary>
/// Builds the two halves of a callee's split reverse derivative from one analysis of its primal, so both halves
/// tape the same values in the same order: each half is the reverse derivative's sweep (<see cref="BranchingSweepBuilder"/>)
/// cut at the point where the forward sweep ends — the augmented forward keeps the forward sweep and returns the
/// primal result; the reverse half enters the reverse sweep directly (Enzyme's augmented primal and gradient functions).
/// </summary>
public static class SplitSynthesizer
{
    /// <param name="request">The reverse derivative's request for the call site's activity pattern; its signature is the reverse half's without the record.</param>
    /// <param name="site">The call that first needs the pair, where a diagnostic points.</param>
    public static (IrMethod Augmented, IrMethod Reverse) Synthesize(IrMethod primal, DifferentiationRequest request, WeaverOptions options, Instruction site)
    {
        var (activity, shadowed) = DerivativeSynthesizer.Analyze(primal, request, options);
        // A stackalloc's shadow lives in the augmented half's frame, gone when its reverse half runs. A float/double local
        // passed by reference is a cell whose shadow each half zeroes at its own entry: adjoints only accumulate in it
        // during the reverse sweep, so nothing of it crosses the split; nor do a cursor tape storage's adjoints (a woven
        // derivative split again), which live in the reverse half alone (HigherOrder.TapeAdjointSweep).
        if (shadowed.Allocations.Any(a => a.Opcode == Opcode.StackSlot && !Analysis.ShadowAllocations.IsScalarCell(a)))
            throw CallErrors.SplitAllocates(site, request.Primal);
        var recordType = PooledTape.TypeOf(primal.Module, primal.Module.TypeSystem.Object);

        var augmented = DerivativeFrame.Create(primal, request);
        var augmentedRecord = augmented.Method.AddParameter(recordType, "record");
        var augmentedMemory = new ShadowMemory(augmented, shadowed);
        BranchingSweepBuilder.Run(augmented, activity, augmentedMemory, new SplitSweep(SplitHalf.AugmentedForward, augmented, augmentedMemory, augmentedRecord));
        augmented.Method.ReturnType = primal.ReturnType;
        KeepOnly(augmented.Method, request.Signature.Parameters.Select(p => p.Kind == DerivativeParameterKind.Primal).Append(true).ToList());
        IrEdits.RemoveUnreachableBlocks(augmented.Method);

        var reverse = DerivativeFrame.Create(primal, request);
        var copiedEntry = reverse.Method.Entry;
        var entry = reverse.Method.AddBlock(null);
        reverse.Method.Blocks.Remove(entry);
        reverse.Method.Blocks.Insert(0, entry);
        new IrBuilder(reverse.Method).AtEnd(entry).Branch(copiedEntry);
        // Stack slots live in the entry block; the reverse sweep passes them on (a float local's address to a callee's reverse).
        foreach (var slot in copiedEntry.Instructions.Where(i => i.Opcode == Opcode.StackSlot).ToList())
        {
            copiedEntry.Instructions.Remove(slot);
            entry.Instructions.Insert(entry.Instructions.Count - 1, slot);
            slot.Block = entry;
        }
        var reverseRecord = reverse.Method.AddParameter(recordType, "record");
        var reverseMemory = new ShadowMemory(reverse, shadowed);
        var reverseSweep = new SplitSweep(SplitHalf.Reverse, reverse, reverseMemory, reverseRecord);
        BranchingSweepBuilder.Run(reverse, activity, reverseMemory, reverseSweep).WriteRequested(options, request.Derivative.Name);
        reverseSweep.TakeAllocationShadows();
        if ((options.Flags & WeaverFlags.NoSafetyChecks) == 0)
            ShadowArgumentChecks.Emit(reverse, shadowed);
        IrEdits.RemoveUnreachableBlocks(reverse.Method);
        return (augmented.Method, reverse.Method);
    }

    /// <summary>
    /// Drops the parameters the augmented forward never reads (shadows, seeds): parameters are numbered by
    /// position, so the kept ones are renumbered.
    /// </summary>
    private static void KeepOnly(IrMethod method, IReadOnlyList<bool> keep)
    {
        var kept = new List<Parameter>();
        for (var i = 0; i < method.Parameters.Count; i++)
        {
            var parameter = method.Parameters[i];
            if (!keep[i])
            {
                DropShadowSlot(parameter);
                if (parameter.Uses.Count > 0)
                    throw new System.InvalidOperationException($"The augmented forward of {method.Name} reads {parameter.Name}.");
                continue;
            }
            var renumbered = new Parameter(parameter.Type, kept.Count, parameter.Name);
            parameter.ReplaceAllUsesWith(renumbered);
            kept.Add(renumbered);
        }
        method.Parameters.Clear();
        method.Parameters.AddRange(kept);
    }

    // A shadow span's slot (ShadowMemory stores it at entry for the reverse sweep's indexer): unused in the forward sweep.
    private static void DropShadowSlot(Parameter parameter)
    {
        foreach (var store in parameter.Uses.Select(u => u.User).Where(u => u.Opcode == Opcode.Store && u.Operands[1] == parameter).ToList())
        {
            var slot = (Instruction)store.Operands[0];
            store.Remove();
            if (slot.Opcode == Opcode.StackSlot && slot.Uses.Count == 0)
                slot.Remove();
        }
    }
}
