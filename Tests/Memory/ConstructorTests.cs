using System;
using System.Linq;
using System.Runtime.CompilerServices;
using Autodiff.Tests.EndToEnd;
using NUnit.Framework;

namespace Autodiff.Tests.Memory;

/// <summary>
/// <c>new C(args)</c> of classes whose constructors do work — arguments stored into fields, computations of them,
/// field initializers, base and chained constructors, control flow — holding active values, woven end to end in both
/// modes: the constructor is inlined on an uninitialized object whose shadow is another one.
/// </summary>
public sealed class ConstructorTests
{
    private const string Source = """
        using System;
        using System.CodeDom.Compiler;
        using Autodiff;

        public sealed class Pair
        {
            public double A;
            public double B;
            public double Sum;

            public Pair(double a, double b)
            {
                A = a;
                B = b * b;
                Sum = A + B;
            }
        }

        public class Body
        {
            public float Mass;
            public float Scale = 2f;

            public Body(float mass) => Mass = mass * Scale;
        }

        public sealed class Ball : Body
        {
            public float Radius;

            public Ball(float radius, float mass) : base(mass) => Radius = radius;

            // A chained constructor: the mass of a unit-density ball, up to 4π/3.
            public Ball(float radius) : this(radius, radius * radius * radius)
            {
            }
        }

        public sealed class Clamped
        {
            public double Value;

            public Clamped(double v, double limit)
            {
                if (v > limit)
                    Value = limit;
                else
                    Value = v * v;
            }
        }

        public sealed class Node
        {
            public double Value;
            public Node? Next;

            public Node(double value, Node? next)
            {
                Value = value;
                Next = next;
            }
        }

        public sealed class Term
        {
            public readonly double Coefficient;
            public readonly double Power;

            public Term(double c, double x) => (Coefficient, Power) = (c, x * x);
        }

        public static class Constructions
        {
            private static double Energy(double x, double y)
            {
                var p = new Pair(x, y);
                return p.Sum * p.B;
            }

            // An object with constructor logic created inside a helper the derivative calls: f = Σ (xᵢ + y²)·y². Forward
            // mode only: a reverse derivative splits the helper, whose halves cannot share the object's shadow (AD3006).
            [Autodiff(nameof(TangentOfEnergies), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double Energies(double[] x, double y)
            {
                var sum = 0.0;
                for (var i = 0; i < x.Length; i++)
                    sum += Energy(x[i], y);
                return sum;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) TangentOfEnergies(double[] x, double[] dx, double y, double dy);

            // f = (a + b²)·a.
            [Autodiff(nameof(GradientOfPairProduct), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
            [Autodiff(nameof(TangentOfPairProduct), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double PairProduct(double a, double b)
            {
                var p = new Pair(a, b);
                return p.Sum * p.A;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double, double) GradientOfPairProduct(double a, double b, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) TangentOfPairProduct(double a, double da, double b, double db);

            // f = 2r³·Scale… = Mass·Radius with Mass = 2r³ (base constructor, field initializer, chained constructor).
            [Autodiff(nameof(GradientOfMoment), Mode.Reverse, Activity.Active, Activity.Active)]
            [Autodiff(nameof(TangentOfMoment), Mode.Forward, Activity.Dual, Activity.Dual)]
            public static float Moment(float r)
            {
                var ball = new Ball(r);
                return ball.Mass * ball.Radius;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern (float, float) GradientOfMoment(float r, float seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (float, float) TangentOfMoment(float r, float dr);

            // A constructor with a branch: f = Value·x, Value = min-like clamp of x².
            [Autodiff(nameof(GradientOfClampedProduct), Mode.Reverse, Activity.Active, Activity.Const, Activity.Active)]
            [Autodiff(nameof(TangentOfClampedProduct), Mode.Forward, Activity.Dual, Activity.Const, Activity.Dual)]
            public static double ClampedProduct(double x, double limit)
            {
                var c = new Clamped(x, limit);
                return c.Value * x;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) GradientOfClampedProduct(double x, double limit, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) TangentOfClampedProduct(double x, double dx, double limit);

            // A linked list built in a loop, then walked: f = Σ w^(n-1-i)·xᵢ² (the head is the last element).
            [Autodiff(nameof(GradientOfDecayedSquares), Mode.Reverse, Activity.Duplicated, Activity.Active, Activity.Active)]
            [Autodiff(nameof(TangentOfDecayedSquares), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double DecayedSquares(double[] x, double w)
            {
                Node? head = null;
                for (var i = 0; i < x.Length; i++)
                    head = new Node(x[i] * x[i], head);
                var sum = 0.0;
                var weight = 1.0;
                for (var n = head; n != null; n = n.Next)
                {
                    sum += weight * n.Value;
                    weight *= w;
                }
                return sum;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) GradientOfDecayedSquares(double[] x, double[] dx, double w, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) TangentOfDecayedSquares(double[] x, double[] dx, double w, double dw);

            // Objects created in a loop and stored into an array, float: f = Σ cᵢ·xᵢ², cᵢ = i + 1.
            [Autodiff(nameof(GradientOfTerms), Mode.Reverse, Activity.Duplicated, Activity.Active)]
            [Autodiff(nameof(TangentOfTerms), Mode.Forward, Activity.Dual, Activity.Dual)]
            public static double Terms(double[] x)
            {
                var terms = new Term[x.Length];
                for (var i = 0; i < x.Length; i++)
                    terms[i] = new Term(i + 1, x[i]);
                var sum = 0.0;
                foreach (var term in terms)
                    sum += term.Coefficient * term.Power;
                return sum;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern double GradientOfTerms(double[] x, double[] dx, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) TangentOfTerms(double[] x, double[] dx);
        }
        """;

