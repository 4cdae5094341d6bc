using System;
using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Analysis;
using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Memory;

/// <summary>
/// Reads and writes of shadow memory, mirroring a primal access: the shadow of an array parameter is its
/// shadow parameter, the shadow of <c>a[i]</c> is <c>da[i]</c> (of <c>a[i, j]</c>, <c>da[i, j]</c>), the shadow
/// of a jagged <c>a[i][j]</c> is <c>da[i][j]</c>, the shadow of <c>s[i]</c> on a span is <c>ds[i]</c>, the shadow of <c>o.F</c> is <c>do.F</c> (for a struct value passed Active
/// in reverse mode, a field of its adjoint struct), the shadow of an array the method allocates is a
/// zeroed array allocated alongside, and the shadow of a <c>ref</c> parameter is its shadow
/// reference (Enzyme's shadow pointers), the shadow of a phi of references a phi of their shadows. Indices come
/// from <c>available</c>: the copies in forward mode, taped values in reverse. References the reverse sweep cannot
/// rebuild from a parameter (phis, allocations in loops, reads from a structure the primal changes) have their
/// shadows recorded in a <see cref="ShadowMaps">ShadowMap</see> by the forward sweep and looked up from the taped reference.
/// </summary>
public sealed class ShadowMemory
{
    private readonly DerivativeFrame frame;
    private readonly Dictionary<(Parameter, int), Instruction> spanSlots = new();
    private readonly Dictionary<(Instruction, int), Instruction> shadowAllocations = new();
    private readonly Dictionary<(Parameter, int), Instruction> structAdjoints = new();
    private readonly Instruction[] returnShadows;
    private readonly Dictionary<(Instruction, int), Instruction> shadowPhis = new();
    private readonly Instruction[] shadowMaps;
    private readonly HashSet<Instruction> mappedAllocations;
    private readonly HashSet<Instruction> recordedLoads;
    private readonly HigherOrder.CursorTapeShadows cursorTapes;
    private bool buildingForwardSweep;

