using System;
using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Loading;
using NUnit.Framework;

namespace Autodiff.Tests.Differentiation;

/// <summary>
/// Random straight-line programs over three inputs (shared subexpressions included): forward and reverse
/// agree (vᵀ(J·u) = (vᵀJ)·u) and the gradient matches central differences of the primal.
/// </summary>
public sealed class RandomExpressionTests
{
    private static readonly Func<IrBuilder, Value, Value, Value>[] Operations =
    {
        (b, x, y) => b.Add(x, y),
        (b, x, y) => b.Sub(x, y),
        (b, x, y) => b.Mul(x, y),
        (b, x, _) => b.Neg(x),
        (b, x, y) => b.Div(x, b.Add(b.Method.Float64(1.5), b.Mul(y, y))),
        (b, x, _) => Primals.Call(b, "System.Math", "Sin", x),
        (b, x, _) => Primals.Call(b, "System.Math", "Cos", x),
        (b, x, _) => Primals.Call(b, "System.Math", "Tanh", x),
        (b, x, _) => Primals.Call(b, "System.Math", "Atan", x),
        (b, x, _) => Primals.Call(b, "System.Math", "Exp", Primals.Call(b, "System.Math", "Tanh", x)),
        (b, x, y) => Primals.Call(b, "System.Math", "Pow", b.Add(b.Method.Float64(1.25), b.Mul(x, x)), Primals.Call(b, "System.Math", "Sin", y)),
    };

    private static IrMethod RandomProgram(Random random) =>
        Primals.Straight("F", Primals.Types.Double, new[] { (Primals.Types.Double, "a"), (Primals.Types.Double, "b"), (Primals.Types.Double, "c") }, (b, p) =>
        {
            var pool = new List<Value>(p) { b.Method.Float64(0.5) };
            for (var i = 0; i < 12; i++)
                pool.Add(Operations[random.Next(Operations.Length)](b, pool[random.Next(pool.Count)], pool[random.Next(pool.Count)]));
            return b.Add(pool[pool.Count - 1], pool[pool.Count - 2]);
        });

    [Test]
    public void ForwardReverseAndDifferencesAgree([Range(1, 40)] int seed)
    {
        var random = new Random(seed);
        var primal = RandomProgram(random);
        var point = new[] { random.NextDouble() * 2 - 1, random.NextDouble() * 2 - 1, random.NextDouble() * 2 - 1 };
        var u = new[] { random.NextDouble() - 0.5, random.NextDouble() - 0.5, random.NextDouble() - 0.5 };

        var reverse = Derive.Gradient(primal, point.Cast<object>().ToArray());
        var gradient = reverse.Skip(1).ToArray();
        var forward = Derive.Directional(primal, point.Cast<object>().ToArray(), u.Cast<object>().ToArray());

        Assert.That(forward[0], Is.EqualTo(reverse[0]), "same primal value");
        var projected = gradient.Zip(u, (g, d) => g * d).Sum();
        Assert.That(forward[1], Is.EqualTo(projected).Within(1e-12 * Math.Max(1, Math.Abs(projected))), IrPrinter.Print(primal));
        for (var i = 0; i < 3; i++)
            Check.Close(gradient[i], Check.CentralDifference(primal, point, i), 1e-6, $"∂/∂x{i} against a central difference");
    }

    [Test]
    public void VectorForwardOnUnitDirectionsIsTheGradient([Range(1, 10)] int seed)
    {
        var random = new Random(seed);
        var primal = RandomProgram(random);
        var point = new[] { random.NextDouble() * 2 - 1, random.NextDouble() * 2 - 1, random.NextDouble() * 2 - 1 };
        var request = TestRequests.Create(primal, DerivativeMode.Forward, 3, ActivityKind.Dual, ActivityKind.Dual, ActivityKind.Dual, ActivityKind.DualOnly);
        // Each input followed by its three lanes: lane k of input i is 1 when i = k (the identity matrix).
        var arguments = Enumerable.Range(0, 3).SelectMany(i => new object[] { point[i] }.Concat(Enumerable.Range(0, 3).Select(k => (object)(i == k ? 1.0 : 0.0)))).ToArray();
        var jacobian = Derive.Run(primal, request, arguments);
        var gradient = Derive.Gradient(primal, point.Cast<object>().ToArray()).Skip(1).ToArray();
        Assert.That(jacobian, Is.EqualTo(gradient).Within(1e-12));
    }
}
