using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using NUnit.Framework;

namespace Autodiff.Tests.RoundTrip;

/// <summary>
/// Round-trips real libraries of varied style (LINQ iterators, collections, regex engine, a JSON library, a
/// decompiler) and JIT-compiles every rewritten method: invalid IL anywhere fails the test.
/// </summary>
public sealed class LibraryRoundTripTests
{
    private sealed class IsolatedContext : AssemblyLoadContext
    {
        private readonly string directory;

        public IsolatedContext(string directory)
            : base("library-roundtrip", isCollectible: true) => this.directory = directory;

        protected override Assembly? Load(AssemblyName name)
        {
            var candidate = Path.Combine(directory, name.Name + ".dll");
            return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
        }
    }

    private static string[] Libraries() => new[]
    {
        typeof(Enumerable).Assembly.Location,
        typeof(System.Collections.Generic.SortedSet<>).Assembly.Location,
        typeof(System.Text.RegularExpressions.Regex).Assembly.Location,
        typeof(Newtonsoft.Json.JsonConvert).Assembly.Location,
        typeof(ICSharpCode.Decompiler.CSharp.CSharpDecompiler).Assembly.Location,
    };

    /// <summary>
    /// Generic code is compiled in its shared form: each type parameter instantiated with <c>object</c> where the
    /// constraints allow it; null when they do not.
    /// </summary>
    private static Type? Instantiate(Type type)
    {
        if (!type.ContainsGenericParameters)
            return type;
        try
        {
            return type.MakeGenericType(type.GetGenericArguments().Select(_ => typeof(object)).ToArray());
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static MethodBase? Instantiate(MethodBase method)
    {
        if (method is not MethodInfo { IsGenericMethodDefinition: true } generic)
            return method.ContainsGenericParameters ? null : method;
        try
        {
            return generic.MakeGenericMethod(generic.GetGenericArguments().Select(_ => typeof(object)).ToArray());
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    [TestCaseSource(nameof(Libraries))]
    public void EveryRewrittenMethodCompiles(string path)
    {
        var watch = Stopwatch.StartNew();
        var output = RoundTripModule.Run(File.ReadAllBytes(path), null, Path.GetDirectoryName(path));
        TestContext.Out.WriteLine($"{Path.GetFileName(path)}: {output.Report}");
        var directory = Path.Combine(Path.GetTempPath(), "autodiff-library-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var rewrittenPath = Path.Combine(directory, Path.GetFileName(path));
        File.WriteAllBytes(rewrittenPath, output.Assembly);
        var context = new IsolatedContext(directory);
        var failures = new System.Collections.Generic.List<string>();
        var compiled = 0;
        var skipped = 0;
        try
        {
            var assembly = context.LoadFromAssemblyPath(rewrittenPath);
            foreach (var type in assembly.GetTypes().Select(Instantiate).OfType<Type>())
            {
                foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly).Cast<MethodBase>()
                             .Concat(type.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance)))
                {
                    if (method.IsAbstract || method.GetMethodBody() == null || Instantiate(method) is not { } compilable)
                        continue;
                    try
                    {
                        RuntimeHelpers.PrepareMethod(compilable.MethodHandle, compilable.DeclaringType!.GenericTypeArguments.Select(t => t.TypeHandle).ToArray());
                        compiled++;
                    }
                    catch (Exception e) when (e is InvalidProgramException or BadImageFormatException)
                    {
                        failures.Add($"{type.FullName}::{method.Name}: {e.Message}");
                    }
                    catch (ArgumentException)
                    {
                        // The runtime rejects this shared instantiation (a generic method of a generic type); skip it.
                        skipped++;
                    }
                }
            }
        }
        finally
        {
            context.Unload();
        }
        TestContext.Out.WriteLine($"{compiled} methods JIT-compiled ({skipped} generic instantiations skipped) in {watch.Elapsed.TotalSeconds:F1} s");
        Assert.That(failures, Is.Empty, string.Join("\n", failures.Take(30)));
        Assert.That(compiled, Is.GreaterThan(100));
    }
}
