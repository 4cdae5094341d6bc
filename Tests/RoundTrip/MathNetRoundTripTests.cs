using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using NUnit.Framework;

namespace Autodiff.Tests.RoundTrip;

/// <summary>
/// Round-trips every method of MathNet.Numerics, loads the result beside the original, and checks that a spread
/// of numerical routines give bit-identical answers.
/// </summary>
public sealed class MathNetRoundTripTests
{
    [Test]
    public void RoundTrippedMathNetComputesTheSameBits()
    {
        var original = typeof(MathNet.Numerics.SpecialFunctions).Assembly;
        var watch = Stopwatch.StartNew();
        using var library = new RewrittenLibrary(original.Location);
        TestContext.Out.WriteLine(library.Report.ToString());
        TestContext.Out.WriteLine($"round trip took {watch.Elapsed.TotalSeconds:F1} s");
        Assert.That(library.Changed, Is.True);
        var compiled = PrepareAllMethods(library.Assembly);
        TestContext.Out.WriteLine($"{compiled} methods JIT-compiled; {watch.Elapsed.TotalSeconds:F1} s");
        var calls = new MathNetCalls(original, library.Assembly);
        calls.CompareAll();
        TestContext.Out.WriteLine($"{calls.Compared} results compared bit for bit; total {watch.Elapsed.TotalSeconds:F1} s");
        Assert.That(calls.Compared, Is.GreaterThan(100));
        Assert.That(library.Report.Accepted, Is.GreaterThan(0));
    }

    /// <summary>JIT-compiles every non-generic method with a body, so invalid IL fails even where no call reaches it.</summary>
    internal static int PrepareAllMethods(Assembly assembly)
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
