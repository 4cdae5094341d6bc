using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Analysis;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Ir.Construction;
using Autodiff.Weaver.Loading;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Memory;

/// <summary>
/// Rejects the memory this slice would differentiate wrongly (AD2201–AD2207): shadows of types it cannot mirror,
/// shadowed memory reached through references it does not follow or handed to calls, structural stores into
/// shadowed memory, active values in static fields, and reverse-mode shadow allocations it cannot keep.
/// </summary>
public static class MemorySupportCheck
{
    /// <summary>
    /// The shadowed parameters' types alone (AD2201, AD2205): checked before anything in the body is, since a
    /// parameter of a type the weaver cannot shadow is the root of whatever its uses would report.
    /// </summary>
    public static void CheckRoots(IrMethod primal, ShadowedMemory memory)
    {
        foreach (var parameter in memory.Roots)
        {
            if (DifferentiableStruct.Is(parameter.Type))
            {
                if (parameter.Uses.Any(use => use.User.Opcode != Opcode.LoadField))
                    throw DifferentiationErrors.UnsupportedValue(parameter.Type, parameter.Name ?? "this", primal);
            }
            else if (!IsShadowable(parameter.Type))
            {
                throw DifferentiationErrors.ShadowedReference(parameter, primal);
            }
        }
    }

    public static void Run(IrMethod primal, DifferentiationRequest request, ActivityAnalysis activity, ShadowedMemory memory)
    {
        KeptConstructors.Check(primal, activity, memory);
        // A span cannot be recorded in a ShadowMap: a stackalloc's shadow is kept only where it runs once before every return.
        if (request.Mode == DerivativeMode.Reverse
            && ShadowMaps.AllocationsNotKept(primal, memory).FirstOrDefault(a => a.Opcode == Opcode.StackSlot) is { } repeated)
            throw DifferentiationErrors.StackAllocationInLoop(ShadowMaps.AllocatingInstruction(repeated), primal);
        foreach (var instruction in primal.Blocks.SelectMany(b => b.Instructions))
        {
            if (memory.AccessOf(instruction) != null)
                continue;
            if (instruction.Opcode is Opcode.Store or Opcode.StoreElement or Opcode.StoreField
                && memory.Contains(instruction.Operands[0]) && ShadowedMemory.IsPointer(instruction.Operands[instruction.Operands.Count - 1].Type)
                && !memory.IsStructureStore(instruction))
                throw DifferentiationErrors.ShadowStructureChanged(instruction, primal);
            if (MemoryAccess.Of(instruction) is { } access && ReachesShadowedMemory(access.Pointer, memory))
                throw DifferentiationErrors.LostShadow(instruction, primal);
            // A shadowed reference kept in memory without a shadow (a Const array's element): reading it back would lose its shadow.
            if (instruction.Opcode is Opcode.StoreElement or Opcode.StoreField
                && !memory.Contains(instruction.Operands[0]) && memory.Contains(instruction.Operands[instruction.Operands.Count - 1]))
                throw DifferentiationErrors.LostShadow(instruction, primal);
            // Calls taking shadowed memory are differentiated through the callee: forward always (Calls.CallTangents),
            // reverse when the callee only reads memory (Calls.CallAdjoints recomputes it).
            if (IsCallTakingShadowedMemory(instruction, memory) && !Calls.ShadowedCalls.AreDifferentiable(instruction, memory, request.Mode, primal.Module))
                throw DifferentiationErrors.ShadowPassedToCall(instruction, primal);
            if (instruction.Opcode == Opcode.StoreStaticField && instruction.Operands.Any(activity.IsVaried))
                throw DifferentiationErrors.ActiveStaticField(instruction, primal);
        }
    }

    /// <summary>Calls that may read or write shadowed memory: all but shape queries and the element accessors the memory support mirrors.</summary>
    private static bool IsCallTakingShadowedMemory(Instruction instruction, ShadowedMemory memory) =>
        instruction.Opcode is Opcode.Call or Opcode.CallVirtual or Opcode.NewObject
        && MemoryAccess.ArrayMethod(instruction) is not { Name: "Address" }
        && !ShadowedMemory.IsSpanIndexer(instruction)
        && !ShadowedMemory.ReadsOnlyShape(instruction)
        && !Bcl.ShadowMirrors.IsMirrored(instruction, memory)
        && instruction.Operands.Any(memory.Contains);

    /// <summary>
    /// Arrays (any rank, jagged at any depth) and references of float, double, structs of those (read through
    /// field addresses) or objects; spans of float, double or structs of them; class instances.
    /// </summary>
    private static bool IsShadowable(TypeReference type) => type switch
    {
        GenericInstanceType span when ShadowedMemory.IsSpan(span) => IsFloatingOrStructOfThem(span.GenericArguments[0]),
        ArrayType array => IsShadowable(array.ElementType) || IsFloatingOrStructOfThem(array.ElementType),
        ByReferenceType reference => IsFloatingOrStructOfThem(reference.ElementType),
        _ => ShadowedMemory.IsPointer(type),
    };

    private static bool IsFloating(TypeReference type) => type.MetadataType is MetadataType.Double or MetadataType.Single;

    private static bool IsFloatingOrStructOfThem(TypeReference type) => IsFloating(type) || DifferentiableStruct.Is(type);

    /// <summary>
    /// True when a pointer the analysis does not follow (a phi of arrays, a local holding one, …) is built from
    /// shadowed memory: its loads and stores would silently lose their derivatives.
    /// </summary>
    private static bool ReachesShadowedMemory(Value pointer, ShadowedMemory memory) =>
        ValueFlow.Reach(new[] { pointer }, value => value is Instruction instruction ? instruction.Operands.Where(IsPointer).Concat(StoredInto(instruction)) : Enumerable.Empty<Value>())
            .Any(value => memory.Contains(value) || value is Parameter parameter && memory.Roots.Contains(parameter));

    // A stack slot's contents come from the stores into it, which are not its operands.
    private static IEnumerable<Value> StoredInto(Instruction instruction) => instruction.Opcode == Opcode.StackSlot
        ? instruction.Uses.Select(use => use.User).Where(user => user.Opcode == Opcode.Store && user.Operands[0] == instruction).Select(store => store.Operands[1])
        : Enumerable.Empty<Value>();

    private static bool IsPointer(Value value) => ShadowedMemory.IsPointer(value.Type);
}
