using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Reverse;

/// <summary>
/// Array parameters the primal never writes, whose elements the reverse sweep may therefore load again instead of
/// taping them (Enzyme's cache minimization, Moses and Churavy 2020 §4: a load is recomputed when nothing that may
/// alias it is written). Writes are stores and non-load uses of element addresses; their arrays must be parameters
/// or fresh arrays. Any write the analysis cannot place (through a ref or pointer, a memory block, an array loaded
/// from memory, a call other than System.Math's) rules rereading out. Two parameters may still be one array, so the
/// derivative checks on entry that each reread array is none of the written ones and none of the shadows, which the
/// reverse sweep writes (<c>Autodiff.Runtime.TapeRecomputation.RequireDistinct</c>, an <c>ArgumentException</c> otherwise).
/// </summary>
public sealed class ReadOnlyArrays
{
    private readonly HashSet<Parameter> written = new();
    private readonly HashSet<Parameter> reread = new();
    private bool unknownWrites;

    /// <param name="callerRunsBetweenSweeps">
    /// True for the halves of a split callee derivative: the caller runs between its augmented forward and its
    /// reverse and may write any array, so nothing is reread.
    /// </param>
    public ReadOnlyArrays(IrMethod primal, bool callerRunsBetweenSweeps)
    {
        unknownWrites = callerRunsBetweenSweeps;
        var instructions = primal.Blocks.SelectMany(b => b.Instructions).ToList();
        var loadOnly = new HashSet<Instruction>(instructions.Where(i => i.Opcode == Opcode.ElementAddress));
        foreach (var user in instructions)
        {
            for (var k = 0; k < user.Operands.Count; k++)
            {
                if (user.Operands[k] is Instruction { Opcode: Opcode.ElementAddress } address && !(user.Opcode == Opcode.Load && k == 0))
                    loadOnly.Remove(address);
            }
        }
        foreach (var instruction in instructions)
        {
            switch (instruction.Opcode)
            {
                case Opcode.StoreElement:
                    Written(instruction.Operands[0]);
                    break;
                case Opcode.ElementAddress when !loadOnly.Contains(instruction):
                    Written(instruction.Operands[0]);
                    break;
                case Opcode.Store or Opcode.InitObject or Opcode.CopyObject:
                    unknownWrites |= instruction.Operands[0] is not Instruction { Opcode: Opcode.StackSlot or Opcode.FieldAddress or Opcode.ElementAddress };
                    break;
                case Opcode.CopyBlock or Opcode.InitBlock or Opcode.CallIndirect or Opcode.NewObject or Opcode.CallVirtual or Opcode.StoreStaticField:
                    unknownWrites = true;
                    break;
                case Opcode.Call:
                    unknownWrites |= instruction.Member is not MethodReference { DeclaringType.FullName: "System.Math" or "System.MathF" };
                    break;
            }
        }
    }

    /// <summary>True when loads from <paramref name="array"/> read the same values at the end of the forward sweep as when it ran.</summary>
    public bool MayReread(Value array) =>
        !unknownWrites && array is Parameter { Type: ArrayType { ElementType.IsPrimitive: true } } parameter && !written.Contains(parameter);

    /// <summary>Notes that the reverse sweep rereads <paramref name="array"/>, so the entry check must cover it.</summary>
    public void Reread(Parameter array) => reread.Add(array);

    /// <summary>Emits the entry checks: each reread array against each written array parameter and each array shadow.</summary>
    public void EmitChecks(DerivativeFrame frame)
    {
        var shadows = frame.Primal.Parameters.Where(p => p.Type is ArrayType)
            .SelectMany(p => Enumerable.Range(0, frame.Width).Select(lane => frame.Shadow(p.Index, lane)))
            .OfType<Parameter>();
        var writes = written.OrderBy(w => w.Index).Select(w => (Value: frame.Copy.Map(w), Name: w.Name)).Concat(shadows.Select(s => (Value: (Value)s, s.Name))).ToList();
        var pairs = reread.OrderBy(p => p.Index).SelectMany(r => writes.Select(w => (Reread: r, Written: w))).ToList();
        if (pairs.Count == 0)
            return;
        var module = frame.Method.Module;
        var array = new TypeReference("System", "Array", module, module.TypeSystem.CoreLibrary);
        var checks = new TypeReference("Autodiff.Runtime", "TapeRecomputation", module, module.AssemblyReferences.First(r => r.Name == "Autodiff"));
        var requireDistinct = new MethodReference("RequireDistinct", module.TypeSystem.Void, checks);
        requireDistinct.Parameters.Add(new ParameterDefinition(array));
        requireDistinct.Parameters.Add(new ParameterDefinition(array));
        requireDistinct.Parameters.Add(new ParameterDefinition(module.TypeSystem.String));
        requireDistinct.Parameters.Add(new ParameterDefinition(module.TypeSystem.String));
        var builder = SlotAdjoints.EntryBuilder(frame.Method);
        foreach (var (rereadArray, writtenArray) in pairs)
        {
            builder.Call(requireDistinct, frame.Method.Types.Void, new Value[]
            {
                frame.Copy.Map(rereadArray), writtenArray.Value,
                frame.Method.String(rereadArray.Name ?? "argument"), frame.Method.String(writtenArray.Name ?? "argument"),
            });
        }
    }

    private void Written(Value array)
    {
        if (array is Parameter parameter)
            written.Add(parameter);
        else if (array is not Instruction { Opcode: Opcode.NewArray })
            unknownWrites = true;
    }
}
