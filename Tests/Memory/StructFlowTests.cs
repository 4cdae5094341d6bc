using System;
using System.Linq;
using System.Numerics;
using System.Runtime.CompilerServices;
using Autodiff.Tests.EndToEnd;
using NUnit.Framework;

namespace Autodiff.Tests.Memory;

/// <summary>
/// Struct values as derivatives flow through them (StructScalarization): locals, copies, phis, loops, nested structs,
/// struct returns, Vector3/ValueTuple values and structs in arrays and fields, in both modes, woven end to end,
/// against closed forms, central differences and each other.
/// </summary>
public sealed class StructFlowTests
{
    private static WovenAssembly woven = null!;

    [OneTimeSetUp]
    public void Weave() => woven = WovenAssembly.Compile(StructFlowSource.Text);

    [OneTimeTearDown]
    public void Unload() => woven.Dispose();

    [Test]
    public void WeavesWithoutErrors() => Assert.That(woven.Result.Succeeded, Is.True, woven.ErrorText);

    [TestCase(1.5, -0.5)]
    [TestCase(-2.0, 3.0)]
    public void StructLocalsAndCopies(double x, double y)
    {
        // f = 2x²y + xy² − x: ∂x = 4xy + y² − 1, ∂y = 2x² + 2xy.
        var gradient = (ITuple)Invoke("GradientOfLocals", x, y, 1.0);
        var tangent = (ITuple)Invoke("TangentOfLocals", x, 0.25, y, -2.0);
        var (dx, dy) = (4 * x * y + y * y - 1, 2 * x * x + 2 * x * y);
        Assert.Multiple(() =>
        {
            Assert.That(gradient[0], Is.EqualTo(2 * x * x * y + x * y * y - x).Within(1e-12));
            Assert.That(gradient[1], Is.EqualTo(dx).Within(1e-12));
            Assert.That(gradient[2], Is.EqualTo(dy).Within(1e-12));
            Assert.That(tangent[1], Is.EqualTo(0.25 * dx - 2 * dy).Within(1e-12));
        });
    }

    [TestCase(2.0, 0.3)]
    [TestCase(0.5, -1.2)]
    public void ComputingConstructorIsReplayed(double r, double t)
    {
        // f = r²·sin 2t / 2: ∂r = r·sin 2t, ∂t = r²·cos 2t.
        var gradient = (ITuple)Invoke("GradientOfCorner", r, t, 1.0);
        var tangent = (ITuple)Invoke("TangentOfCorner", r, 1.0, t, 0.5);
        Assert.Multiple(() =>
        {
            Assert.That(gradient[0], Is.EqualTo(r * r * Math.Sin(2 * t) / 2).Within(1e-12));
            Assert.That(gradient[1], Is.EqualTo(r * Math.Sin(2 * t)).Within(1e-12));
            Assert.That(gradient[2], Is.EqualTo(r * r * Math.Cos(2 * t)).Within(1e-12));
            Assert.That(tangent[1], Is.EqualTo(r * Math.Sin(2 * t) + 0.5 * r * r * Math.Cos(2 * t)).Within(1e-12));
        });
    }

    [TestCase(3f, 2f)]
    [TestCase(1f, 4f)]
    public void PhiOfStructsFloat(float x, float y)
    {
        // x > y: f = y²x (∂x = y², ∂y = 2xy); otherwise f = xy.
        var (dx, dy) = x > y ? (y * y, 2 * x * y) : (y, x);
        var gradient = (ITuple)Invoke("GradientOfPick", x, y, 1f);
        var tangent = (ITuple)Invoke("TangentOfPick", x, 1f, y, 0.5f);
        Assert.Multiple(() =>
        {
            Assert.That(gradient[1], Is.EqualTo(dx));
            Assert.That(gradient[2], Is.EqualTo(dy));
            Assert.That(tangent[1], Is.EqualTo(dx + 0.5f * dy).Within(1e-5f));
        });
    }

    [Test]
    public void StructCarriedAroundALoop()
    {
        const int turns = 4;
        double F(double[] v) => (double)Invoke("TangentOfRotate", v[0], 0.0, v[1], 0.0, turns)!.GetType().GetField("Item1")!.GetValue(Invoke("TangentOfRotate", v[0], 0.0, v[1], 0.0, turns))!;
        var point = new[] { 0.7, -0.3 };
        var gradient = (ITuple)Invoke("GradientOfRotate", point[0], point[1], turns, 1.0);
        var forward = new[] { (double)((ITuple)Invoke("TangentOfRotate", point[0], 1.0, point[1], 0.0, turns))[1]!, (double)((ITuple)Invoke("TangentOfRotate", point[0], 0.0, point[1], 1.0, turns))[1]! };
        var reverse = new[] { (double)gradient[1]!, (double)gradient[2]! };
        FiniteDifferences.AssertClose(reverse, FiniteDifferences.Gradient(F, point));
        FiniteDifferences.AssertClose(forward, reverse, 1e-12);
    }

