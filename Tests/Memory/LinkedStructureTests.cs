using System;
using System.Linq;
using System.Runtime.CompilerServices;
using Autodiff.Tests.EndToEnd;
using NUnit.Framework;

namespace Autodiff.Tests.Memory;

/// <summary>
/// Memory reached through references chosen at run time: list walks (<c>n = n.Next</c>), phis of arrays, arrays
/// allocated in loops and type tests, whose shadows follow the primal's (a shadow phi, recorded for the reverse sweep
/// in a ShadowMap; a cast of the shadow, which has the same runtime type), in both modes.
/// </summary>
public sealed class LinkedStructureTests
{
    private const string Source = """
        using System.CodeDom.Compiler;
        using Autodiff;

        public sealed class Node
        {
            public double Value;
            public double Weight;
            public Node? Next;
        }

        public sealed class FloatNode
        {
            public float Value;
            public FloatNode? Next;
        }

        // The signature rules want a differentiable field on the declared type itself.
        public abstract class Shape
        {
            public double Thickness;
        }

        public sealed class Circle : Shape
        {
            public double Radius;
        }

        public sealed class Rectangle : Shape
        {
            public double Width;
            public double Height;
        }

        public static class Lists
        {
            // Σ vᵢ·wᵢ along the list.
            [Autodiff(nameof(GradientOfDot), Mode.Reverse, Activity.Duplicated, Activity.Active)]
            [Autodiff(nameof(TangentOfDot), Mode.Forward, Activity.Dual, Activity.Dual)]
            public static double Dot(Node head)
            {
                var sum = 0.0;
                for (var node = head; node != null; node = node.Next)
                    sum += node.Value * node.Weight;
                return sum;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern double GradientOfDot(Node head, Node dhead, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) TangentOfDot(Node head, Node dhead);

            // Running product written back into the list, float: vᵢ ← v₀·…·vᵢ; returns the last.
            [Autodiff(nameof(GradientOfCumulativeProduct), Mode.Reverse, Activity.Duplicated, Activity.Active)]
            [Autodiff(nameof(TangentOfCumulativeProduct), Mode.Forward, Activity.Dual, Activity.Dual)]
            public static float CumulativeProduct(FloatNode head)
            {
                var product = 1f;
                var node = head;
                while (node != null)
                {
                    product *= node.Value;
                    node.Value = product;
                    node = node.Next;
                }
                return product;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern float GradientOfCumulativeProduct(FloatNode head, FloatNode dhead, float seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (float, float) TangentOfCumulativeProduct(FloatNode head, FloatNode dhead);

            // A reference chosen at run time among two shadowed arrays (a phi of arrays).
            [Autodiff(nameof(GradientOfChoose), Mode.Reverse, Activity.Duplicated, Activity.Duplicated, Activity.Const, Activity.Active)]
            [Autodiff(nameof(TangentOfChoose), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Const, Activity.Dual)]
            public static double Choose(double[] a, double[] b, int which)
            {
                var chosen = a;
                var sum = 0.0;
                for (var i = 0; i < which; i++)
                {
                    chosen = i % 2 == 0 ? b : a;
                    sum += chosen[i % chosen.Length] * chosen[0];
                }
                return sum;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern double GradientOfChoose(double[] a, double[] da, double[] b, double[] db, int which, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) TangentOfChoose(double[] a, double[] da, double[] b, double[] db, int which);

            // A temporary array allocated on every iteration, reverse mode included.
            [Autodiff(nameof(GradientOfPairs), Mode.Reverse, Activity.Duplicated, Activity.Active)]
            [Autodiff(nameof(TangentOfPairs), Mode.Forward, Activity.Dual, Activity.Dual)]
            public static double Pairs(double[] x)
            {
                var sum = 0.0;
                for (var i = 0; i + 1 < x.Length; i++)
                {
                    var pair = new double[2];
                    pair[0] = x[i];
                    pair[1] = x[i + 1] * pair[0];
                    sum += pair[1] * pair[0];
                }
                return sum;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern double GradientOfPairs(double[] x, double[] dx, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) TangentOfPairs(double[] x, double[] dx);

            // A type test and a switch on type: the shadow takes the primal's branch.
            [Autodiff(nameof(GradientOfArea), Mode.Reverse, Activity.Duplicated, Activity.Active)]
            [Autodiff(nameof(TangentOfArea), Mode.Forward, Activity.Dual, Activity.Dual)]
            public static double Area(Shape shape) => shape switch
            {
                Circle circle => 3.0 * circle.Radius * circle.Radius,
                Rectangle rectangle => rectangle.Width * rectangle.Height,
                _ => 0.0,
            };

            [GeneratedCode("Autodiff", "1")]
            public static extern double GradientOfArea(Shape shape, Shape dshape, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) TangentOfArea(Shape shape, Shape dshape);

            [Autodiff(nameof(GradientOfScaled), Mode.Reverse, Activity.Duplicated, Activity.Active, Activity.Active)]
            [Autodiff(nameof(TangentOfScaled), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double Scaled(Shape shape, double k)
            {
                if (shape is Rectangle r)
                {
                    r.Width *= k;
                    return r.Width + r.Height;
                }
                return k;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) GradientOfScaled(Shape shape, Shape dshape, double k, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) TangentOfScaled(Shape shape, Shape dshape, double k, double dk);
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
    public void ListDotProductForward()
    {
        // ḟ = Σ v̇ᵢwᵢ + vᵢẇᵢ, and against central differences in each value.
        var (values, weights) = (new[] { 1.5, -2, 0.5 }, new[] { 2.0, 3, -4 });
        var tangents = (values: new[] { 1.0, 0.5, -1 }, weights: new[] { 0.0, 2, 1 });
        var result = (ITuple)woven.Invoke("Lists", "TangentOfDot", List(values, weights), List(tangents.values, tangents.weights))!;
        double F(double[] v) => (double)((ITuple)woven.Invoke("Lists", "TangentOfDot", List(v, weights), List(new double[3], new double[3]))!)[0]!;
        var partials = Enumerable.Range(0, 3).Select(i => (double)((ITuple)woven.Invoke("Lists", "TangentOfDot", List(values, weights), List(Unit(3, i), new double[3]))!)[1]!).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(result[0], Is.EqualTo(values.Zip(weights, (v, w) => v * w).Sum()));
            Assert.That(result[1], Is.EqualTo(Enumerable.Range(0, 3).Sum(i => tangents.values[i] * weights[i] + values[i] * tangents.weights[i])));
            FiniteDifferences.AssertClose(partials, FiniteDifferences.Gradient(F, values));
        });
    }

    [Test]
    public void ListWrittenInPlaceForwardFloat()
    {
        // vᵢ ← Πⱼ≤ᵢ vⱼ: the output tangents overwrite the shadow list, d(Πv) = Πv·Σ v̇/v.
        var values = new[] { 2f, -0.5f, 3f };
        var dots = new[] { 1f, 2f, 0.5f };
        var head = FloatList(values);
        var shadow = FloatList(dots);
        var result = (ITuple)woven.Invoke("Lists", "TangentOfCumulativeProduct", head, shadow)!;
        var products = new[] { 2f, -1f, -3f };
        var expected = new[] { 1f, 1f * -0.5f + 2f * 2f, (1f * -0.5f + 2f * 2f) * 3f + -1f * 0.5f };
        Assert.Multiple(() =>
        {
            Assert.That(result[0], Is.EqualTo(-3f));
            Assert.That(FloatValues(head), Is.EqualTo(products));
            Assert.That(FloatValues(shadow), Is.EqualTo(expected).Within(1e-6f));
            Assert.That(result[1], Is.EqualTo(expected[2]).Within(1e-6f));
        });
    }

    [Test]
    public void ListDotProductReverse()
    {
        // ∂f/∂vᵢ = wᵢ, ∂f/∂wᵢ = vᵢ, accumulated into the shadow list (seed 2).
        var (values, weights) = (new[] { 1.5, -2, 0.5 }, new[] { 2.0, 3, -4 });
        var shadow = List(new[] { 1.0, 0, 0 }, new double[3]);
        var value = woven.Invoke("Lists", "GradientOfDot", List(values, weights), shadow, 2.0);
        Assert.Multiple(() =>
        {
            Assert.That(value, Is.EqualTo(values.Zip(weights, (v, w) => v * w).Sum()));
            Assert.That(Values(shadow, "Value"), Is.EqualTo(new[] { 1 + 2 * 2.0, 2 * 3.0, 2 * -4.0 }));
            Assert.That(Values(shadow, "Weight"), Is.EqualTo(values.Select(v => 2 * v).ToArray()));
        });
    }

    [Test]
    public void ListWrittenInPlaceReverseAgreesWithForward()
    {
        // Seeds on the outputs (the products left in the list) and on the returned last product.
        var values = new[] { 2f, -0.5f, 3f };
        var seeds = new[] { 0.5f, 1f, -1f };
        var shadow = FloatList(seeds);
        var last = woven.Invoke("Lists", "GradientOfCumulativeProduct", FloatList(values), shadow, 1f);
        // ⟨seed, J·eᵢ⟩ from forward mode, one input direction at a time.
        var expected = Enumerable.Range(0, 3).Select(i =>
        {
            var tangents = FloatList(Enumerable.Range(0, 3).Select(j => j == i ? 1f : 0f).ToArray());
            var result = (ITuple)woven.Invoke("Lists", "TangentOfCumulativeProduct", FloatList(values), tangents)!;
            return FloatValues(tangents).Zip(seeds, (t, s) => t * s).Sum() + (float)result[1]!;
        }).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(last, Is.EqualTo(-3f));
            Assert.That(FloatValues(shadow), Is.EqualTo(expected).Within(1e-5f));
        });
    }

    [TestCase(5)]
    [TestCase(0)]
    public void PhiOfArraysBothModes(int which)
    {
        var (a, b) = (new[] { 1.5, -2, 0.5 }, new[] { 2.0, 0.25, -1 });
        double F(double[] ab) => (double)woven.Invoke("Lists", "Choose", ab[..3], ab[3..], which)!;
        var (da, db) = (new double[3], new double[3]);
        woven.Invoke("Lists", "GradientOfChoose", a, da, b, db, which, 1.0);
        var reverse = da.Concat(db).ToArray();
        var forward = Enumerable.Range(0, 6).Select(i => (double)((ITuple)woven.Invoke("Lists", "TangentOfChoose", a, Unit(6, i)[..3], b, Unit(6, i)[3..], which)!)[1]!).ToArray();
        FiniteDifferences.AssertClose(reverse, FiniteDifferences.Gradient(F, a.Concat(b).ToArray()));
        FiniteDifferences.AssertClose(forward, reverse, 1e-12);
    }

    [Test]
    public void ArrayAllocatedInALoopReverse()
    {
        // f = Σ xᵢ₊₁·xᵢ²: ∂f/∂xⱼ = 2xⱼxⱼ₊₁ + xⱼ₋₁².
        var x = new[] { 1.5, -2, 0.5, 3 };
        var dx = new double[4];
        var value = woven.Invoke("Lists", "GradientOfPairs", x, dx, 1.0);
        var expected = Enumerable.Range(0, 4).Select(j => (j + 1 < 4 ? 2 * x[j] * x[j + 1] : 0) + (j > 0 ? x[j - 1] * x[j - 1] : 0)).ToArray();
        var forward = Enumerable.Range(0, 4).Select(i => (double)((ITuple)woven.Invoke("Lists", "TangentOfPairs", x, Unit(4, i))!)[1]!).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(value, Is.EqualTo(Enumerable.Range(0, 3).Sum(i => x[i + 1] * x[i] * x[i])));
            FiniteDifferences.AssertClose(dx, expected, 1e-12);
            FiniteDifferences.AssertClose(forward, expected, 1e-12);
        });
    }

    [Test]
    public void TypeSwitchOnAShadow()
    {
        var circle = Shape("Circle", ("Radius", 2.0));
        var dcircle = Shape("Circle", ("Radius", 0.0));
        var rectangle = Shape("Rectangle", ("Width", 3.0), ("Height", 5.0));
        var drectangle = Shape("Rectangle", ("Width", 0.0), ("Height", 0.0));
        var circleArea = woven.Invoke("Lists", "GradientOfArea", circle, dcircle, 1.0);
        var rectangleArea = woven.Invoke("Lists", "GradientOfArea", rectangle, drectangle, 2.0);
        var tangent = (ITuple)woven.Invoke("Lists", "TangentOfArea", rectangle, Shape("Rectangle", ("Width", 1.0), ("Height", -1.0)))!;
        Assert.Multiple(() =>
        {
            Assert.That(circleArea, Is.EqualTo(12.0));
            Assert.That(Field(dcircle, "Radius"), Is.EqualTo(6 * 2.0));
            Assert.That(rectangleArea, Is.EqualTo(15.0));
            Assert.That(Field(drectangle, "Width"), Is.EqualTo(2 * 5.0));
            Assert.That(Field(drectangle, "Height"), Is.EqualTo(2 * 3.0));
            Assert.That(tangent[1], Is.EqualTo(5.0 - 3.0));
        });
    }

    [Test]
    public void TypePatternWithWritesBothModes()
    {
        // Rectangle: W₁ = kW, f = W₁ + H, with output seeds (sW, sH): W̄ = k(1 + sW), H̄ = 1 + sH, k̄ = W(1 + sW).
        var rectangle = Shape("Rectangle", ("Width", 3.0), ("Height", 5.0));
        var shadow = Shape("Rectangle", ("Width", 0.5), ("Height", 2.0));
        var gradient = (ITuple)woven.Invoke("Lists", "GradientOfScaled", rectangle, shadow, 2.0, 1.0)!;
        var forward = Shape("Rectangle", ("Width", 3.0), ("Height", 5.0));
        var tangent = (ITuple)woven.Invoke("Lists", "TangentOfScaled", forward, Shape("Rectangle", ("Width", 1.0), ("Height", 1.0)), 2.0, 0.5)!;
        var circleGradient = (ITuple)woven.Invoke("Lists", "GradientOfScaled", Shape("Circle", ("Radius", 1.0)), Shape("Circle", ("Radius", 0.0)), 2.0, 1.0)!;
        Assert.Multiple(() =>
        {
            Assert.That(gradient[0], Is.EqualTo(11.0));
            Assert.That(Field(rectangle, "Width"), Is.EqualTo(6.0));
            Assert.That(Field(shadow, "Width"), Is.EqualTo(2 * 1.5));
            Assert.That(Field(shadow, "Height"), Is.EqualTo(3.0));
            Assert.That(gradient[1], Is.EqualTo(3 * 1.5));
            // Ẇ₁ = k̇W + kẆ = 0.5·3 + 2·1; ḟ = Ẇ₁ + Ḣ.
            Assert.That(tangent[1], Is.EqualTo(1.5 + 2 + 1));
            Assert.That(circleGradient[1], Is.EqualTo(1.0));
        });
    }

    private static double[] Unit(int length, int index) => Enumerable.Range(0, length).Select(i => i == index ? 1.0 : 0.0).ToArray();

    private static object? List(double[] values, double[] weights)
    {
        object? head = null;
        for (var i = values.Length - 1; i >= 0; i--)
        {
            var node = Activator.CreateInstance(woven.Loaded.Type("Node"))!;
            SetField(node, "Value", values[i]);
            SetField(node, "Weight", weights[i]);
            SetField(node, "Next", head);
            head = node;
        }
        return head;
    }

    private static object? FloatList(float[] values)
    {
        object? head = null;
        for (var i = values.Length - 1; i >= 0; i--)
        {
            var node = Activator.CreateInstance(woven.Loaded.Type("FloatNode"))!;
            SetField(node, "Value", values[i]);
            SetField(node, "Next", head);
            head = node;
        }
        return head;
    }

    private static double[] Values(object? head, string field)
    {
        var values = new System.Collections.Generic.List<double>();
        for (var node = head; node != null; node = Field(node, "Next"))
            values.Add((double)Field(node, field)!);
        return values.ToArray();
    }

    private static float[] FloatValues(object? head)
    {
        var values = new System.Collections.Generic.List<float>();
        for (var node = head; node != null; node = Field(node, "Next"))
            values.Add((float)Field(node, "Value")!);
        return values.ToArray();
    }

    private static object Shape(string type, params (string Name, double Value)[] fields)
    {
        var shape = Activator.CreateInstance(woven.Loaded.Type(type))!;
        foreach (var (name, value) in fields)
            SetField(shape, name, value);
        return shape;
    }

    private static void SetField(object target, string name, object? value) => target.GetType().GetField(name)!.SetValue(target, value);

    private static object? Field(object target, string name) => target.GetType().GetField(name)!.GetValue(target);
}
