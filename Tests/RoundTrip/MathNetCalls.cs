using System;
using System.Collections;
using System.Globalization;
using System.Linq;
using System.Numerics;
using System.Reflection;
using System.Text;
using NUnit.Framework;

namespace Autodiff.Tests.RoundTrip;

/// <summary>
/// Calls the same MathNet routines by reflection on the original and on the round-tripped assembly and compares the
/// results bit for bit (doubles by their bits, matrices and vectors element by element, exceptions by type).
/// </summary>
internal sealed class MathNetCalls
{
    private static readonly double[] Points = { -3.7, -1.0, -0.5, 0.0, 1e-9, 0.25, 0.5, 1.0, 1.5, 2.0, 3.3, 7.5, 12.0, 40.0, 171.5, double.NaN };
    private static readonly double[] Sample = { 2.5, -1.25, 9.0, 0.125, 3.75, 3.75, -7.5, 12.0, 0.0, 5.5, 1e-3 };

    private readonly Assembly original;
    private readonly Assembly rewritten;

    public MathNetCalls(Assembly original, Assembly rewritten)
    {
        this.original = original;
        this.rewritten = rewritten;
    }

    public int Compared { get; private set; }

    public void CompareAll()
    {
        SpecialFunctions();
        Statistics();
        LinearAlgebra();
        Fourier();
        RootFindingAndIntegration();
        Distributions();
    }

    private void SpecialFunctions()
    {
        const string type = "MathNet.Numerics.SpecialFunctions";
        foreach (var name in new[] { "Gamma", "GammaLn", "Erf", "Erfc", "ErfInv", "DiGamma", "Logistic", "Logit", "ExponentialIntegral" })
        {
            foreach (var x in Points)
                Same(name + "(" + x + ")", a => Static(a, type, name, x));
        }
        foreach (var a in Points.Where(p => p > 0))
        {
            foreach (var b in new[] { 0.5, 1.0, 2.5, 10.0 })
            {
                Same($"Beta({a}, {b})", asm => Static(asm, type, "Beta", a, b));
                Same($"GammaLowerRegularized({a}, {b})", asm => Static(asm, type, "GammaLowerRegularized", a, b));
                Same($"BetaRegularized({a}, {b}, 0.3)", asm => Static(asm, type, "BetaRegularized", a, b, 0.3));
            }
        }
        for (var n = 0; n < 30; n++)
        {
            Same($"Factorial({n})", asm => Static(asm, type, "Factorial", n));
            Same($"Binomial(30, {n})", asm => Static(asm, type, "Binomial", 30, n));
        }
    }

    private void Statistics()
    {
        const string type = "MathNet.Numerics.Statistics.Statistics";
        foreach (var name in new[] { "Mean", "Variance", "PopulationVariance", "StandardDeviation", "Median", "Minimum", "Maximum", "Skewness", "Kurtosis", "RootMeanSquare" })
        {
            Same(name, asm => Static(asm, type, name, (object)Sample.AsEnumerable()));
            Same(name + " of an empty sample", asm => Static(asm, type, name, (object)Array.Empty<double>().AsEnumerable()));
        }
        foreach (var tau in new[] { 0.0, 0.1, 0.5, 0.75, 1.0 })
            Same($"Quantile({tau})", asm => Static(asm, type, "Quantile", (object)Sample.AsEnumerable(), tau));
        Same("ArrayStatistics.Variance", asm => Static(asm, "MathNet.Numerics.Statistics.ArrayStatistics", "Variance", (object)Sample.ToArray()));
    }