    /// <summary>
    /// Gives each shadow span a slot at entry, as the frontend does for the primal span it indexes, and allocates
    /// a zeroed shadow array right after each shadowed allocation.
    /// </summary>
    public ShadowMemory(DerivativeFrame frame, ShadowedMemory shadowed)
    {
        this.frame = frame;
        Shadowed = shadowed;
        cursorTapes = new HigherOrder.CursorTapeShadows(frame);
        var reverse = frame.Request.Mode == Loading.DerivativeMode.Reverse;
        // Reverse mode gives a cursor tape's storage its adjoints in the reverse sweep alone (HigherOrder.TapeAdjointSweep).
        var phis = frame.Primal.Blocks.SelectMany(b => b.Phis)
            .Where(p => ShadowedMemory.IsPointer(p.Type) && shadowed.Contains(p) && !(reverse && HigherOrder.TapeAdjointSweep.TapeOfStorage(p) != null)).ToList();
        mappedAllocations = reverse ? ShadowMaps.AllocationsNotKept(frame.Primal, shadowed) : new HashSet<Instruction>();
        var primalInstructions = frame.Primal.Blocks.SelectMany(b => b.Instructions).ToList();
        var structureStores = reverse ? primalInstructions.Where(shadowed.IsStructureStore).ToList() : new List<Instruction>();
        // When the primal changes the structure, the reverse sweep cannot re-read references from it: each one
        // read from shadowed memory has its shadow recorded when read.
        recordedLoads = new HashSet<Instruction>(structureStores.Count == 0
            ? Enumerable.Empty<Instruction>()
            : primalInstructions.Where(i => i.Opcode is Opcode.LoadElement or Opcode.LoadField && ShadowedMemory.IsPointer(i.Type) && shadowed.Contains(i)));
        shadowMaps = reverse && (phis.Count > 0 || mappedAllocations.Count > 0 || recordedLoads.Count > 0)
            ? Enumerable.Range(0, frame.Width).Select(_ => ShadowMaps.Create(frame.Method)).ToArray()
            : System.Array.Empty<Instruction>();
        foreach (var allocation in shadowed.Allocations.Where(a => a.Opcode == Opcode.StackSlot))
        {
            for (var lane = 0; lane < frame.Width; lane++)
                shadowAllocations[(allocation, lane)] = ShadowAllocations.IsScalarCell(allocation) ? ScalarCellShadow(allocation) : StackAllocateShadow(allocation);
        }
        foreach (var allocation in shadowed.Allocations.Where(a => a.Opcode != Opcode.StackSlot && !(reverse && HigherOrder.CursorTapeShadows.IsStorage(a))))
        {
            var copy = frame.Copy.Map(allocation);
            var builder = new IrBuilder(frame.Method).Before(copy.Block!.Instructions[copy.Block.Instructions.IndexOf(copy) + 1]);
            builder.DebugLocation = allocation.DebugLocation;
            for (var lane = 0; lane < frame.Width; lane++)
            {
                shadowAllocations[(allocation, lane)] = allocation.Opcode == Opcode.NewArray
                    ? builder.NewArray(allocation.TypeOperand!, copy.Operands[0])
                    : HigherOrder.CursorTapeShadows.IsStorage(allocation)
                    ? cursorTapes.Shadow(builder, allocation, lane)
                    : ShadowAllocations.IsUninitializedObject(allocation)
                    ? builder.Call((MethodReference)allocation.Member!, allocation.Type, copy.Operands.ToArray())
                    : allocation.Opcode is Opcode.Call or Opcode.CallVirtual
                    ? Calls.ReturnedShadows.Placeholder(builder, copy, lane, frame.Width)
                    : builder.NewObject((MethodReference)allocation.Member!, copy.Operands.ToArray());
                if (mappedAllocations.Contains(allocation))
                    ShadowMaps.Record(builder, shadowMaps[lane], copy, shadowAllocations[(allocation, lane)]);
            }
        }
        if (reverse)
        {
            // The reverse sweep meets these references again in another execution order: the forward sweep records
            // each one's shadow, which the reverse sweep looks up from the taped primal reference.
            buildingForwardSweep = true;
            foreach (var phi in phis)
            {
                for (var lane = 0; lane < frame.Width; lane++)
                {
                    var shadow = ShadowPhi(phi, lane, frame.Copy.Map);
                    var after = new IrBuilder(frame.Method).AfterPhis(shadow.Block!);
                    ShadowMaps.Record(after, shadowMaps[lane], frame.Copy.Map(phi), shadow);
                }
            }
            foreach (var load in recordedLoads)
                AfterCopyOf(load, lane => ShadowMaps.Record(Builder, shadowMaps[lane], frame.Copy.Map(load), Pointer(load, lane, frame.Copy.Map)));
            foreach (var store in structureStores)
                AfterCopyOf(store, lane => StoreStructure(store, lane, frame.Copy.Map));
            buildingForwardSweep = false;
        }
        foreach (var value in shadowed.Roots.Where(p => frame.Shadow(p.Index, 0) == null))
        {
            // An Active struct in reverse mode: its adjoint accumulates field by field in a zeroed slot.
            for (var lane = 0; lane < frame.Width; lane++)
                structAdjoints[(value, lane)] = ZeroedSlot(frame, value.Type, "d" + value.Name);
        }
        // A returned struct's shadow: the tangent forward mode returns, or the seed reverse mode starts from.
        returnShadows = shadowed.ReturnSlot is { } returned
            ? Enumerable.Range(0, frame.Width).Select(_ => ZeroedSlot(frame, returned.TypeOperand!, "dreturned")).ToArray()
            : System.Array.Empty<Instruction>();
        foreach (var span in shadowed.Roots.Where(p => ShadowedMemory.IsSpan(p.Type)))
        {
            for (var lane = 0; lane < frame.Width; lane++)
            {
                var shadow = frame.Shadow(span.Index, lane)!;
                var slot = frame.Builder.StackSlot(shadow.Type, shadow.Name);
                Reverse.SlotAdjoints.EntryBuilder(frame.Method).Store(slot, shadow, shadow.Type);
                spanSlots[(span, lane)] = slot;
            }
        }
    }

    public ShadowedMemory Shadowed { get; }

