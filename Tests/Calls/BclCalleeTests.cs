using System;
using System.Linq;
using System.Runtime.CompilerServices;
using Autodiff.Tests.EndToEnd;
using Autodiff.Tests.Memory;
using NUnit.Framework;

namespace Autodiff.Tests.Calls;

/// <summary>
/// Helpers using the BCL (lowered in the callee's IR before it is differentiated): Vector3 operators, spans, Array.Copy
/// and a lambda inside callees, in both modes, woven end to end, against closed forms, central differences and each other.
/// </summary>
public sealed class BclCalleeTests
{
    private static WovenAssembly woven = null!;

    [OneTimeSetUp]
    public void Weave() => woven = WovenAssembly.Compile(BclCalleeSource.Text);

    [OneTimeTearDown]
    public void Unload() => woven.Dispose();

    [Test]
    public void WeavesWithoutErrors() => Assert.That(woven.Result.Succeeded, Is.True, woven.ErrorText);

    [TestCase(1.5f, -0.5f)]
    [TestCase(0.25f, 2f)]
    public void Vector3OperatorsInAHelperFloat(float x, float y)
    {
        // E(x, y) = (2x − y)² + 4y² + (2 − x)² + xy + x; f = E(x, y) + E(xy, 1).
        static double E(double x, double y) => (2 * x - y) * (2 * x - y) + 4 * y * y + (2 - x) * (2 - x) + x * y + x;
        static double Ex(double x, double y) => 4 * (2 * x - y) - 2 * (2 - x) + y + 1;
        static double Ey(double x, double y) => -2 * (2 * x - y) + 8 * y + x;
        var expected = new[] { Ex(x, y) + Ex(x * y, 1) * y, Ey(x, y) + Ex(x * y, 1) * x };
        var gradient = (ITuple)Invoke("GradientOfEnergySum", x, y, 1f);
        var tangent = (ITuple)Invoke("TangentOfEnergySum", x, 1f, y, -2f);
        var differences = FiniteDifferences.Gradient(p => E(p[0], p[1]) + E(p[0] * p[1], 1), new double[] { x, y });
        Assert.Multiple(() =>
        {
            Assert.That((float)gradient[0]!, Is.EqualTo(E(x, y) + E(x * y, 1)).Within(1e-4));
            Assert.That((float)gradient[1]!, Is.EqualTo(expected[0]).Within(1e-3));
            Assert.That((float)gradient[2]!, Is.EqualTo(expected[1]).Within(1e-3));
            Assert.That(expected, Is.EqualTo(differences).Within(1e-5));
            Assert.That((float)tangent[1]!, Is.EqualTo(expected[0] - 2 * expected[1]).Within(1e-3));
        });
    }

    [TestCase(0)]
    [TestCase(2)]
    public void SpanOfAnArrayInAHelper(int start)
    {
        // f = v₀·Σ_{i≥start} vᵢ²: ∂vᵢ = 2vᵢv₀[i ≥ start] + [i = 0]·Σ.
        double[] values = { 1.5, -0.5, 2.0, 0.75 };
        var sum = values.Skip(start).Sum(v => v * v);
        var expected = values.Select((v, i) => (i >= start ? 2 * v * values[0] : 0) + (i == 0 ? sum : 0)).ToArray();
        var shadow = new double[values.Length];
        var value = (double)Invoke("GradientOfWindow", values, shadow, start, 1.0);
        Assert.That(value, Is.EqualTo(sum * values[0]).Within(1e-12));
        FiniteDifferences.AssertClose(shadow, expected, 1e-12);
        FiniteDifferences.AssertClose(expected, FiniteDifferences.Gradient(p => (double)Invoke("Window", p, start), values));
        double[] direction = { 1, -1, 0.5, 2 };
        var tangent = (ITuple)Invoke("TangentOfWindow", values, direction, start);
        Assert.That((double)tangent[1]!, Is.EqualTo(expected.Zip(direction, (a, b) => a * b).Sum()).Within(1e-12));
    }

    [Test]
    public void ArrayCopyInAHelperWritingItsArgument()
    {
        // output = (o₀, v₀², v₁², v₂²), f = Σ (j + 1)·outputⱼ: ∂vₖ = 2vₖ(k + 2) for k < 3, ∂v₃ = 0; ∂o₀ = 1, the rest overwritten.
        double[] values = { 1.5, -0.5, 2.0, 0.75 };
        double[] start = { 0.25, 9, 9, 9 };
        var expectedValues = values.Select((v, k) => k < 3 ? 2 * v * (k + 2) : 0).ToArray();
        var expectedOutput = new[] { 1.0, 0, 0, 0 };
        var (valuesShadow, output, outputShadow) = (new double[4], (double[])start.Clone(), new double[4]);
        var value = (double)Invoke("GradientOfShifted", values, valuesShadow, output, outputShadow, 1.0);
        Assert.That(value, Is.EqualTo(0.25 + Enumerable.Range(0, 3).Sum(k => values[k] * values[k] * (k + 2))).Within(1e-12));
        Assert.That(output, Is.EqualTo(new[] { 0.25, values[0] * values[0], values[1] * values[1], values[2] * values[2] }));
        FiniteDifferences.AssertClose(valuesShadow, expectedValues, 1e-12);
        FiniteDifferences.AssertClose(outputShadow, expectedOutput, 1e-12);
        FiniteDifferences.AssertClose(expectedValues,
            FiniteDifferences.Gradient(p => (double)Invoke("Shifted", p, (double[])start.Clone()), values));
        double[] direction = { 1, -1, 0.5, 2 }, outputDirection = { 3, 1, 1, 1 };
        var tangent = (ITuple)Invoke("TangentOfShifted", values, direction, (double[])start.Clone(), outputDirection);
        Assert.That((double)tangent[1]!,
            Is.EqualTo(expectedValues.Zip(direction, (a, b) => a * b).Sum() + expectedOutput.Zip(outputDirection, (a, b) => a * b).Sum()).Within(1e-12));
    }

    [TestCase(0.7, 1.3)]
    [TestCase(-1.2, 0.4)]
    public void LambdaCapturingAParameterInAHelper(double x, double k)
    {
        // f = x·T with T = kx·sin x + 2kx·sin 2x.
        var t = k * x * Math.Sin(x) + 2 * k * x * Math.Sin(2 * x);
        var dx = t + x * (k * Math.Sin(x) + k * x * Math.Cos(x) + 2 * k * Math.Sin(2 * x) + 4 * k * x * Math.Cos(2 * x));
        var dk = x * (x * Math.Sin(x) + 2 * x * Math.Sin(2 * x));
        var gradient = (ITuple)Invoke("GradientOfLambda", x, k, 1.0);
        var tangent = (ITuple)Invoke("TangentOfLambda", x, 1.0, k, 0.5);
        Assert.That(gradient[0], Is.EqualTo(t * x).Within(1e-12));
        FiniteDifferences.AssertClose(new[] { (double)gradient[1]!, (double)gradient[2]! }, new[] { dx, dk }, 1e-12);
        FiniteDifferences.AssertClose(new[] { dx, dk }, FiniteDifferences.Gradient(p => (double)Invoke("Lambda", p[0], p[1]), new[] { x, k }));
        Assert.That((double)tangent[1]!, Is.EqualTo(dx + 0.5 * dk).Within(1e-12));
    }

    private static object Invoke(string method, params object?[] arguments) => woven.Invoke("BclCallees", method, arguments)!;
}