    [Test]
    public void NestedStructParameter()
    {
        // f = (To.A − From.A)(To.B − From.B) at From = (1, 2), To = (4, 7): f = 15.
        var segment = Segment(1, 2, 4, 7);
        var gradient = (ITuple)Invoke("GradientOfBox", segment, 1.0);
        var tangent = (ITuple)Invoke("TangentOfBox", segment, Segment(0.5, 0, 0, 1));
        Assert.Multiple(() =>
        {
            Assert.That(gradient[0], Is.EqualTo(15.0));
            Assert.That(Leaves(gradient[1]!), Is.EqualTo(new[] { -5.0, -3.0, 5.0, 3.0 }));
            Assert.That(tangent[1], Is.EqualTo(0.5 * -5.0 + 1 * 3.0));
        });
    }

    [TestCase(2.0, 0.6)]
    [TestCase(2.0, 11.0)]
    public void StructReturnSeedAndTangent(double r, double t)
    {
        // (r cos t, r sin t) below t = 10, (r, t) above; seed (sa, sb).
        var (sa, sb) = (0.5, -1.5);
        var seed = Pair(sa, sb);
        var gradient = (ITuple)Invoke("GradientOfPolar", r, t, seed);
        var tangent = (ITuple)Invoke("TangentOfPolar", r, 0.25, t, 2.0);
        var jacobian = t > 10 ? new[,] { { 1.0, 0 }, { 0, 1 } } : new[,] { { Math.Cos(t), -r * Math.Sin(t) }, { Math.Sin(t), r * Math.Cos(t) } };
        Assert.Multiple(() =>
        {
            Assert.That(gradient[0]!.GetType().Name, Is.EqualTo("Pair"));
            Assert.That(gradient[1], Is.EqualTo(sa * jacobian[0, 0] + sb * jacobian[1, 0]).Within(1e-12));
            Assert.That(gradient[2], Is.EqualTo(sa * jacobian[0, 1] + sb * jacobian[1, 1]).Within(1e-12));
            Assert.That(Leaves(tangent[1]!), Is.EqualTo(new[] { 0.25 * jacobian[0, 0] + 2 * jacobian[0, 1], 0.25 * jacobian[1, 0] + 2 * jacobian[1, 1] }).Within(1e-12));
        });
    }

    [Test]
    public void Vector3LengthFromFields()
    {
        var v = new Vector3(2, -3, 6);
        var gradient = (ITuple)Invoke("GradientOfLength", v, 1f);
        var tangent = (ITuple)Invoke("TangentOfLength", v, new Vector3(1, 1, 0.5f));
        Assert.Multiple(() =>
        {
            Assert.That(gradient[0], Is.EqualTo(7f));
            Assert.That(Vector3.Distance((Vector3)gradient[1]!, v / 7), Is.LessThan(1e-6f));
            Assert.That((float)tangent[1]!, Is.EqualTo(Vector3.Dot(v / 7, new Vector3(1, 1, 0.5f))).Within(1e-6f));
        });
    }

    [Test]
    public void Vector3CrossProductBothModes()
    {
        // d(a×b) = da×b + a×db; with seed s, ā = b×s and b̄ = s×a (s·(a×b) = a·(b×s) = b·(s×a)).
        var (a, b, s) = (new Vector3(1, 2, 3), new Vector3(-2, 0.5f, 4), new Vector3(0.5f, -1, 2));
        var (da, db) = (new Vector3(0, 1, -1), new Vector3(2, 0, 1));
        var gradient = (ITuple)Invoke("GradientOfCross", a, b, s);
        var tangent = (ITuple)Invoke("TangentOfCross", a, da, b, db);
        Assert.Multiple(() =>
        {
            Assert.That(gradient[0], Is.EqualTo(Vector3.Cross(a, b)));
            Assert.That(gradient[1], Is.EqualTo(Vector3.Cross(b, s)));
            Assert.That(gradient[2], Is.EqualTo(Vector3.Cross(s, a)));
            Assert.That(tangent[0], Is.EqualTo(Vector3.Cross(a, b)));
            Assert.That(tangent[1], Is.EqualTo(Vector3.Cross(da, b) + Vector3.Cross(a, db)));
            // Forward against reverse: s·ṙ = ā·da + b̄·db.
            Assert.That(Vector3.Dot(s, (Vector3)tangent[1]!), Is.EqualTo(Vector3.Dot((Vector3)gradient[1]!, da) + Vector3.Dot((Vector3)gradient[2]!, db)).Within(1e-5f));
        });
    }

    [Test]
    public void ValueTupleInAndOut()
    {
        // (ab, a + sin b): seed (s₁, s₂) gives ā = s₁b + s₂, b̄ = s₁a + s₂cos b.
        var (a, b) = (1.5, 0.4);
        var gradient = (ITuple)Invoke("GradientOfSwirl", (a, b), (2.0, -1.0));
        var tangent = (ITuple)Invoke("TangentOfSwirl", (a, b), (0.5, 3.0));
        Assert.Multiple(() =>
        {
            Assert.That(gradient[0], Is.EqualTo((a * b, a + Math.Sin(b))));
            Assert.That(((double, double))gradient[1]!, Is.EqualTo((2 * b - 1, 2 * a - Math.Cos(b))));
            var (t1, t2) = ((double, double))tangent[1]!;
            Assert.That(t1, Is.EqualTo(0.5 * b + a * 3).Within(1e-12));
            Assert.That(t2, Is.EqualTo(0.5 + Math.Cos(b) * 3).Within(1e-12));
        });
    }

