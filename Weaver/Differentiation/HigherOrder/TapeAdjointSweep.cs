using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Autodiff.Weaver.Analysis;
using Autodiff.Weaver.Differentiation.Reverse;
using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.HigherOrder;

/// <summary>
/// Reverse mode over a woven reverse derivative (reverse over reverse): a value the inner derivative pushes on a tape
/// and reads back carries a derivative, so the outer reverse sweep treats each tape holding active values as memory
/// with a shadow, <c>Autodiff.Runtime.TapeAdjoints&lt;T&gt;</c> (Enzyme differentiates its own caches the same way).
/// Backwards, a growing tape's <c>Peek</c> adds the peeked value's adjoint to the shadow's top, <c>Pop</c> brings a
/// zero slot back, <c>Push</c> takes the top into the pushed value's adjoint; a cursor tape's storage, stored into and
/// loaded by index, has its adjoints at the same indices (<see cref="StorageAdjoints"/>), where the memory sweep adds at
/// each load and takes at each store. The shadow is rented where the sweep meets the tape's <c>Return</c> and returned
/// where it meets its <c>Rent</c>, in a stack slot per tape and lane.
/// </summary>
public sealed class TapeAdjointSweep
{
    private static readonly ConditionalWeakTable<DerivativeFrame, TapeAdjointSweep> Frames = new();

    private readonly DerivativeFrame frame;
    private readonly Dictionary<(Instruction Rent, int Lane), Instruction> slots = new();

    private TapeAdjointSweep(DerivativeFrame frame) => this.frame = frame;

    /// <summary>The tapes' shadows of one reverse derivative being built.</summary>
    public static TapeAdjointSweep Of(DerivativeFrame frame) => Frames.GetValue(frame, f => new TapeAdjointSweep(f));

    /// <summary>
    /// Whether the reverse sweep runs <paramref name="instruction"/> backwards here: an operation of a tape holding active
    /// values, pushed (the tape is active) or stored into its storage (that is shadowed memory).
    /// </summary>
    public static bool Applies(Instruction instruction, ActivityAnalysis activity, ShadowedMemory memory) =>
        TapeFlow.IsTapeOperation(instruction)
        && (TapeTangents.Applies(instruction, activity)
            || RentOf(instruction) is { } rent && rent.Uses.Any(u => CursorTapeShadows.IsStorage(u.User) && memory.Contains(u.User)));

    /// <summary>
    /// A reference to a cursor tape's storage: the array a <c>Storage</c> call returns, or a phi of such arrays of one
    /// tape (the local the storage lives in, replaced when it grows); null otherwise. Its <c>Rent</c> is returned.
    /// </summary>
    public static Instruction? TapeOfStorage(Value reference)
    {
        var origins = new HashSet<Value>();
        var work = new Stack<Value>(new[] { reference });
        var tapes = new HashSet<Instruction>();
        while (work.Count > 0)
        {
            var next = work.Pop();
            if (!origins.Add(next))
                continue;
            if (next is Instruction { Opcode: Opcode.Phi } phi)
            {
                foreach (var incoming in phi.Operands)
                    work.Push(incoming);
            }
            else if (next is Instruction storage && CursorTapeShadows.IsStorage(storage) && storage.Operands[0] is Instruction tape && IsRent(tape))
            {
                tapes.Add(tape);
            }
            else
            {
                return null;
            }
        }
        return tapes.Count == 1 ? tapes.Single() : null;
    }

    /// <summary>
    /// The adjoints of the cursor storage <paramref name="reference"/> in <paramref name="lane"/>, at the sweep's
    /// position: the tape's shadow covering the primal array's length (<paramref name="available"/> reloads it).
    /// </summary>
    public Value StorageAdjoints(IrBuilder builder, Value reference, int lane, Func<Value, Value> available)
    {
        var rent = TapeOfStorage(reference) ?? throw new InvalidOperationException($"{reference} is not a cursor tape's storage.");
        var length = builder.Convert(builder.ArrayLength(available(reference)), builder.Types.Int32);
        var type = (ArrayType)reference.Type;
        return builder.Call(Member(rent, "Elements", true, (t, _) => new TypeReference[] { new ArrayType(t), builder.Types.Int32 }), type, new Value[] { Shadow(builder, rent, lane), length });
    }

