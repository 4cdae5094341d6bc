using System;
using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Loading;
using NUnit.Framework;

namespace Autodiff.Tests.Differentiation;

/// <summary>
/// Random acyclic programs: chains of if/else diamonds whose arms compute on earlier values and merge in
/// active phis (some arms pass an earlier value, parameter or constant through). Reverse mode, which
/// records the path, agrees with forward mode, which follows it (vᵀ(J·u) = (vᵀJ)·u).
/// </summary>
public sealed class RandomBranchingTests
{
    private static readonly Func<IrBuilder, Value, Value, Value>[] Operations =
    {
        (b, x, y) => b.Add(x, y),
        (b, x, y) => b.Mul(x, y),
        (b, x, y) => b.Sub(x, b.Mul(y, b.Method.Float64(0.5))),
        (b, x, _) => Primals.Call(b, "System.Math", "Sin", x),
        (b, x, y) => b.Div(x, b.Add(b.Method.Float64(1.5), b.Mul(y, y))),
        (b, x, _) => Primals.Call(b, "System.Math", "Exp", Primals.Call(b, "System.Math", "Tanh", x)),
    };

    private static IrMethod RandomProgram(Random random)
    {
        var types = Primals.Types;
        var method = new IrMethod(Primals.Module, "F", types.Double);
        var pool = new List<Value> { method.AddParameter(types.Double, "a"), method.AddParameter(types.Double, "b"), method.AddParameter(types.Double, "c"), method.Float64(0.75) };
        var b = new IrBuilder(method).AtEnd(method.AddBlock(null));
        Value Pick() => pool[random.Next(pool.Count)];
        for (var diamond = 0; diamond < 5; diamond++)
        {
            pool.Add(Operations[random.Next(Operations.Length)](b, Pick(), Pick()));
            var left = method.AddBlock(null);
            var right = method.AddBlock(null);
            var merge = method.AddBlock(null);
            b.BranchIf(b.Compare(ComparePredicate.Less, Pick(), Pick()), left, right);
            var fromLeft = Operations[random.Next(Operations.Length)](b.AtEnd(left), Pick(), Pick());
            b.Branch(merge);
            var fromRight = random.Next(3) == 0 ? Pick() : Operations[random.Next(Operations.Length)](b.AtEnd(right), Pick(), Pick());
            b.AtEnd(right).Branch(merge);
            var phi = b.Phi(merge, types.Double);
            phi.AddPhiIncoming(left, fromLeft);
            phi.AddPhiIncoming(right, fromRight);
            pool.Add(phi);
            b.AtEnd(merge);
        }
        b.Return(b.Add(pool[pool.Count - 1], b.Mul(pool[pool.Count - 2], pool[pool.Count - 4])));
        return method;
    }

    /// <summary>Two counted loops in sequence, each folding an accumulator, with an if/else inside the body.</summary>
    private static IrMethod RandomLoops(Random random)
    {
        var types = Primals.Types;
        var method = new IrMethod(Primals.Module, "L", types.Double);
        var pool = new List<Value> { method.AddParameter(types.Double, "a"), method.AddParameter(types.Double, "b"), method.AddParameter(types.Double, "c") };
        var b = new IrBuilder(method).AtEnd(method.AddBlock(null));
        Value Pick() => pool[random.Next(pool.Count)];
        for (var loop = 0; loop < 2; loop++)
        {
            var before = b.Block;
            var init = Operations[random.Next(Operations.Length)](b, Pick(), Pick());
            var header = method.AddBlock(null);
            var body = method.AddBlock(null);
            var left = method.AddBlock(null);
            var right = method.AddBlock(null);
            var latch = method.AddBlock(null);
            var exit = method.AddBlock(null);
            b.Branch(header);
            var i = b.Phi(header, types.Int32);
            var acc = b.Phi(header, types.Double);
            b.AtEnd(header).BranchIf(b.Compare(ComparePredicate.Less, i, method.Int32(random.Next(5))), body, exit);
            var step = Operations[random.Next(Operations.Length)](b.AtEnd(body), acc, Pick());
            b.BranchIf(b.Compare(ComparePredicate.Less, step, Pick()), left, right);
            var fromLeft = b.Mul(Operations[random.Next(Operations.Length)](b.AtEnd(left), step, Pick()), method.Float64(0.5));
            b.Branch(latch);
            var fromRight = Primals.Call(b.AtEnd(right), "System.Math", "Sin", b.Add(step, acc));
            b.Branch(latch);
            var merged = b.Phi(latch, types.Double);
            merged.AddPhiIncoming(left, fromLeft);
            merged.AddPhiIncoming(right, fromRight);
            var next = b.AtEnd(latch).Add(i, method.Int32(1));
            b.Branch(header);
            i.AddPhiIncoming(before, method.Int32(0));
            i.AddPhiIncoming(latch, next);
            acc.AddPhiIncoming(before, init);
            acc.AddPhiIncoming(latch, merged);
            pool.Add(acc);
            b.AtEnd(exit);
        }
        b.Return(b.Add(pool[pool.Count - 1], b.Mul(pool[pool.Count - 2], pool[0])));
        return method;
    }

    [Test]
    public void ReverseAgreesWithForwardThroughLoops([Range(1, 40)] int seed) => Compare(RandomLoops(new Random(seed)), new Random(-seed));

    [Test]
    public void ReverseAgreesWithForward([Range(1, 40)] int seed)
    {
        var random = new Random(seed);
        Compare(RandomProgram(random), random);
    }

    private static void Compare(IrMethod primal, Random random)
    {
        var point = new[] { random.NextDouble() * 2 - 1, random.NextDouble() * 2 - 1, random.NextDouble() * 2 - 1 };
        var u = new[] { random.NextDouble() - 0.5, random.NextDouble() - 0.5, random.NextDouble() - 0.5 };

        var reverse = Derive.Gradient(primal, point.Cast<object>().ToArray());
        var forward = Derive.Directional(primal, point.Cast<object>().ToArray(), u.Cast<object>().ToArray());

        Assert.That(reverse[0], Is.EqualTo(forward[0]), "same primal value");
        var projected = reverse.Skip(1).Zip(u, (g, d) => g * d).Sum();
        Assert.That(forward[1], Is.EqualTo(projected).Within(1e-12 * Math.Max(1, Math.Abs(projected))), IrPrinter.Print(primal));
    }
}