    [Test]
    public void StructsCopiedOutOfAndIntoAnArray()
    {
        // pairs[i] = (AB, A), f = Σ A: with output seeds s: Ā = 1 + s.A·B + s.B, B̄ = s.A·A.
        var pairs = Pairs(2, 3, -1, 4);
        var shadows = Pairs(0.5, 1, 0, -2);
        var value = Invoke("GradientOfShuffle", pairs, shadows, 1.0);
        var forwardPairs = Pairs(2, 3, -1, 4);
        var tangents = Pairs(1, 0, 0.5, 2);
        var tangent = (ITuple)Invoke("TangentOfShuffle", forwardPairs, tangents);
        Assert.Multiple(() =>
        {
            Assert.That(value, Is.EqualTo(1.0));
            Assert.That(PairLeaves(pairs), Is.EqualTo(new[] { 6.0, 2, -4, -1 }));
            Assert.That(PairLeaves(shadows), Is.EqualTo(new[] { 1 + 0.5 * 3 + 1, 0.5 * 2, 1 + 0 - 2, 0 }));
            Assert.That(tangent[1], Is.EqualTo(1.5));
            Assert.That(PairLeaves(tangents), Is.EqualTo(new[] { 1 * 3 + 0.0, 1, 0.5 * 4 + -1 * 2.0, 0.5 }));
        });
    }

    [Test]
    public void StructFieldOfAnObject()
    {
        // A₁ = A + dt·B, f = A₁B, with output seeds (sA, sB) on Position.
        var (a, b, dt, sa, sb) = (2.0, 3.0, 0.5, 0.5, -1.0);
        var body = Body(a, b);
        var shadow = Body(sa, sb);
        var gradient = (ITuple)Invoke("GradientOfMove", body, shadow, dt, 1.0);
        var a1 = a + dt * b;
        var abar1 = b + sa;
        var tangent = (ITuple)Invoke("TangentOfMove", Body(a, b), Body(1, 0.5), dt, 2.0);
        Assert.Multiple(() =>
        {
            Assert.That(gradient[0], Is.EqualTo(a1 * b));
            Assert.That(Leaves(Position(body)), Is.EqualTo(new[] { a1, b }));
            Assert.That(Leaves(Position(shadow)), Is.EqualTo(new[] { abar1, a1 + sb + abar1 * dt }));
            Assert.That(gradient[1], Is.EqualTo(abar1 * b));
            // Ȧ₁ = Ȧ + ḋt·B + dt·Ḃ, ḟ = Ȧ₁B + A₁Ḃ.
            Assert.That(tangent[1], Is.EqualTo((1 + 2 * b + dt * 0.5) * b + a1 * 0.5));
        });
    }

    private static object Invoke(string method, params object?[] arguments) => woven.Invoke("Structs", method, arguments)!;

    private static object Pair(double a, double b)
    {
        var type = woven.Loaded.Type("Pair");
        var pair = Activator.CreateInstance(type)!;
        type.GetField("A")!.SetValue(pair, a);
        type.GetField("B")!.SetValue(pair, b);
        return pair;
    }

    private static Array Pairs(params double[] leaves)
    {
        var array = Array.CreateInstance(woven.Loaded.Type("Pair"), leaves.Length / 2);
        for (var i = 0; i < array.Length; i++)
            array.SetValue(Pair(leaves[2 * i], leaves[2 * i + 1]), i);
        return array;
    }

    private static double[] PairLeaves(Array pairs) => pairs.Cast<object>().SelectMany(Leaves).ToArray();

    private static object Segment(double fromA, double fromB, double toA, double toB)
    {
        var type = woven.Loaded.Type("Segment");
        var segment = Activator.CreateInstance(type)!;
        type.GetField("From")!.SetValue(segment, Pair(fromA, fromB));
        type.GetField("To")!.SetValue(segment, Pair(toA, toB));
        return segment;
    }

    private static object Body(double a, double b)
    {
        var body = Activator.CreateInstance(woven.Loaded.Type("Body"))!;
        body.GetType().GetField("Position")!.SetValue(body, Pair(a, b));
        return body;
    }

    private static object Position(object body) => body.GetType().GetField("Position")!.GetValue(body)!;

    /// <summary>The float/double leaves of a struct, depth first.</summary>
    private static double[] Leaves(object value) =>
        value.GetType().GetFields().SelectMany(f => f.FieldType == typeof(double) ? new[] { (double)f.GetValue(value)! } : Leaves(f.GetValue(value)!)).ToArray();
}
