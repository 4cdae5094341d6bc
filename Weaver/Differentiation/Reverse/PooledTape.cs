using System;
using System.Linq;
using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Reverse;

/// <summary>
/// A tape for code with loops: an <c>Autodiff.Runtime.Tape&lt;T&gt;</c> rented on entry to each derivative
/// call from a per-thread pool and returned on its exit, so concurrent and recursive calls never share one
/// and a steady-state call allocates nothing (see the runtime type's remarks).
/// </summary>
public sealed class PooledTape : IValueTape
{
    private readonly Value tape;
    private readonly GenericInstanceType tapeType;
    private readonly TypeReference type;

    /// <param name="entryBuilder">Positioned in the entry block, where the tape is rented.</param>
    public PooledTape(IrBuilder entryBuilder, TypeReference type)
        : this(entryBuilder.Method.Module, type, tape => entryBuilder.Call(tape.Method("Rent", tape.SelfType, false), tape.tapeType, Array.Empty<Value>()))
    {
    }

    /// <param name="storage">Emits the tape object this one pushes to and pops from (rented, or handed over by another method).</param>
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

    /// <summary>The element type's name, for the performance dump.</summary>
    public string TypeName { get; }

    public Block? PushBlock { get; private set; }

    public void Push(IrBuilder builder, Value value)
    {
        PushBlock = builder.Block;
        builder.Call(Method("Push", builder.Types.Void, true, Element), builder.Types.Void, new[] { tape, value });
    }

    public Value Peek(IrBuilder builder) =>
        builder.Call(Method("Peek", Element, true), type, new[] { tape });

    public void Pop(IrBuilder builder) =>
        builder.Call(Method("Pop", builder.Types.Void, true), builder.Types.Void, new[] { tape });

    /// <summary>Grows the tape once to hold <paramref name="additional"/> more values (a trip count known at loop entry).</summary>
    public void Reserve(IrBuilder builder, Value additional) =>
        builder.Call(Method("Reserve", builder.Types.Void, true, builder.Types.Int32), builder.Types.Void, new[] { tape, additional });

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
