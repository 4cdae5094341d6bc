using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Autodiff.Tests.EndToEnd;
using Autodiff.Tests.Memory;
using NUnit.Framework;

namespace Autodiff.Tests.Calls;

/// <summary>
/// Recursion over a tree: a recursive helper is passed <c>t.Left</c>/<c>t.Right</c>, objects read from fields of a
/// shadowed object, with their shadows (the same fields of the shadow tree), in both modes, woven end to end, against
/// closed forms, central differences and each other.
/// </summary>
public sealed class TreeCallTests
{
    // Values in pre-order of the tree root(l(ll, lr), r(·, rr)).
    private static readonly double[] Values = { 1.5, -0.5, 2.0, 0.75, 1.25, -1.0 };

    private static WovenAssembly woven = null!;

    [OneTimeSetUp]
    public void Weave() => woven = WovenAssembly.Compile(TreeCallSource.Text);

    [OneTimeTearDown]
    public void Unload() => woven.Dispose();

    [Test]
    public void WeavesWithoutErrors() => Assert.That(woven.Result.Succeeded, Is.True, woven.ErrorText);

    [TestCase(0.8)]
    [TestCase(-1.5)]
    public void RecursionThroughChildFields(double w)
    {
        // f = Σ w·0.5^(right turns to the node)·value²: ∂value = 2·weight·value, ∂w = f / w.
        var weights = new[] { 1, 1, 1, 0.5, 0.5, 0.25 }.Select(k => k * w).ToArray();
        var f = Values.Zip(weights, (v, k) => k * v * v).Sum();
        var expected = Values.Zip(weights, (v, k) => 2 * k * v).ToArray();
        var shadow = Tree(new double[Values.Length]);
        var gradient = (ITuple)Invoke("GradientOfTotal", Tree(Values), shadow, w, 1.0);
        Assert.That((double)gradient[0]!, Is.EqualTo(f).Within(1e-12));
        Assert.That((double)gradient[1]!, Is.EqualTo(f / w).Within(1e-12));
        FiniteDifferences.AssertClose(PreOrder(shadow), expected, 1e-12);
        FiniteDifferences.AssertClose(expected, FiniteDifferences.Gradient(p => (double)Invoke("Total", Tree(p), w), Values));
        // Forward along (direction, dw = 2) equals the gradient's dot product with it.
        double[] direction = { 1, -1, 0.5, 2, 0, 3 };
        var tangent = (ITuple)Invoke("TangentOfTotal", Tree(Values), Tree(direction), w, 2.0);
        Assert.That((double)tangent[1]!, Is.EqualTo(expected.Zip(direction, (a, b) => a * b).Sum() + 2 * f / w).Within(1e-12));
    }

    private static object Invoke(string method, params object?[] arguments) => woven.Invoke("Trees", method, arguments)!;

    // root(l(ll, lr), r(null, rr)) from values in pre-order.
    private static object Tree(double[] values) =>
        Node(values[0], Node(values[1], Node(values[2], null, null), Node(values[3], null, null)), Node(values[4], null, Node(values[5], null, null)));

    private static object Node(double value, object? left, object? right)
    {
        var type = woven.Loaded.Type("Node");
        var node = Activator.CreateInstance(type)!;
        type.GetField("Value")!.SetValue(node, value);
        type.GetField("Left")!.SetValue(node, left);
        type.GetField("Right")!.SetValue(node, right);
        return node;
    }

    private static double[] PreOrder(object? node)
    {
        if (node == null)
            return Array.Empty<double>();
        var type = node.GetType();
        return new List<double> { (double)type.GetField("Value")!.GetValue(node)! }
            .Concat(PreOrder(type.GetField("Left")!.GetValue(node)))
            .Concat(PreOrder(type.GetField("Right")!.GetValue(node)))
            .ToArray();
    }
}
