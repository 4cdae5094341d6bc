using System;
using System.Linq;
using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Reverse;

/// <summary>
/// A tape for code with loops: an <c>Autodiff.Runtime.Tape&lt;T&gt;</c> rented on entry to each derivative
/// call from a per-thread pool and returned on its exit, so concurrent and recursive calls never share one
/// and a steady-state call allocates nothing (see the runtime type's remarks).
/// A tape pushed inside a counted loop is sized at the loop's entry (<see cref="TapeSizing"/>), so it is used as a
/// cursor: its array and count live in locals, a push is one store and an increment, a peek one load and a pop one
/// decrement, none touching the tape object (which the JIT cannot keep in registers). Other tapes call
/// Push/Peek/Pop, which grow as needed.
/// </summary>
public sealed class PooledTape : IValueTape
{
    private readonly Value tape;
    private readonly GenericInstanceType tapeType;
    private readonly TypeReference type;
    private readonly Instruction? items;
    private readonly Instruction? count;

    /// <param name="entryBuilder">Positioned in the entry block, where the tape is rented.</param>
    /// <param name="type">The element type.</param>
    /// <param name="sized">True when every push runs inside a counted loop, whose entry reserves room (<see cref="Reserve"/>).</param>
    public PooledTape(IrBuilder entryBuilder, TypeReference type, bool sized)
        : this(entryBuilder.Method.Module, type, tape => entryBuilder.Call(tape.Method("Rent", tape.SelfType, false), tape.tapeType, Array.Empty<Value>()))
    {
        if (!sized)
            return;
        var types = entryBuilder.Types;
        items = entryBuilder.StackSlot(new ArrayType(type), "tapeItems");
        count = entryBuilder.StackSlot(types.Int32, "tapeCount");
        entryBuilder.Store(count, entryBuilder.Method.Int32(0), types.Int32);
        entryBuilder.Store(items, BackingArray(entryBuilder, entryBuilder.Method.Int32(0), entryBuilder.Method.Int32(0)), items.TypeOperand!);
    }

    /// <param name="storage">
    /// Emits the tape object this one pushes to and pops from (rented, or handed over by another method). Such a tape
    /// is never a cursor: its count must live in the object to be handed over.
    /// </param>
    public PooledTape(ModuleDefinition module, TypeReference type, Func<PooledTape, Value> storage)
    {
        this.type = type;
        TypeName = type.Name;
        tapeType = TypeOf(module, type);
        tape = storage(this);
    }

    /// <summary><c>Autodiff.Runtime.Tape&lt;<paramref name="element"/>&gt;</c>.</summary>
    public static GenericInstanceType TypeOf(ModuleDefinition module, TypeReference element)
    {
        var open = new TypeReference("Autodiff.Runtime", "Tape`1", module, RuntimeAssembly(module));
        open.GenericParameters.Add(new GenericParameter(open));
        var instance = new GenericInstanceType(open);
        instance.GenericArguments.Add(element);
        return instance;
    }

    /// <summary>The tape object (a <see cref="StorageType"/>).</summary>
    public Value Storage => tape;

    public GenericInstanceType StorageType => tapeType;

    /// <summary>True when the array and count live in locals (see the remarks above).</summary>
    public bool IsCursor => items != null;

    /// <summary>The element type's name, for the performance dump.</summary>
    public string TypeName { get; }

    public Block? PushBlock { get; private set; }

    public void Push(IrBuilder builder, Value value)
    {
        PushBlock = builder.Block;
        if (items == null || count == null)
        {
            builder.Call(Method("Push", builder.Types.Void, true, Element), builder.Types.Void, new[] { tape, value });
            return;
        }
        var top = builder.Load(count, builder.Types.Int32);
        builder.StoreElement(builder.Load(items, items.TypeOperand!), top, value, type);
        builder.Store(count, builder.Add(top, builder.Method.Int32(1)), builder.Types.Int32);
    }

    public Value Peek(IrBuilder builder) =>
        items == null || count == null
            ? builder.Call(Method("Peek", Element, true), type, new[] { tape })
            : builder.LoadElement(builder.Load(items, items.TypeOperand!), builder.Sub(builder.Load(count, builder.Types.Int32), builder.Method.Int32(1)), type);

    public void Pop(IrBuilder builder)
    {
        if (items == null || count == null)
            builder.Call(Method("Pop", builder.Types.Void, true), builder.Types.Void, new[] { tape });
        else
            builder.Store(count, builder.Sub(builder.Load(count, builder.Types.Int32), builder.Method.Int32(1)), builder.Types.Int32);
    }

    /// <summary>Grows the tape once to hold <paramref name="additional"/> more values (a trip count known at loop entry).</summary>
    public void Reserve(IrBuilder builder, Value additional)
    {
        if (items == null || count == null)
            builder.Call(Method("Reserve", builder.Types.Void, true, builder.Types.Int32), builder.Types.Void, new[] { tape, additional });
        else
            builder.Store(items, BackingArray(builder, builder.Load(count, builder.Types.Int32), additional), items.TypeOperand!);
    }

    /// <summary><c>tape.Storage(count, additional)</c>: the backing array with room for the values to come.</summary>
    private Instruction BackingArray(IrBuilder builder, Value top, Value additional) =>
        builder.Call(
            Method("Storage", new ArrayType(Element), true, builder.Types.Int32, builder.Types.Int32), new ArrayType(type), new[] { tape, top, additional });

    public void Release(IrBuilder builder) =>
        builder.Call(Method("Return", builder.Types.Void, false, SelfType), builder.Types.Void, new[] { tape });

    /// <summary>The open type instantiated at its own <c>!0</c>, as Tape&lt;T&gt;'s static members take and return it.</summary>
    private GenericInstanceType SelfType
    {
        get
        {
            var self = new GenericInstanceType(tapeType.ElementType);
            self.GenericArguments.Add(Element);
            return self;
        }
    }

    /// <summary>The open type's <c>!0</c>, as Tape&lt;T&gt;'s members are declared.</summary>
    private TypeReference Element => tapeType.ElementType.GenericParameters[0];

    private MethodReference Method(string name, TypeReference returnType, bool hasThis, params TypeReference[] parameters)
    {
        var method = new MethodReference(name, returnType, tapeType) { HasThis = hasThis };
        foreach (var parameter in parameters)
            method.Parameters.Add(new ParameterDefinition(parameter));
        return method;
    }

    // A module with [Autodiff] requests references Autodiff.dll, which defines the attribute; a module built
    // in memory (tests) gets the reference added.
    private static IMetadataScope RuntimeAssembly(ModuleDefinition module)
    {
        var reference = module.AssemblyReferences.FirstOrDefault(r => r.Name == "Autodiff");
        if (reference == null)
        {
            reference = new AssemblyNameReference("Autodiff", new Version(0, 0, 0, 0));
            module.AssemblyReferences.Add(reference);
        }
        return reference;
    }
}