    /// <summary>Reverse mode: the maps (one per lane) recording shadows the reverse sweep looks up; empty when nothing is looked up.</summary>
    public IReadOnlyList<Instruction> Maps => shadowMaps;

    /// <summary>The shadow allocated alongside <paramref name="allocation"/> (one of <see cref="ShadowedMemory.Allocations"/>) in the forward sweep.</summary>
    public Value AllocationShadow(Instruction allocation, int lane) => shadowAllocations[(allocation, lane)];

    // Emits, per lane, right after the forward sweep's copy of a primal instruction.
    private void AfterCopyOf(Instruction primal, Action<int> emit)
    {
        var copy = frame.Copy.Map(primal);
        for (var lane = 0; lane < frame.Width; lane++)
        {
            detour = new IrBuilder(frame.Method).Before(copy.Block!.Instructions[copy.Block.Instructions.IndexOf(copy) + 1]);
            detour.DebugLocation = primal.DebugLocation;
            emit(lane);
        }
        detour = null;
    }

    /// <summary>
    /// The shadow of a stackalloc'd span: a stackalloc of the same size right after the primal's, cleared (a method
    /// may skip zeroing its locals), in a local of its own that the reverse sweep reads directly.
    /// </summary>
    private Instruction StackAllocateShadow(Instruction slot)
    {
        var construction = frame.Copy.Map(ShadowAllocations.StackAllocation(slot)!);
        var size = ((Instruction)construction.Operands[0]).Operands[0];
        var builder = new IrBuilder(frame.Method).Before(construction.Block!.Instructions[construction.Block.Instructions.IndexOf(construction) + 1]);
        builder.DebugLocation = construction.DebugLocation;
        var memory = builder.Emit(Opcode.LocalAlloc, construction.Operands[0].Type, size);
        var span = builder.NewObject((MethodReference)construction.Member!, new[] { memory, construction.Operands[1] });
        var shadowSlot = builder.StackSlot(span.Type, "d" + slot.Name);
        builder.Store(shadowSlot, span, span.Type);
        var spanType = (GenericInstanceType)span.Type;
        builder.Call(new MethodReference("Clear", frame.Method.Types.Void, spanType) { HasThis = true }, frame.Method.Types.Void, new Value[] { shadowSlot });
        return shadowSlot;
    }

    /// <summary>
    /// The shadow of a <c>float</c>/<c>double</c> local whose address is taken: a local of its own, zeroed at entry — its
    /// tangent in forward mode, its adjoint in reverse mode (Enzyme's shadow <c>alloca</c>).
    /// </summary>
    private Instruction ScalarCellShadow(Instruction slot)
    {
        var type = slot.TypeOperand!;
        var shadow = frame.Builder.StackSlot(type, "d" + slot.Name);
        Reverse.SlotAdjoints.EntryBuilder(frame.Method).Store(shadow, frame.Method.Float(type, 0), type);
        return shadow;
    }

    private static Instruction ZeroedSlot(DerivativeFrame frame, TypeReference type, string name)
    {
        var slot = frame.Builder.StackSlot(type, name);
        Reverse.SlotAdjoints.EntryBuilder(frame.Method).Emit(Opcode.InitObject, frame.Method.Types.Void, slot).TypeOperand = type;
        return slot;
    }

    /// <summary>
    /// The tangent of a returned struct in one lane (forward mode), read from the return slot's shadow; null when
    /// <paramref name="returned"/> is not the return slot's value.
    /// </summary>
    public Value? ReturnedTangent(Value returned, int lane) =>
        Shadowed.ReturnSlot is { } slot && returned is Instruction { Opcode: Opcode.Load } load && load.Operands[0] == slot
            ? Builder.Load(returnShadows[lane], slot.TypeOperand!)
            : null;

    /// <summary>Reverse mode: the seed of a returned struct goes into the return slot's shadow, whose stores then hand it to the leaves.</summary>
    public void SeedReturnedStruct(int lane, Value seed)
    {
        if (Shadowed.ReturnSlot is { } slot)
            Builder.Store(returnShadows[lane], seed, slot.TypeOperand!);
    }

    private IrBuilder? detour;

    private IrBuilder Builder => detour ?? frame.Builder;

