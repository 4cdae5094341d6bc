using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Reverse;

/// <summary>
/// A tape for code with loops: a <c>List&lt;T&gt;</c> created on entry to each derivative call (so concurrent
/// and recursive calls never share it) and used as a stack.
/// </summary>
public sealed class ListTape : IValueTape
{
    private readonly Value list;
    private readonly GenericInstanceType listType;
    private readonly TypeReference type;

    /// <param name="entryBuilder">Positioned in the entry block, where the list is created.</param>
    public ListTape(IrBuilder entryBuilder, TypeReference type)
    {
        this.type = type;
        var types = entryBuilder.Types;
        var module = entryBuilder.Method.Module;
        var open = new TypeReference("System.Collections.Generic", "List`1", module, ListScope(module, types.Double.Scope));
        open.GenericParameters.Add(new GenericParameter(open));
        listType = new GenericInstanceType(open);
        listType.GenericArguments.Add(type);
        list = entryBuilder.NewObject(Method(".ctor", types.Void), System.Array.Empty<Value>());
    }

    public void Push(IrBuilder builder, Value value) =>
        builder.Call(Method("Add", builder.Types.Void, Element), builder.Types.Void, new[] { list, value });

    public Value Peek(IrBuilder builder) =>
        builder.Call(Method("get_Item", Element, builder.Types.Int32), type, new[] { list, Top(builder) });

    public void Pop(IrBuilder builder) =>
        builder.Call(Method("RemoveAt", builder.Types.Void, builder.Types.Int32), builder.Types.Void, new[] { list, Top(builder) });

    /// <summary>The open type's <c>!0</c>, as List&lt;T&gt;'s members are declared.</summary>
    private TypeReference Element => listType.ElementType.GenericParameters[0];

    private Value Top(IrBuilder builder)
    {
        var count = builder.Call(Method("get_Count", builder.Types.Int32), builder.Types.Int32, new[] { list });
        return builder.Sub(count, builder.Method.Int32(1));
    }

    /// <summary>
    /// Where List&lt;T&gt; is declared for code compiled against <paramref name="corlib"/>: .NET's reference assemblies
    /// declare it in System.Collections (System.Runtime does not forward it, so the JIT would fail to load it);
    /// mscorlib and netstandard declare it themselves.
    /// </summary>
    private static IMetadataScope ListScope(ModuleDefinition module, IMetadataScope corlib)
    {
        if (corlib is not AssemblyNameReference runtime || runtime.Name != "System.Runtime")
            return corlib;
        foreach (var reference in module.AssemblyReferences)
        {
            if (reference.Name == "System.Collections")
                return reference;
        }

        var collections = new AssemblyNameReference("System.Collections", runtime.Version) { PublicKeyToken = runtime.PublicKeyToken };
        module.AssemblyReferences.Add(collections);
        return collections;
    }

    private MethodReference Method(string name, TypeReference returnType, params TypeReference[] parameters)
    {
        var method = new MethodReference(name, returnType, listType) { HasThis = true };
        foreach (var parameter in parameters)
            method.Parameters.Add(new ParameterDefinition(parameter));
        return method;
    }
}
