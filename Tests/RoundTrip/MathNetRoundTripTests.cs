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
/// Round-trips every method of MathNet.Numerics, loads the result beside the original, and checks that a spread
/// of numerical routines give bit-identical answers.
/// </summary>
public sealed class MathNetRoundTripTests
{
    private sealed class RewrittenContext : AssemblyLoadContext
    {
        private readonly string directory;

        public RewrittenContext(string directory)
            : base("mathnet-roundtrip", isCollectible: true) => this.directory = directory;

        protected override Assembly? Load(AssemblyName name)
        {
            var candidate = Path.Combine(directory, name.Name + ".dll");
            return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
        }
    }

    [Test]
    public void RoundTrippedMathNetComputesTheSameBits()
    {
        var original = typeof(MathNet.Numerics.SpecialFunctions).Assembly;
        var watch = Stopwatch.StartNew();
        var originalBytes = File.ReadAllBytes(original.Location);
        var output = RoundTripModule.Run(originalBytes, null, Path.GetDirectoryName(original.Location));
        Assert.That(output.Assembly, Is.Not.EqualTo(originalBytes));
        TestContext.Out.WriteLine(output.Report.ToString());
        TestContext.Out.WriteLine($"round trip took {watch.Elapsed.TotalSeconds:F1} s");

        var directory = Path.Combine(Path.GetTempPath(), "autodiff-mathnet-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, Path.GetFileName(original.Location));
        File.WriteAllBytes(path, output.Assembly);
        var context = new RewrittenContext(directory);
        try
        {
            var rewritten = context.LoadFromAssemblyPath(path);
            var compiled = PrepareAllMethods(rewritten);
            TestContext.Out.WriteLine($"{compiled} methods JIT-compiled; {watch.Elapsed.TotalSeconds:F1} s");
            var calls = new MathNetCalls(original, rewritten);
            calls.CompareAll();
            TestContext.Out.WriteLine($"{calls.Compared} results compared bit for bit; total {watch.Elapsed.TotalSeconds:F1} s");
            Assert.That(calls.Compared, Is.GreaterThan(100));
        }
        finally
        {
            context.Unload();
        }
        Assert.That(output.Report.Accepted, Is.GreaterThan(0));
    }

    /// <summary>JIT-compiles every non-generic method with a body, so invalid IL fails even where no call reaches it.</summary>
    private static int PrepareAllMethods(Assembly assembly)
    {
        var count = 0;
        foreach (var type in assembly.GetTypes().Where(t => !t.ContainsGenericParameters))
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly).Cast<MethodBase>()
                         .Concat(type.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance)))
            {
                if (method.IsAbstract || method.ContainsGenericParameters || method.GetMethodBody() == null)
                    continue;
                RuntimeHelpers.PrepareMethod(method.MethodHandle);
                count++;
            }
        }
        return count;
    }
}
