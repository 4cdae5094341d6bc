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
/// Lifts MathNet's static numeric helpers (special functions, statistics, precision, combinatorics: real
/// code with loops, tables, branches and in-place array updates), runs the IR in the interpreter and
/// compares every result and array side effect with the compiled method, bit for bit.
/// </summary>
public sealed class MathNetDifferentialTests
{
    private static readonly Dictionary<MetadataType, object[]> Pools = new()
    {
        [MetadataType.Double] = new object[] { -2.5, -0.75, 0.3, 1.0, 1.7, 4.2, 12.5, 0.0 },
        [MetadataType.Int32] = new object[] { 0, 1, 3, 7, 2, 5 },
        [MetadataType.Boolean] = new object[] { true, false },
    };

    /// <summary>Static numeric helpers of MathNet: scalars and double arrays in, a scalar or nothing out.</summary>
    private static readonly string[] Types =
    {
        "MathNet.Numerics.SpecialFunctions",
        "MathNet.Numerics.Statistics.ArrayStatistics",
        "MathNet.Numerics.Statistics.SortedArrayStatistics",
        "MathNet.Numerics.Precision",
        "MathNet.Numerics.Euclid",
        "MathNet.Numerics.Combinatorics",
        "MathNet.Numerics.Trig",
    };

    [Test]
    public void NumericHelpersComputeTheSameThroughTheIr()
    {
        var assembly = typeof(MathNet.Numerics.SpecialFunctions).Assembly;
        using var module = CompiledModule.Read(assembly.Location);
        var candidates = Types.SelectMany(t => module.Module.GetType(t).Methods)
            .Where(m => m.IsPublic && m.IsStatic && m.HasBody && !m.HasGenericParameters && m.Parameters.Count is >= 1 and <= 3
                        && m.ReturnType.MetadataType is MetadataType.Double or MetadataType.Int32 or MetadataType.Boolean or MetadataType.Void
                        && m.Parameters.All(p => IsSupportedParameter(p.ParameterType)))
            .ToList();
        var interpreted = 0;
        var mismatches = new List<string>();
        foreach (var definition in candidates)
        {
            var lifted = MethodLifter.Lift(definition);
            IrVerifier.Check(lifted);
            var compiled = (MethodInfo)assembly.ManifestModule.ResolveMethod(definition.MetadataToken.ToInt32())!;
            var supported = true;
            for (var k = 0; k < 8 && supported; k++)
            {
                var arguments = definition.Parameters.Select((p, i) => Argument(p.ParameterType, k + 3 * i)).ToArray();
                var copies = arguments.Select(a => a is Array array ? array.Clone() : a).ToArray();
                var expected = Outcome(() => compiled.Invoke(null, arguments), arguments);
                try
                {
                    var actual = Outcome(() => new IrInterpreter(lifted, t => ResolveType(assembly, t)).Run(copies), copies);
                    if (actual != expected)
                        mismatches.Add($"{definition.FullName} at ({string.Join(", ", arguments.Select(Describe))}): compiled {expected}, IR {actual}");
                }
                catch (NotSupportedException)
                {
                    supported = false;
                }
            }
            if (supported)
                interpreted++;
        }

        TestContext.Out.WriteLine($"{interpreted} of {candidates.Count} MathNet methods interpreted, each at 8 points");
        Assert.That(mismatches, Is.Empty);
        Assert.That(interpreted, Is.GreaterThanOrEqualTo(50));
    }

    private static bool IsSupportedParameter(TypeReference type) =>
        Pools.ContainsKey(type.MetadataType) || type is ArrayType { IsVector: true, ElementType.MetadataType: MetadataType.Double };

    private static object Argument(TypeReference type, int k)
    {
        if (type is ArrayType)
            return Enumerable.Range(0, k % 6).Select(i => (double)Pools[MetadataType.Double][(i * 5 + k) % 8]).ToArray();
        var pool = Pools[type.MetadataType];
        return pool[k % pool.Length];
    }

    private static string Describe(object? argument) =>
        argument is double[] array ? "[" + string.Join(", ", array) + "]" : argument?.ToString() ?? "null";

    /// <summary>
    /// The result's bits and the arrays' contents afterwards, or the fact that the call threw (the
    /// exception types differ by design). Bools are compared as the 0/1 the IR computes.
    /// </summary>
    private static string Outcome(Func<object?> run, object?[] arguments)
    {
        try
        {
            var result = run() switch
            {
                double d => BitConverter.DoubleToInt64Bits(d).ToString(System.Globalization.CultureInfo.InvariantCulture),
                bool b => b ? "1" : "0",
                var other => other?.ToString() ?? "null",
            };
            return result + " " + string.Join(" ", arguments.OfType<double[]>().Select(Describe));
        }
        catch (Exception e) when (e is TargetInvocationException or InterpretedThrowException or ArgumentException or ArithmeticException
                                       or IndexOutOfRangeException or NullReferenceException or InvalidOperationException)
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
