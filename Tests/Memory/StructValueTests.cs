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

            // `this` of a struct is a reference: Duplicated, its shadow is `ref Point dthis`.
            [Autodiff(nameof(GradientOfNorm), Mode.Reverse, Activity.Duplicated, Activity.Active)]
            public double Norm() => X * X + Y * Y;

            [GeneratedCode("Autodiff", "1")]
            public extern double GradientOfNorm(ref Point dthis, double seed);
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

            // Structs inside memory, read and written through field addresses: a polygon's shoelace area.
            [Autodiff(nameof(GradientOfShoelace), Mode.Reverse, Activity.Duplicated, Activity.Active)]
            [Autodiff(nameof(TangentOfShoelace), Mode.Forward, Activity.Dual, Activity.Dual)]
            public static float Shoelace(Vector2[] corners)
            {
                var twice = 0f;
                for (var i = 0; i < corners.Length; i++)
                {
                    var j = (i + 1) % corners.Length;
                    twice += corners[i].X * corners[j].Y - corners[j].X * corners[i].Y;
                }
                return twice / 2;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern float GradientOfShoelace(Vector2[] corners, Vector2[] dcorners, float seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (float, float) TangentOfShoelace(Vector2[] corners, Vector2[] dcorners);

            // ref to a struct: moves p by its own Y scaled by t.
            [Autodiff(nameof(GradientOfNudge), Mode.Reverse, Activity.Duplicated, Activity.Active)]
            [Autodiff(nameof(TangentOfNudge), Mode.Forward, Activity.Dual, Activity.Dual)]
            public static void Nudge(ref Point p, double t) => p.X += t * p.Y;

            [GeneratedCode("Autodiff", "1")]
            public static extern double GradientOfNudge(ref Point p, ref Point dp, double t);

            [GeneratedCode("Autodiff", "1")]
            public static extern void TangentOfNudge(ref Point p, ref Point dp, double t, double dt);
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

    [Test]
    public void StructThisDuplicated()
    {
        var type = woven.Loaded.Assembly.GetType("Point")!;
        var arguments = new object?[] { Point(type, 0.5, 0.25), 2.0 };
        var norm = type.GetMethod("GradientOfNorm")!.Invoke(Point(type, 3, -4), arguments);
        Assert.Multiple(() =>
        {
            Assert.That(norm, Is.EqualTo(25.0));
            Assert.That(Field(arguments[0]!, "X"), Is.EqualTo(0.5 + 2 * 2 * 3.0));
            Assert.That(Field(arguments[0]!, "Y"), Is.EqualTo(0.25 + 2 * 2 * -4.0));
        });
    }

    [Test]
    public void ShoelaceAreaOfATriangle()
    {
        // Triangle (0,0), (4,0), (0,3): area 6; ∂A/∂(xᵢ, yᵢ) = ((yᵢ₊₁ − yᵢ₋₁)/2, (xᵢ₋₁ − xᵢ₊₁)/2).
        var corners = new[] { new Vector2(0, 0), new Vector2(4, 0), new Vector2(0, 3) };
        var gradient = new Vector2[3];
        var area = woven.Invoke("Shapes", "GradientOfShoelace", corners, gradient, 1f);
        var tangent = (ITuple)woven.Invoke("Shapes", "TangentOfShoelace", corners, new[] { new Vector2(1, 0), new Vector2(0, 1), new Vector2(0.5f, 0) })!;
        Assert.Multiple(() =>
        {
            Assert.That(area, Is.EqualTo(6f));
            Assert.That(gradient, Is.EqualTo(new[] { new Vector2(-1.5f, -2f), new Vector2(1.5f, 0f), new Vector2(0f, 2f) }));
            Assert.That(tangent[1], Is.EqualTo(-1.5f * 1 + 0f * 1 + 0f * 0.5f));
        });
    }

    [Test]
    public void RefStructBothModes()
    {
        // X₁ = X + tY: with seeds (X̄₁, Ȳ) = (1, 0.5): X̄ = 1, Ȳ = 0.5 + t, t̄ = Y.
        var type = woven.Loaded.Assembly.GetType("Point")!;
        var arguments = new object?[] { Point(type, 1, 2), Point(type, 1, 0.5), 3.0 };
        var dt = woven.Loaded.Method("Shapes", "GradientOfNudge").Invoke(null, arguments);
        var forward = new object?[] { Point(type, 1, 2), Point(type, 0.25, -1), 3.0, 2.0 };
        woven.Loaded.Method("Shapes", "TangentOfNudge").Invoke(null, forward);
        Assert.Multiple(() =>
        {
            Assert.That(Field(arguments[0]!, "X"), Is.EqualTo(7.0));
            Assert.That(dt, Is.EqualTo(2.0));
            Assert.That(Field(arguments[1]!, "X"), Is.EqualTo(1.0));
            Assert.That(Field(arguments[1]!, "Y"), Is.EqualTo(3.5));
            // Ẋ₁ = Ẋ + ṫY + tẎ.
            Assert.That(Field(forward[1]!, "X"), Is.EqualTo(0.25 + 2 * 2 + 3 * -1.0));
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
