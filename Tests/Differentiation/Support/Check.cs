using System;
using System.Linq;
using Autodiff.Weaver.Ir;
using Mono.Cecil;
using NUnit.Framework;

namespace Autodiff.Tests.Differentiation;

/// <summary>Comparisons against closed forms and against central finite differences of the primal itself.</summary>
public static class Check
{
    /// <summary>Relative-or-absolute tolerance for a closed form: tight in double, float's precision in float.</summary>
    public static double Tolerance(TypeReference type) => type.MetadataType == MetadataType.Single ? 2e-6 : 1e-13;

    public static void Close(double actual, double expected, double tolerance, string what) =>
        Assert.That(actual, Is.EqualTo(expected).Within(tolerance * Math.Max(1, Math.Abs(expected))), what);

    /// <summary>∂f/∂x_<paramref name="index"/> by a central difference of the primal run in its own precision.</summary>
    public static double CentralDifference(IrMethod primal, double[] point, int index)
    {
        var isFloat = primal.Parameters[0].Type.MetadataType == MetadataType.Single;
        var h = isFloat ? 1e-2 : 1e-6;
        double At(double offset)
        {
            var arguments = point.Select((p, i) => i == index ? p + offset : p)
                .Select(p => isFloat ? (object)(float)p : p).ToArray();
            return IrInterpreter.Elements(IrInterpreter.Run(primal, arguments))[0];
        }
        return (At(h) - At(-h)) / (2 * h);
    }

    /// <summary>Tolerance for a central difference: its truncation and rounding error.</summary>
    public static double DifferenceTolerance(TypeReference type) => type.MetadataType == MetadataType.Single ? 2e-3 : 1e-6;

    public static object Scalar(TypeReference type, double value) => type.MetadataType == MetadataType.Single ? (object)(float)value : value;
}
