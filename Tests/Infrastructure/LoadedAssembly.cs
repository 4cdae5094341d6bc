using System;
using System.IO;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace Autodiff.Tests.Infrastructure;

/// <summary>An assembly loaded from bytes into its own collectible load context; dispose to unload.</summary>
public sealed class LoadedAssembly : IDisposable
{
    private readonly AssemblyLoadContext context;

    public LoadedAssembly(byte[] assembly, byte[]? pdb = null)
    {
        context = new AssemblyLoadContext("autodiff-test-" + Guid.NewGuid().ToString("N"), isCollectible: true);
        Assembly = pdb == null
            ? context.LoadFromStream(new MemoryStream(assembly))
            : context.LoadFromStream(new MemoryStream(assembly), new MemoryStream(pdb));
    }

    public Assembly Assembly { get; }

    public Type Type(string fullName) =>
        Assembly.GetType(fullName, throwOnError: true)!;

    public MethodInfo Method(string typeName, string methodName) =>
        Type(typeName).GetMethod(methodName, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance)
        ?? throw new MissingMethodException(typeName, methodName);

    /// <summary>Invokes a static method, unwrapping the reflection wrapper around exceptions.</summary>
    public object? Invoke(string typeName, string methodName, params object?[] arguments)
    {
        try
        {
            return Method(typeName, methodName).Invoke(null, arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException != null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    /// <summary>JIT-compiles every method with a body, so invalid IL fails even where no test calls it.</summary>
    public void PrepareAllMethods()
    {
        foreach (var type in Assembly.GetTypes())
        {
            if (type.ContainsGenericParameters)
                continue;
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            {
                if (method.IsAbstract || method.ContainsGenericParameters || method.GetMethodBody() == null)
                    continue;
                RuntimeHelpers.PrepareMethod(method.MethodHandle);
            }
        }
    }

    public void Dispose() => context.Unload();
}