    /// <summary>The gradient of an Active struct parameter (its adjoint struct), or null for other parameters.</summary>
    public Value? Gradient(Parameter parameter, int lane) =>
        structAdjoints.TryGetValue((parameter, lane), out var slot) ? Builder.Load(slot, parameter.Type) : null;

    /// <summary>The primal values (indices, references looked up) rebuilding <paramref name="access"/>'s shadow pointer reads.</summary>
    public IEnumerable<Value> AddressInputs(MemoryAccess access) => access.Indices.Concat(PointerInputs(access.Pointer));

    /// <summary>The primal values (indices, references looked up) rebuilding the shadow of <paramref name="pointer"/> reads.</summary>
    public IEnumerable<Value> PointerInputs(Value pointer)
    {
        var inputs = new List<Value>();
        while (pointer is Instruction instruction && ShadowedMemory.IsStep(instruction) && !recordedLoads.Contains(instruction))
        {
            inputs.AddRange(instruction.Operands.Skip(1));
            pointer = instruction.Operands[0];
        }
        // A reference chosen at run time, allocated here, or read from a changing structure: the reverse sweep looks its shadow up from it.
        if (pointer is Instruction { Opcode: Opcode.Phi or Opcode.NewArray or Opcode.NewObject } || pointer is Instruction recorded && (recordedLoads.Contains(recorded) || mappedAllocations.Contains(recorded))
            || pointer is Instruction uninitialized && ShadowAllocations.IsUninitializedObject(uninitialized)
            || pointer is Instruction storage && HigherOrder.CursorTapeShadows.IsStorage(storage))
            inputs.Add(pointer);
        return inputs;
    }

    /// <summary>The shadow of the value <paramref name="access"/> reads, in one lane.</summary>
    public Value Load(MemoryAccess access, int lane, Func<Value, Value> available)
    {
        var shadow = Pointer(access.Pointer, lane, available);
        var indices = access.Indices.Select(available).ToList();
        return access.Instruction.Opcode switch
        {
            Opcode.LoadElement => Builder.LoadElement(shadow, indices[0], access.ValueType),
            Opcode.Load => Builder.Load(shadow, access.ValueType),
            Opcode.LoadField => Builder.LoadResolvedField(shadow, access.Field!),
            _ => Builder.Call(MemoryAccess.ArrayMethod(access.Instruction)!, access.ValueType, indices.Prepend(shadow).ToList()),
        };
    }

    /// <summary>Overwrites the shadow of the value <paramref name="access"/> writes with <paramref name="value"/>.</summary>
    public void Store(MemoryAccess access, int lane, Value value, Func<Value, Value> available)
    {
        value = DerivativeArithmetic.Coerce(Builder, value, access.ValueType);
        var shadow = Pointer(access.Pointer, lane, available);
        var indices = access.Indices.Select(available).ToList();
        switch (access.Instruction.Opcode)
        {
            case Opcode.StoreElement:
                Builder.StoreElement(shadow, indices[0], value, access.ValueType);
                break;
            case Opcode.Store:
                Builder.Store(shadow, value, access.ValueType);
                break;
            case Opcode.StoreField:
                Builder.StoreField(shadow, access.Field!, value);
                break;
            default:
                Builder.Call(MemoryAccess.ArrayMethod(access.Instruction)!, Builder.Types.Void, indices.Prepend(shadow).Append(value).ToList());
                break;
        }
    }

    /// <summary>Forward mode: the shadow of an array or object stored into shadowed memory goes into the shadow memory.</summary>
    public void StoreStructure(Instruction store, int lane, Func<Value, Value> available)
    {
        var shadow = Pointer(store.Operands[0], lane, available);
        var stored = Pointer(store.Operands[store.Operands.Count - 1], lane, available);
        switch (store.Opcode)
        {
            case Opcode.StoreField:
                Builder.StoreField(shadow, (FieldReference)store.Member!, stored);
                break;
            case Opcode.StoreElement:
                Builder.StoreElement(shadow, available(store.Operands[1]), stored, store.TypeOperand!);
                break;
            default:
                Builder.Store(shadow, stored, store.TypeOperand!);
                break;
        }
    }