    private void LinearAlgebra()
    {
        var values = new double[4, 4];
        var other = new double[4, 4];
        for (var i = 0; i < 4; i++)
        {
            for (var j = 0; j < 4; j++)
            {
                values[i, j] = Math.Sin(i * 4 + j + 1) * 3 + (i == j ? 5 : 0);
                other[i, j] = Math.Cos(i - 2.0 * j);
            }
        }
        var right = new[] { 1.0, -2.0, 0.5, 3.0 };
        Same("A * B", asm => Matrix(asm, values).Multiply(Matrix(asm, other)));
        Same("LU solve", asm => Matrix(asm, values).LU().Solve(Vector(asm, right)));
        Same("QR solve", asm => Matrix(asm, values).QR().Solve(Vector(asm, right)));
        Same("SVD singular values", asm => Matrix(asm, values).Svd(true).S);
        Same("SVD U", asm => Matrix(asm, values).Svd(true).U);
        Same("inverse", asm => Matrix(asm, values).Inverse());
        Same("determinant", asm => Matrix(asm, values).Determinant());
        Same("Cholesky of AᵀA", asm =>
        {
            var a = Matrix(asm, values);
            return a.TransposeThisAndMultiply(a).Cholesky().Factor;
        });
        Same("eigenvalues", asm => Matrix(asm, values).Evd().EigenValues);
    }

    private void Fourier()
    {
        const string type = "MathNet.Numerics.IntegralTransforms.Fourier";
        foreach (var length in new[] { 8, 12, 17 })
        {
            Same($"Fourier.Forward(Complex[{length}])", asm =>
            {
                var samples = Enumerable.Range(0, length).Select(k => new Complex(Math.Sin(k * 0.7), Math.Cos(k * 1.3))).ToArray();
                Static(asm, type, "Forward", (object)samples);
                return samples;
            });
            Same($"Fourier.Forward(Complex32[{length}])", asm =>
            {
                var complex32 = asm.GetType("MathNet.Numerics.Complex32", throwOnError: true)!;
                var samples = Array.CreateInstance(complex32, length);
                for (var k = 0; k < length; k++)
                    samples.SetValue(Activator.CreateInstance(complex32, (float)Math.Sin(k * 0.3), (float)k), k);
                Static(asm, type, "Forward", samples);
                return samples;
            });
        }
    }

    private void RootFindingAndIntegration()
    {
        Func<double, double> cubic = x => x * x * x - 2 * x - 5;
        Func<double, double> bump = x => Math.Exp(-x * x) * Math.Cos(3 * x);
        Same("Brent", asm => Static(asm, "MathNet.Numerics.RootFinding.Brent", "FindRoot", cubic, 1.0, 3.0, 1e-12, 100));
        Same("Bisection", asm => Static(asm, "MathNet.Numerics.RootFinding.Bisection", "FindRoot", cubic, 1.0, 3.0, 1e-12, 200));
        Same("NewtonRaphson", asm => Static(asm, "MathNet.Numerics.RootFinding.NewtonRaphson", "FindRoot", cubic, (Func<double, double>)(x => 3 * x * x - 2), 1.0, 3.0, 1e-12, 100));
        foreach (var partitions in new[] { 2, 10, 64 })
            Same($"Simpson({partitions})", asm => Static(asm, "MathNet.Numerics.Integration.SimpsonRule", "IntegrateComposite", bump, -1.0, 2.0, partitions));
        foreach (var order in new[] { 5, 16, 32, 128 })
            Same($"GaussLegendre({order})", asm => Static(asm, "MathNet.Numerics.Integration.GaussLegendreRule", "Integrate", bump, -1.0, 2.0, order));
        Same("DoubleExponential", asm => Static(asm, "MathNet.Numerics.Integration.DoubleExponentialTransformation", "Integrate", bump, -1.0, 2.0, 1e-10));
    }