    private static WovenAssembly woven = null!;

    [OneTimeSetUp]
    public void Weave() => woven = WovenAssembly.Compile(Source);

    [OneTimeTearDown]
    public void Unload() => woven.Dispose();

    [Test]
    public void WeavesWithoutErrors() => Assert.That(woven.Result.Succeeded, Is.True, woven.ErrorText);

    [TestCase(1.5, -2.0)]
    [TestCase(-0.25, 0.5)]
    public void ArgumentsStoredAndCombinedBothModes(double a, double b)
    {
        // f = (a + b²)·a: ∂f/∂a = 2a + b², ∂f/∂b = 2ab.
        var gradient = (ITuple)woven.Invoke("Constructions", "GradientOfPairProduct", a, b, 1.0)!;
        var tangent = (ITuple)woven.Invoke("Constructions", "TangentOfPairProduct", a, 0.5, b, -1.0)!;
        var fd = FiniteDifferences.Gradient(v => (v[0] + v[1] * v[1]) * v[0], new[] { a, b });
        Assert.Multiple(() =>
        {
            Assert.That((double)gradient[0]!, Is.EqualTo((a + b * b) * a).Within(1e-12));
            Assert.That((double)gradient[1]!, Is.EqualTo(2 * a + b * b).Within(1e-12));
            Assert.That((double)gradient[2]!, Is.EqualTo(2 * a * b).Within(1e-12));
            FiniteDifferences.AssertClose(new[] { (double)gradient[1]!, (double)gradient[2]! }, fd);
            Assert.That((double)tangent[1]!, Is.EqualTo(0.5 * (double)gradient[1]! - (double)gradient[2]!).Within(1e-12));
        });
    }

    [TestCase(1.5f)]
    [TestCase(-0.75f)]
    public void BaseAndChainedConstructorsWithInitializerBothModes(float r)
    {
        // Mass = Scale·r³ = 2r³, f = Mass·r = 2r⁴: f′ = 8r³.
        var gradient = (ITuple)woven.Invoke("Constructions", "GradientOfMoment", r, 1f)!;
        var tangent = (ITuple)woven.Invoke("Constructions", "TangentOfMoment", r, 2f)!;
        var fd = FiniteDifferences.Gradient(v => 2 * Math.Pow(v[0], 4), new[] { (double)r });
        Assert.Multiple(() =>
        {
            Assert.That((float)gradient[0]!, Is.EqualTo(2 * r * r * r * r).Within(1e-5));
            Assert.That((float)gradient[1]!, Is.EqualTo(8 * r * r * r).Within(1e-4));
            FiniteDifferences.AssertClose(new[] { (double)(float)gradient[1]! }, fd, 1e-4);
            Assert.That((float)tangent[1]!, Is.EqualTo(2 * (float)gradient[1]!).Within(1e-4));
        });
    }

    [TestCase(0.5, 2.0)]
    [TestCase(3.0, 2.0)]
    public void ConstructorWithABranchBothModes(double x, double limit)
    {
        // f = x³ below the limit (f′ = 3x²), limit·x above it (f′ = limit).
        var expected = x > limit ? limit : 3 * x * x;
        var gradient = (ITuple)woven.Invoke("Constructions", "GradientOfClampedProduct", x, limit, 1.0)!;
        var tangent = (ITuple)woven.Invoke("Constructions", "TangentOfClampedProduct", x, 1.0, limit)!;
        var fd = FiniteDifferences.Gradient(v => (v[0] > limit ? limit : v[0] * v[0]) * v[0], new[] { x });
        Assert.Multiple(() =>
        {
            Assert.That((double)gradient[1]!, Is.EqualTo(expected).Within(1e-12));
            FiniteDifferences.AssertClose(new[] { (double)gradient[1]! }, fd);
            Assert.That((double)tangent[1]!, Is.EqualTo(expected).Within(1e-12));
        });
    }

