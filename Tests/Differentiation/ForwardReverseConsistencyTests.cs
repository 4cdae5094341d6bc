using System;
using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Ir;
using NUnit.Framework;

namespace Autodiff.Tests.Differentiation;

/// <summary>Forward against reverse on multi-input functions: vᵀ(J·u) = (vᵀJ)·u for random u and v.</summary>
public sealed class ForwardReverseConsistencyTests
{
    private static readonly (string Name, int Arity, Func<IrBuilder, Value[], Value> Body)[] Functions =
    {
        ("sin(x·y) + exp(z)/y", 3, (b, p) => b.Add(Math(b, "Sin", b.Mul(p[0], p[1])), b.Div(Math(b, "Exp", p[2]), p[1]))),
        ("pow(x, y)·tanh(z) − x/z", 3, (b, p) => b.Sub(b.Mul(Math(b, "Pow", p[0], p[1]), Math(b, "Tanh", p[2])), b.Div(p[0], p[2]))),
        ("sqrt(x·x + y·y)·log(z) + cos(w)", 4, (b, p) => b.Add(b.Mul(Math(b, "Sqrt", b.Add(b.Mul(p[0], p[0]), b.Mul(p[1], p[1]))), Math(b, "Log", p[2])), Math(b, "Cos", p[3]))),
        ("−x·(x − y)/(1 + x·x)", 2, (b, p) => b.Div(b.Mul(b.Neg(p[0]), b.Sub(p[0], p[1])), b.Add(b.Method.Float64(1), b.Mul(p[0], p[0])))),
    };

    public static IEnumerable<TestCaseData> Cases() =>
        from function in Functions
        from seed in new[] { 1, 2, 3 }
        select new TestCaseData(function.Name, seed).SetName($"{function.Name} (random seed {seed})");

    [TestCaseSource(nameof(Cases))]
    public void ForwardDirectionalDerivativeEqualsReverseGradientTimesDirection(string name, int seed)
    {
        var function = Functions.Single(f => f.Name == name);
        var primal = Primals.Straight("F", Primals.Types.Double,
            Enumerable.Range(0, function.Arity).Select(i => (Primals.Types.Double, "x" + i)).ToArray(), function.Body);
        var random = new Random(seed);
        var point = Enumerable.Range(0, function.Arity).Select(_ => 0.5 + 2 * random.NextDouble()).ToArray();
        var u = Enumerable.Range(0, function.Arity).Select(_ => random.NextDouble() - 0.5).ToArray();
        var v = random.NextDouble() + 0.5;

        var tangent = Derive.Directional(primal, point.Cast<object>().ToArray(), u.Cast<object>().ToArray())[1];
        var activities = Enumerable.Repeat(Autodiff.Weaver.Loading.ActivityKind.Active, function.Arity + 1).ToArray();
        var gradient = Derive.Run(primal, TestRequests.Reverse(primal, activities), point.Cast<object>().Append(v).ToArray()).Skip(1).ToArray();

        Assert.That(v * tangent, Is.EqualTo(gradient.Zip(u, (g, d) => g * d).Sum()).Within(1e-12 * System.Math.Max(1, System.Math.Abs(v * tangent))));
    }

    private static Value Math(IrBuilder builder, string name, params Value[] arguments) =>
        Primals.Call(builder, "System.Math", name, arguments);
}