    private void Distributions()
    {
        foreach (var x in Points)
        {
            Same($"Normal.CDF({x})", asm => Static(asm, "MathNet.Numerics.Distributions.Normal", "CDF", 0.5, 2.0, x));
            Same($"StudentT.CDF({x})", asm => Static(asm, "MathNet.Numerics.Distributions.StudentT", "CDF", 0.0, 1.0, 3.5, x));
            Same($"Gamma.PDF({x})", asm => Static(asm, "MathNet.Numerics.Distributions.Gamma", "PDF", 2.0, 1.5, x));
        }
        foreach (var p in new[] { 0.001, 0.1, 0.5, 0.9, 0.999 })
            Same($"Normal.InvCDF({p})", asm => Static(asm, "MathNet.Numerics.Distributions.Normal", "InvCDF", 0.0, 1.0, p));
        Same("Fit.Line", asm => Static(asm, "MathNet.Numerics.Fit", "Line", (object)new[] { 1.0, 2, 3, 4, 5 }, (object)new[] { 2.1, 3.9, 6.2, 7.8, 10.1 }));
    }

    private static dynamic Matrix(Assembly assembly, double[,] values) =>
        Static(assembly, "MathNet.Numerics.LinearAlgebra.Double.DenseMatrix", "OfArray", (object)values)!;

    private static dynamic Vector(Assembly assembly, double[] values) =>
        Static(assembly, "MathNet.Numerics.LinearAlgebra.Double.DenseVector", "OfArray", (object)values)!;

    private static object? Static(Assembly assembly, string typeName, string methodName, params object?[] arguments)
    {
        var type = assembly.GetType(typeName, throwOnError: true)!;
        var method = type.GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.Name == methodName && !m.IsGenericMethodDefinition && m.GetParameters().Length == arguments.Length)
            .First(m => m.GetParameters().Zip(arguments, (p, a) => a == null ? !p.ParameterType.IsValueType : p.ParameterType.IsInstanceOfType(a)).All(ok => ok));
        try
        {
            return method.Invoke(null, arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException != null)
        {
            return e.InnerException.GetType().FullName;
        }
    }

    private void Same(string what, Func<Assembly, object?> call)
    {
        var expected = Describe(Run(call, original));
        var actual = Describe(Run(call, rewritten));
        Assert.That(actual, Is.EqualTo(expected), what);
        Compared++;
    }

    private static object? Run(Func<Assembly, object?> call, Assembly assembly)
    {
        try
        {
            return call(assembly);
        }
        catch (Exception e) when (e is not AssertionException)
        {
            return (e is TargetInvocationException { InnerException: { } inner } ? inner : e).GetType().FullName;
        }
    }

    /// <summary>A canonical text of a result in which every double shows its bits.</summary>
    private static string Describe(object? value)
    {
        var text = new StringBuilder();
        Append(text, value);
        return text.ToString();
    }

    private static void Append(StringBuilder text, object? value)
    {
        switch (value)
        {
            case null:
                text.Append("null");
                return;
            case double d:
                text.Append(BitConverter.DoubleToInt64Bits(d).ToString("X16", CultureInfo.InvariantCulture));
                return;
            case float f:
                text.Append(BitConverter.SingleToInt32Bits(f).ToString("X8", CultureInfo.InvariantCulture));
                return;
            case Complex c:
                text.Append('(');
                Append(text, c.Real);
                text.Append(',');
                Append(text, c.Imaginary);
                text.Append(')');
                return;
            case string s:
                text.Append(s);
                return;
            case IEnumerable sequence:
                text.Append('[');
                foreach (var item in sequence)
                {
                    Append(text, item);
                    text.Append(' ');
                }
                text.Append(']');
                return;
        }
        var type = value.GetType();
        if (type.GetMethod("ToColumnMajorArray", Type.EmptyTypes) is { } matrixData)
        {
            Append(text, matrixData.Invoke(value, null));
            return;
        }
        if (type.IsPrimitive)
        {
            text.Append(Convert.ToString(value, CultureInfo.InvariantCulture));
            return;
        }
        // Tuples, Complex32 and other small structs: their public fields and properties, in declaration order.
        text.Append(type.Name).Append('{');
        foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Instance))
            Append(text.Append(field.Name).Append('='), field.GetValue(value));
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0 && p.PropertyType.IsPrimitive))
            Append(text.Append(property.Name).Append('='), property.GetValue(value));
        text.Append('}');
    }
}
