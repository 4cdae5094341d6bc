using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Autodiff.Tests.Ir;
using Autodiff.Weaver.Frontend;
using Autodiff.Weaver.Ir;
using Mono.Cecil;
using NUnit.Framework;

namespace Autodiff.Tests.Frontend;

/// <summary>
/// Lifts MathNet's special functions (real numeric code with loops, tables and branches), runs the IR in
/// the interpreter and compares every result with the compiled method, bit for bit.
/// </summary>
public sealed class MathNetDifferentialTests
{
    private static readonly double[] Points = { -2.5, -0.75, 0.3, 1.0, 1.7, 4.2, 12.5 };

    [Test]
    public void SpecialFunctionsComputeTheSameThroughTheIr()
    {
        var assembly = typeof(MathNet.Numerics.SpecialFunctions).Assembly;
        using var module = CompiledModule.Read(assembly.Location);
        var candidates = module.Module.GetType("MathNet.Numerics.SpecialFunctions").Methods
            .Where(m => m.IsPublic && m.IsStatic && m.HasBody && m.ReturnType.MetadataType == MetadataType.Double
                        && m.Parameters.Count is 1 or 2 && m.Parameters.All(p => p.ParameterType.MetadataType == MetadataType.Double))
            .ToList();
        var interpreted = new List<string>();
        var mismatches = new List<string>();
        foreach (var definition in candidates)
        {
            var lifted = MethodLifter.Lift(definition);
            IrVerifier.Check(lifted);
            var compiled = assembly.GetType("MathNet.Numerics.SpecialFunctions")!.GetMethods()
                .Single(m => m.Name == definition.Name && m.GetParameters().Length == definition.Parameters.Count
                             && m.GetParameters().All(p => p.ParameterType == typeof(double)) && m.ReturnType == typeof(double)
                             && definition.Parameters.Select(p => p.Name).SequenceEqual(m.GetParameters().Select(p => p.Name)));
            var supported = true;
            foreach (var arguments in ArgumentsFor(definition.Parameters.Count))
            {
                var expected = Outcome(() => compiled.Invoke(null, arguments));
                string actual;
                try
                {
                    actual = Outcome(() => new IrInterpreter(lifted, t => ResolveType(assembly, t)).Run(arguments));
                }
                catch (NotSupportedException)
                {
                    supported = false;
                    break;
                }
                if (actual != expected)
                    mismatches.Add($"{definition.Name}({string.Join(", ", arguments)}): compiled {expected}, IR {actual}");
            }
            if (supported)
                interpreted.Add(definition.Name);
        }

        TestContext.Out.WriteLine($"{interpreted.Count} of {candidates.Count} special functions interpreted: {string.Join(", ", interpreted.Distinct())}");
        Assert.That(mismatches, Is.Empty);
        Assert.That(interpreted, Has.Count.GreaterThanOrEqualTo(10));
    }

    private static IEnumerable<object?[]> ArgumentsFor(int arity) => arity == 1
        ? Points.Select(x => new object?[] { x })
        : Points.SelectMany(x => Points.Where((_, i) => i % 2 == 0).Select(y => new object?[] { x, y }));

    /// <summary>The result's bits, or the fact that the call threw (the exception types differ by design).</summary>
    private static string Outcome(Func<object?> run)
    {
        try
        {
            var result = run();
            return result is double d ? BitConverter.DoubleToInt64Bits(d).ToString(System.Globalization.CultureInfo.InvariantCulture) : result?.ToString() ?? "null";
        }
        catch (Exception e) when (e is TargetInvocationException or InterpretedThrowException or ArgumentException or ArithmeticException)
        {
            return "throws";
        }
    }

    private static Type ResolveType(Assembly mathNet, TypeReference type)
    {
        var name = type.FullName.Replace('/', '+');
        return mathNet.GetType(name) ?? typeof(object).Assembly.GetType(name)
            ?? throw new NotSupportedException("type " + name);
    }
}