    /// <summary>Runs a tape operation backwards at the builder's position (the reverse sweep's), per lane.</summary>
    public void Emit(Instruction instruction, ActivityAnalysis activity, IAdjointAccumulator adjoints)
    {
        var builder = frame.Builder;
        var operation = TapeFlow.OperationOf(instruction);
        var rent = RentOf(instruction)
            ?? throw new InvalidOperationException($"The tape of {instruction} is not rented in the derivative differentiated here.");
        var element = ((GenericInstanceType)rent.Type).GenericArguments[0];
        for (var lane = 0; lane < frame.Width; lane++)
        {
            switch (operation)
            {
                case "Return":
                    builder.Store(Slot(rent, lane), builder.Call(Member(rent, "Rent", false, (_, self) => new TypeReference[] { self }), Self(rent), Array.Empty<Value>()), Self(rent));
                    break;
                case "Rent":
                    builder.Call(Member(rent, "Return", false, (_, self) => new[] { builder.Types.Void, self }), builder.Types.Void, new[] { Shadow(builder, rent, lane) });
                    break;
                case "Pop":
                    builder.Call(Member(rent, "Unpop", true, (_, _) => new[] { builder.Types.Void }), builder.Types.Void, new[] { Shadow(builder, rent, lane) });
                    break;
                case "Peek" when adjoints.Read(instruction, lane) is { } adjoint:
                    builder.Call(Member(rent, "AddToTop", true, (t, _) => new[] { builder.Types.Void, t }), builder.Types.Void,
                        new[] { Shadow(builder, rent, lane), DerivativeArithmetic.Coerce(builder, adjoint, element) });
                    break;
                case "Push":
                    // Taken whether or not the pushed value is active: the shadow's top must move with the tape's.
                    var taken = builder.Call(Member(rent, "Take", true, (t, _) => new[] { t }), element, new[] { Shadow(builder, rent, lane) });
                    if (activity.IsActive(instruction.Operands[1]))
                        adjoints.Add(instruction.Operands[1], lane, taken);
                    break;
            }
        }
    }

    // The Rent of the tape an operation works on, when the tape is that SSA value.
    private static Instruction? RentOf(Instruction operation) =>
        TapeFlow.OperationOf(operation) == "Rent" ? operation
        : operation.Operands.Count > 0 && operation.Operands[0] is Instruction tape && IsRent(tape) ? tape
        : null;

    private static bool IsRent(Instruction instruction) => TapeFlow.IsTapeOperation(instruction) && TapeFlow.OperationOf(instruction) == "Rent";

    private Value Shadow(IrBuilder builder, Instruction rent, int lane) => builder.Load(Slot(rent, lane), Self(rent));

    private Instruction Slot(Instruction rent, int lane)
    {
        if (!slots.TryGetValue((rent, lane), out var slot))
        {
            slot = frame.Builder.StackSlot(Self(rent), "tapeAdjoints");
            slots[(rent, lane)] = slot;
        }
        return slot;
    }

    // Autodiff.Runtime.TapeAdjoints<T> for the rented Tape<T>, in the same runtime assembly.
    private static GenericInstanceType Self(Instruction rent)
    {
        var tape = (GenericInstanceType)rent.Type;
        var open = new TypeReference("Autodiff.Runtime", "TapeAdjoints`1", tape.ElementType.Module, tape.ElementType.Scope);
        open.GenericParameters.Add(new GenericParameter(open));
        var instance = new GenericInstanceType(open);
        instance.GenericArguments.Add(tape.GenericArguments[0]);
        return instance;
    }

    /// <summary>
    /// A member of TapeAdjoints&lt;T&gt; as it is declared: its types in terms of the open type's <c>!0</c> (<paramref name="types"/>
    /// gets <c>!0</c> and <c>TapeAdjoints&lt;!0&gt;</c>, returns the return type followed by the parameter types).
    /// </summary>
    private static MethodReference Member(Instruction rent, string name, bool hasThis, Func<TypeReference, TypeReference, TypeReference[]> types)
    {
        var declaring = Self(rent);
        var element = declaring.ElementType.GenericParameters[0];
        var self = new GenericInstanceType(declaring.ElementType);
        self.GenericArguments.Add(element);
        var signature = types(element, self);
        var method = new MethodReference(name, signature[0], declaring) { HasThis = hasThis };
        foreach (var parameter in signature.Skip(1))
            method.Parameters.Add(new ParameterDefinition(parameter));
        return method;
    }
}