    [TestCase(new double[0])]
    [TestCase(new[] { 2.0 })]
    [TestCase(new[] { 1.0, -2.0, 0.5, 3.0 })]
    public void LinkedListBuiltInALoopBothModes(double[] x)
    {
        // f = Σ w^(n−1−i)·xᵢ²: ∂f/∂xᵢ = 2w^(n−1−i)·xᵢ, ∂f/∂w = Σ (n−1−i)·w^(n−2−i)·xᵢ².
        const double w = 0.5;
        var n = x.Length;
        double F(double[] v, double weight) => v.Select((e, i) => Math.Pow(weight, n - 1 - i) * e * e).Sum();
        var dx = new double[n];
        var gradient = (ITuple)woven.Invoke("Constructions", "GradientOfDecayedSquares", x, dx, w, 1.0)!;
        var direction = x.Select((_, i) => 0.5 - i).ToArray();
        var tangent = (ITuple)woven.Invoke("Constructions", "TangentOfDecayedSquares", x, direction, w, 2.0)!;
        var expectedDw = x.Select((e, i) => n - 1 - i == 0 ? 0 : (n - 1 - i) * Math.Pow(w, n - 2 - i) * e * e).Sum();
        Assert.Multiple(() =>
        {
            Assert.That((double)gradient[0]!, Is.EqualTo(F(x, w)).Within(1e-12));
            Assert.That(dx, Is.EqualTo(x.Select((e, i) => 2 * Math.Pow(w, n - 1 - i) * e).ToArray()).Within(1e-12));
            Assert.That((double)gradient[1]!, Is.EqualTo(expectedDw).Within(1e-12));
            FiniteDifferences.AssertClose(dx, FiniteDifferences.Gradient(v => F(v, w), x));
            FiniteDifferences.AssertClose(new[] { (double)gradient[1]! }, FiniteDifferences.Gradient(v => F(x, v[0]), new[] { w }));
            Assert.That((double)tangent[1]!, Is.EqualTo(dx.Zip(direction, (g, u) => g * u).Sum() + 2 * expectedDw).Within(1e-12));
        });
    }

    [TestCase(new[] { 1.5 })]
    [TestCase(new[] { 1.0, -2.0, 0.25 })]
    public void ObjectsStoredIntoAnArrayBothModes(double[] x)
    {
        // f = Σ (i + 1)·xᵢ²: ∂f/∂xᵢ = 2(i + 1)·xᵢ.
        var dx = new double[x.Length];
        var f = (double)woven.Invoke("Constructions", "GradientOfTerms", x, dx, 1.0)!;
        var direction = x.Select((_, i) => 1.0 + i).ToArray();
        var tangent = (ITuple)woven.Invoke("Constructions", "TangentOfTerms", x, direction)!;
        Assert.Multiple(() =>
        {
            Assert.That(f, Is.EqualTo(x.Select((e, i) => (i + 1) * e * e).Sum()).Within(1e-12));
            Assert.That(dx, Is.EqualTo(x.Select((e, i) => 2 * (i + 1) * e).ToArray()).Within(1e-12));
            FiniteDifferences.AssertClose(dx, FiniteDifferences.Gradient(v => v.Select((e, i) => (i + 1) * e * e).Sum(), x));
            Assert.That((double)tangent[1]!, Is.EqualTo(dx.Zip(direction, (g, u) => g * u).Sum()).Within(1e-12));
        });
    }

    [Test]
    public void ObjectCreatedInsideACalleeForward()
    {
        // f = Σ (xᵢ + y²)·y²: ∂f/∂xᵢ = y², ∂f/∂y = Σ 2y·xᵢ + 4y³.
        var x = new[] { 1.0, -2.0, 0.5 };
        const double y = 1.5;
        var direction = new[] { 1.0, 0.5, -1.0 };
        var tangent = (ITuple)woven.Invoke("Constructions", "TangentOfEnergies", x, direction, y, 2.0)!;
        static double F(double[] v, double w) => v.Sum(e => (e + w * w) * w * w);
        var expected = direction.Sum(u => u * y * y) + 2 * x.Sum(e => 2 * y * e + 4 * y * y * y);
        var fd = FiniteDifferences.Directional(v => new[] { F(v.Take(3).ToArray(), v[3]) }, x.Append(y).ToArray(), direction.Append(2.0).ToArray());
        Assert.Multiple(() =>
        {
            Assert.That((double)tangent[0]!, Is.EqualTo(F(x, y)).Within(1e-12));
            Assert.That((double)tangent[1]!, Is.EqualTo(expected).Within(1e-12));
            FiniteDifferences.AssertClose(new[] { (double)tangent[1]! }, fd, 1e-5);
        });
    }

    [Test]
    public void DecompiledDerivativesAllocateUninitializedObjects() =>
        Assert.That(woven.DecompiledCSharp, Does.Contain("RuntimeHelpers.GetUninitializedObject(").And.Contain("typeof(Node)"));
}
