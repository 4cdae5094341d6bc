using System.Numerics;
using System.Runtime.CompilerServices;
using Autodiff.Tests.EndToEnd;
using NUnit.Framework;

namespace Autodiff.Tests.Memory;

/// <summary>Structs of float/double fields passed by value, Active (the gradient is the same struct type) and Dual, woven end to end.</summary>
public sealed class StructValueTests
{
    private const string Source = """
        using System.CodeDom.Compiler;
        using System.Numerics;
        using Autodiff;

        public struct Point
        {
            public double X;
            public double Y;
        }

        public static class Shapes
        {
            [Autodiff(nameof(GradientOfWeighted), Mode.Reverse, Activity.Active, Activity.Active)]
            [Autodiff(nameof(TangentOfWeighted), Mode.Forward, Activity.Dual, Activity.Dual)]
            public static double Weighted(Point p) => p.X * p.X + 3 * p.Y;

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, Point) GradientOfWeighted(Point p, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) TangentOfWeighted(Point p, Point dp);

            // Vector2's fields, float, next to a scalar.
            [Autodiff(nameof(GradientOfScaledArea), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
            [Autodiff(nameof(TangentOfScaledArea), Mode.Forward, Activity.Dual, Activity.Const, Activity.Dual)]
            public static float ScaledArea(Vector2 a, float k) => a.X * a.Y * k;

            [GeneratedCode("Autodiff", "1")]
            public static extern (float, Vector2, float) GradientOfScaledArea(Vector2 a, float k, float seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (float, float) TangentOfScaledArea(Vector2 a, Vector2 da, float k);
        }
        """;

    private static WovenAssembly woven = null!;

    [OneTimeSetUp]
    public void Weave() => woven = WovenAssembly.Compile(Source);

    [OneTimeTearDown]
    public void Unload() => woven.Dispose();

    [Test]
    public void WeavesWithoutErrors() => Assert.That(woven.Result.Succeeded, Is.True, woven.ErrorText);

    [Test]
    public void GradientIsAStructOfTheSameType()
    {
        // f(p) = X² + 3Y at (2, 5): 19, ∇f = (2X, 3) = (4, 3).
        var type = woven.Loaded.Assembly.GetType("Point")!;
        var result = (ITuple)woven.Invoke("Shapes", "GradientOfWeighted", Point(type, 2, 5), 1.0)!;
        Assert.Multiple(() =>
        {
            Assert.That(result[0], Is.EqualTo(19.0));
            Assert.That(result[1]!.GetType(), Is.EqualTo(type));
            Assert.That(Field(result[1]!, "X"), Is.EqualTo(4.0));
            Assert.That(Field(result[1]!, "Y"), Is.EqualTo(3.0));
        });
    }

    [Test]
    public void DualStructForwardAgreesWithReverse()
    {
        var type = woven.Loaded.Assembly.GetType("Point")!;
        var tangent = (ITuple)woven.Invoke("Shapes", "TangentOfWeighted", Point(type, 2, 5), Point(type, 0.5, -1))!;
        Assert.That(tangent[1], Is.EqualTo(4 * 0.5 + 3 * -1.0));
    }

    [Test]
    public void Vector2GradientAndTangent()
    {
        // f = aₓ·a_y·k at ((2, 3), 0.5): ∇ = ((a_y·k, aₓ·k), aₓ·a_y) = ((1.5, 1), 6).
        var gradient = (ITuple)woven.Invoke("Shapes", "GradientOfScaledArea", new Vector2(2, 3), 0.5f, 1f)!;
        var tangent = (ITuple)woven.Invoke("Shapes", "TangentOfScaledArea", new Vector2(2, 3), new Vector2(1, -2), 0.5f)!;
        Assert.Multiple(() =>
        {
            Assert.That(gradient[0], Is.EqualTo(3f));
            Assert.That(gradient[1], Is.EqualTo(new Vector2(1.5f, 1f)));
            Assert.That(gradient[2], Is.EqualTo(6f));
            Assert.That(tangent[1], Is.EqualTo(1.5f * 1 + 1f * -2));
        });
    }

    private static object Point(System.Type type, double x, double y)
    {
        var point = System.Activator.CreateInstance(type)!;
        type.GetField("X")!.SetValue(point, x);
        type.GetField("Y")!.SetValue(point, y);
        return point;
    }

    private static object? Field(object value, string name) => value.GetType().GetField(name)!.GetValue(value);
}