    /// <summary>shadow += <paramref name="contribution"/> through one address (<c>ref double d = ref da[i]; d += c</c>).</summary>
    public void Add(MemoryAccess access, int lane, Value contribution, Func<Value, Value> available)
    {
        var address = Address(access, lane, available);
        var sum = Builder.Add(Builder.Load(address, access.ValueType), DerivativeArithmetic.Coerce(Builder, contribution, access.ValueType));
        Builder.Store(address, sum, access.ValueType);
    }

    /// <summary>Reads the shadow (a consumed seed) and zeroes it through one address: the reverse of a store.</summary>
    public Value Take(MemoryAccess access, int lane, Func<Value, Value> available)
    {
        var address = Address(access, lane, available);
        var value = Builder.Load(address, access.ValueType);
        Builder.Store(address, DerivativeArithmetic.Zero(Builder, access.ValueType), access.ValueType);
        return value;
    }

    private Value Address(MemoryAccess access, int lane, Func<Value, Value> available)
    {
        var shadow = Pointer(access.Pointer, lane, available);
        var indices = access.Indices.Select(available).ToList();
        return access.Instruction.Opcode switch
        {
            Opcode.LoadElement or Opcode.StoreElement => Builder.ElementAddress(shadow, indices[0], access.ValueType),
            Opcode.Load or Opcode.Store => shadow,
            Opcode.LoadField or Opcode.StoreField => Builder.ResolvedFieldAddress(shadow, access.Field!),
            _ => Builder.Call(AddressMethod((ArrayType)MemoryAccess.ArrayMethod(access.Instruction)!.DeclaringType), IrTypes.ByReference(access.ValueType), indices.Prepend(shadow).ToList()),
        };
    }

    /// <summary>The runtime-provided <c>T&amp; T[,…]::Address(int, …)</c> of a multi-dimensional array type.</summary>
    private static MethodReference AddressMethod(ArrayType array)
    {
        var method = new MethodReference("Address", IrTypes.ByReference(array.ElementType), array) { HasThis = true };
        for (var i = 0; i < array.Rank; i++)
            method.Parameters.Add(new ParameterDefinition(array.Module.TypeSystem.Int32));
        return method;
    }

    /// <summary>The shadow of a shadowed reference passed to a call (a parameter, <c>t.Left</c>), in one lane.</summary>
    public Value ShadowOf(Value primal, int lane, Func<Value, Value> available) => Pointer(primal, lane, available);

    private Value Pointer(Value primal, int lane, Func<Value, Value> available)
    {
        if (primal is Parameter parameter)
        {
            if (structAdjoints.TryGetValue((parameter, lane), out var adjoint))
                return adjoint;
            return frame.Shadow(parameter.Index, lane)
                ?? throw new InvalidOperationException($"Parameter {parameter.Name} is shadowed memory but has no shadow parameter.");
        }
        if (primal is Constant { Payload: null } nothing)
            return nothing;
        var step = (Instruction)primal;
        if (frame.Request.Mode == Loading.DerivativeMode.Reverse && HigherOrder.TapeAdjointSweep.TapeOfStorage(step) != null)
            return HigherOrder.TapeAdjointSweep.Of(frame).StorageAdjoints(Builder, step, lane, available);
        if (step.Opcode == Opcode.Phi)
            return shadowMaps.Length > 0 && !buildingForwardSweep ? ShadowMaps.Lookup(Builder, shadowMaps[lane], available(step)) : ShadowPhi(step, lane, available);
        if (step.Opcode == Opcode.StackSlot)
            return step == Shadowed.ReturnSlot ? returnShadows[lane] : Shadowed.SpanOf(step) is { } span ? spanSlots[(span, lane)] : shadowAllocations[(step, lane)];
        if (step.Opcode is Opcode.NewArray or Opcode.NewObject || ShadowAllocations.IsUninitializedObject(step) || IsReturnedArray(step))
            return mappedAllocations.Contains(step) && !buildingForwardSweep ? ShadowMaps.Lookup(Builder, shadowMaps[lane], available(step)) : shadowAllocations[(step, lane)];
        if (HigherOrder.CursorTapeShadows.IsStorage(step))
            return shadowAllocations[(step, lane)];
        if (recordedLoads.Contains(step) && !buildingForwardSweep)
            return ShadowMaps.Lookup(Builder, shadowMaps[lane], available(step));
        var shadow = Pointer(step.Operands[0], lane, available);
        var indices = step.Operands.Skip(1).Select(available).ToList();
        return step.Opcode switch
        {
            Opcode.ElementAddress => Builder.ElementAddress(shadow, indices[0], step.TypeOperand!),
            Opcode.LoadElement => Builder.LoadElement(shadow, indices[0], step.TypeOperand!),
            Opcode.FieldAddress => Builder.ResolvedFieldAddress(shadow, (FieldReference)step.Member!),
            // A nested struct of an Active struct parameter: in reverse mode its shadow is a field of the adjoint slot.
            Opcode.LoadField when shadow.Type.IsByReference && step.Type.IsValueType => Builder.ResolvedFieldAddress(shadow, (FieldReference)step.Member!),
            Opcode.LoadField => Builder.LoadResolvedField(shadow, (FieldReference)step.Member!),
            _ when ShadowedMemory.IsTypeTest(step) => TypeTest(step, shadow),
            _ when ShadowedMemory.IsSpanIndexer(step) => Builder.Call(SpanIndexer(shadow), step.Type, indices.Prepend(shadow).ToList()),
            _ => Builder.Call((MethodReference)step.Member!, step.Type, indices.Prepend(shadow).ToList()),
        };
    }

