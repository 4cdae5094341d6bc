using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Autodiff.Tests.Frontend;
using Autodiff.Tests.Ir;
using Autodiff.Weaver.Frontend;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Optimization;
using Autodiff.Weaver.Pipeline;
using Mono.Cecil;
using NUnit.Framework;

namespace Autodiff.Tests.Optimization;

/// <summary>
/// MathNet's static numeric helpers (special functions, statistics, precision: real loops, tables and
/// branches), optimized by both presets with inlining, interpreted and compared bit for bit with the
/// compiled methods, array side effects included. NaNs compare as NaN whatever their sign and payload:
/// IEEE 754 leaves those unspecified for arithmetic results, and RyuJIT commutes operands, so compiled
/// code itself picks a different NaN than a straightforward evaluation (e.g. Trig.Cosh at NaN).
/// </summary>
public sealed class MathNetOptimizationTests
{
    private static readonly double[] Doubles = { -2.5, -0.75, 0.3, 1.0, 1.7, 4.2, 12.5, 0.0, -0.0, double.NaN };
    private static readonly int[] Integers = { 0, 1, 3, 7, 2, 5 };

    private static readonly string[] Types =
    {
        "MathNet.Numerics.SpecialFunctions",
        "MathNet.Numerics.Statistics.ArrayStatistics",
        "MathNet.Numerics.Precision",
        "MathNet.Numerics.Euclid",
        "MathNet.Numerics.Trig",
    };

    [Test]
    public void OptimizedNumericHelpersComputeTheSameAsCompiled()
    {
        var assembly = typeof(MathNet.Numerics.SpecialFunctions).Assembly;
        using var module = CompiledModule.Read(assembly.Location);
        var candidates = Types.SelectMany(t => module.Module.GetType(t).Methods)
            .Where(m => m.IsPublic && m.IsStatic && m.HasBody && !m.HasGenericParameters && m.Parameters.Count is >= 1 and <= 3
                        && m.ReturnType.MetadataType is MetadataType.Double or MetadataType.Int32 or MetadataType.Void
                        && m.Parameters.All(p => p.ParameterType.MetadataType is MetadataType.Double or MetadataType.Int32
                                                 || p.ParameterType is ArrayType { IsVector: true, ElementType.MetadataType: MetadataType.Double }))
            .ToList();
        var options = new WeaverOptions { Flags = WeaverFlags.Inline };
        var compared = 0;
        var changed = 0;
        var mismatches = new List<string>();
        foreach (var definition in candidates)
        {
            var ir = MethodLifter.Lift(definition);
            changed += OptimizationPipelines.PreDifferentiation(options).Run(ir, (_, m) => IrVerifier.Check(m)) ? 1 : 0;
            OptimizationPipelines.PostDifferentiation(options).Run(ir, (_, m) => IrVerifier.Check(m));
            var compiled = (MethodInfo)assembly.ManifestModule.ResolveMethod(definition.MetadataToken.ToInt32())!;
            try
            {
                for (var k = 0; k < 10; k++)
                {
                    var arguments = definition.Parameters.Select((p, i) => Argument(p.ParameterType, k + 3 * i)).ToArray();
                    var copies = arguments.Select(a => a is Array array ? array.Clone() : a).ToArray();
                    var expected = Outcome(() => compiled.Invoke(null, arguments), arguments);
                    var actual = Outcome(() => new IrInterpreter(ir, t => ResolveType(assembly, t)).Run(copies), copies);
                    if (actual != expected)
                        mismatches.Add($"{definition.FullName} run {k}: compiled {expected}, optimized IR {actual}");
                }
                compared++;
            }
            catch (NotSupportedException)
            {
                // Outside the interpreter's subset (e.g. a call it cannot resolve); the verifier still ran.
            }
        }

        TestContext.Out.WriteLine($"{compared} of {candidates.Count} optimized MathNet methods compared at 10 points; {changed} changed by the preset");
        Assert.That(mismatches, Is.Empty);
        Assert.That(compared, Is.GreaterThanOrEqualTo(40));
    }

    private static object Argument(TypeReference type, int k) => type switch
    {
        ArrayType => Enumerable.Range(0, k % 6).Select(i => Doubles[(i * 5 + k) % Doubles.Length]).ToArray(),
        _ when type.MetadataType == MetadataType.Int32 => Integers[k % Integers.Length],
        _ => Doubles[k % Doubles.Length],
    };

    /// <summary>The result's bits (any NaN as "NaN") and the arrays' contents afterwards, or that the call threw.</summary>
    private static string Outcome(Func<object?> run, object?[] arguments)
    {
        try
        {
            var result = run() switch
            {
                double d => Bits(d),
                var other => other?.ToString() ?? "null",
            };
            return result + " " + string.Join(" ", arguments.OfType<double[]>().Select(a => string.Join(",", a.Select(Bits))));
        }
        catch (Exception e) when (e is TargetInvocationException or InterpretedThrowException or ArgumentException or ArithmeticException
                                       or IndexOutOfRangeException or NullReferenceException or InvalidOperationException)
        {
            return "throws";
        }
    }

    private static string Bits(double value) =>
        double.IsNaN(value) ? "NaN" : BitConverter.DoubleToInt64Bits(value).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static Type ResolveType(Assembly mathNet, TypeReference type)
    {
        var name = type.FullName.Replace('/', '+');
        return mathNet.GetType(name) ?? typeof(object).Assembly.GetType(name) ?? throw new NotSupportedException("type " + name);
    }
}
