using System;
using System.Linq;
using System.Runtime.CompilerServices;
using Autodiff.Tests.EndToEnd;
using Autodiff.Tests.Memory;
using NUnit.Framework;

namespace Autodiff.Tests.Calls;

/// <summary>
/// Generic helpers and types at instantiations other than double/float — integer index types mixed with double,
/// (float, int) and (double, long) generic types with integer generic math, nested generic types, a user struct as
/// type argument, a generic struct — in both modes, woven end to end, against closed forms,
/// central differences of the primal and each other.
/// </summary>
public sealed class GenericInstantiationTests
{
    private static WovenAssembly woven = null!;

    [OneTimeSetUp]
    public void Weave() => woven = WovenAssembly.Compile(GenericInstantiationSource.Text);

    [OneTimeTearDown]
    public void Unload() => woven.Dispose();

    [Test]
    public void WeavesWithoutErrors() => Assert.That(woven.Result.Succeeded, Is.True, woven.ErrorText);

    [TestCase(0.5)]
    [TestCase(-1.75)]
    public void IndexTypeArgumentsMixedWithDouble(double x) => AssertDerivatives("Scaled", new[] { 6 * x + 2 }, 3 * x * x + 2 * x, x);

    [TestCase(0.5)]
    [TestCase(-1.75)]
    public void NestedGenericTypes(double x) => AssertDerivatives("Nested", new[] { 4 * Math.Sin(x) + 4 * x * Math.Cos(x) }, 4 * x * Math.Sin(x), x);

    [TestCase(0.8, -1.5)]
    [TestCase(-0.3, 2.5)]
    public void UserStructAsTypeArgument(double x, double y) => AssertDerivatives("Shapes", new[] { 4 * x * y, 2 * x * x }, 2 * x * x * y, x, y);

    [TestCase(0.8, -1.5)]
    [TestCase(-0.3, 2.5)]
    public void GenericStructAndGenericTypeWithAnIntegerArgument(double x, double y) => AssertDerivatives("Paired", new[] { y + 5, x }, x * y + 5 * x, x, y);

    [TestCase(0.5f)]
    [TestCase(-1.25f)]
    public void FloatGenericTypeWithAnIntegerLoop(float x)
    {
        // f = x³ + x²: ∂x = 3x² + 2x.
        var gradient = (ITuple)Invoke("GradientOfPowered", x, 1f);
        var tangent = (ITuple)Invoke("TangentOfPowered", x, 1f);
        const double h = 1e-3;
        var central = ((float)Invoke("Powered", (float)(x + h)) - (float)Invoke("Powered", (float)(x - h))) / (2 * h);
        Assert.Multiple(() =>
        {
            Assert.That((float)gradient[0]!, Is.EqualTo(x * x * x + x * x).Within(1e-5));
            Assert.That((float)gradient[1]!, Is.EqualTo(3 * x * x + 2 * x).Within(1e-5));
            Assert.That((float)tangent[1]!, Is.EqualTo((float)gradient[1]!).Within(1e-6));
            Assert.That(central, Is.EqualTo(3 * x * x + 2 * x).Within(1e-2));
        });
    }

    // Reverse gradient and value, one forward tangent per axis, and central differences of the primal, all agree.
    private static void AssertDerivatives(string primal, double[] expected, double value, params double[] point)
    {
        var gradient = (ITuple)Invoke("GradientOf" + primal, point.Cast<object>().Append(1.0).ToArray());
        Assert.That((double)gradient[0]!, Is.EqualTo(value).Within(1e-12));
        FiniteDifferences.AssertClose(Enumerable.Range(1, point.Length).Select(i => (double)gradient[i]!).ToArray(), expected, 1e-12);
        var forward = Enumerable.Range(0, point.Length).Select(axis =>
        {
            var arguments = point.SelectMany((p, i) => new object[] { p, i == axis ? 1.0 : 0.0 }).ToArray();
            return (double)((ITuple)Invoke("TangentOf" + primal, arguments))[1]!;
        }).ToArray();
        FiniteDifferences.AssertClose(forward, expected, 1e-12);
        FiniteDifferences.AssertClose(expected, FiniteDifferences.Gradient(p => (double)Invoke(primal, p.Cast<object>().ToArray()), point));
    }

    private static object Invoke(string method, params object?[] arguments) => woven.Invoke("Generic", method, arguments)!;
}