    // An array a differentiated call returned, whose shadow the call handed back (Calls.ReturnedShadows).
    private bool IsReturnedArray(Instruction step) =>
        step.Opcode is Opcode.Call or Opcode.CallVirtual && Shadowed.Allocations.Contains(step) && !HigherOrder.CursorTapeShadows.IsStorage(step);

    private Instruction TypeTest(Instruction test, Value shadow)
    {
        var cast = Builder.Emit(test.Opcode, test.Type, shadow);
        cast.TypeOperand = test.TypeOperand;
        return cast;
    }

    /// <summary>
    /// The shadow of a phi of references is a phi of their shadows (Enzyme's shadow phi), each
    /// incoming shadow built at the end of its predecessor; made once, before its incoming values, so cycles close.
    /// </summary>
    private Instruction ShadowPhi(Instruction phi, int lane, Func<Value, Value> available)
    {
        if (shadowPhis.TryGetValue((phi, lane), out var known))
            return known;
        var copy = frame.Copy.Map(phi);
        // The frame's builder keeps its position when a phi lands in its block.
        var shadow = frame.Builder.Phi(copy.Block!, phi.Type);
        shadowPhis[(phi, lane)] = shadow;
        // Incoming shadows are built with a builder of their own: the frame's stays where the access being
        // differentiated is (inserting before a terminator never moves that position).
        var outer = detour;
        detour = new IrBuilder(frame.Method);
        for (var i = 0; i < phi.Operands.Count; i++)
        {
            var predecessor = frame.Copy.Map(phi.Targets[i]);
            detour.Before(predecessor.Terminator!);
            shadow.AddPhiIncoming(predecessor, Pointer(phi.Operands[i], lane, available));
        }
        detour = outer;
        // A phi just placed in the outer detour's block moved what it was inserting before: back before the terminator.
        outer?.Before(outer.Block.Terminator!);
        return shadow;
    }

    /// <summary><c>ref T Span&lt;T&gt;.this[int]</c> of the shadow span in <paramref name="slot"/> (a shadow of a ReadOnlySpan is a Span).</summary>
    private static MethodReference SpanIndexer(Value slot)
    {
        var span = (GenericInstanceType)((ByReferenceType)slot.Type).ElementType;
        // A reference read from metadata may not declare the open type's parameter that !0 names.
        var open = span.ElementType;
        if (open.GenericParameters.Count == 0)
            open.GenericParameters.Add(new GenericParameter(open));
        var indexer = new MethodReference("get_Item", new ByReferenceType(open.GenericParameters[0]), span) { HasThis = true };
        indexer.Parameters.Add(new ParameterDefinition(span.Module.TypeSystem.Int32));
        return indexer;
    }
}
