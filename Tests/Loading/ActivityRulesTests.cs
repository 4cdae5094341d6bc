using System;
using System.Linq;
using Autodiff.Weaver.Loading;
using NUnit.Framework;

namespace Autodiff.Tests.Loading;

/// <summary>DESIGN §1.1's activity tables: which activity fits which parameter type in each mode.</summary>
public sealed class ActivityRulesTests
{
    private const string Source = """
        public struct Point { public double X, Y; }
        public struct Mixed { public double X; public int N; }
        public sealed class Holder { public double[] Values = new double[1]; }
        public sealed class Node { public Node? Next; }
        public static class Subject
        {
            public static void M(double a, float b, int c, double[] d, double[][,] e, Span<double> f, ReadOnlySpan<float> g,
                ref double h, in double i, out double j, string k, System.Numerics.Vector3 l, Holder m, object n, Point p,
                Mixed q, Node r, DayOfWeek s, decimal t, int[] u) { j = 0; }
        }
        """;

    private static readonly Lazy<LoadedSource> Loaded = new(() => LoadedSource.Discover(Source));

    [TestCase("a", "Const Active", "Const Dual DualOnly")]
    [TestCase("b", "Const Active", "Const Dual DualOnly")]
    [TestCase("c", "Const", "Const")]
    [TestCase("d", "Const Duplicated DuplicatedOnly", "Const Dual DualOnly")]
    [TestCase("e", "Const Duplicated DuplicatedOnly", "Const Dual DualOnly")]
    [TestCase("f", "Const Duplicated DuplicatedOnly", "Const Dual DualOnly")]
    [TestCase("g", "Const Duplicated DuplicatedOnly", "Const Dual DualOnly")]
    [TestCase("h", "Const Duplicated DuplicatedOnly", "Const Dual DualOnly")]
    [TestCase("i", "Const Duplicated DuplicatedOnly", "Const Dual DualOnly")]
    [TestCase("j", "Const Duplicated DuplicatedOnly", "Const Dual DualOnly")]
    [TestCase("k", "Const", "Const")]
    [TestCase("l", "Const Active", "Const Dual DualOnly")]
    [TestCase("m", "Const Duplicated DuplicatedOnly", "Const Dual DualOnly")]
    [TestCase("n", "Const", "Const")]
    [TestCase("p", "Const Active", "Const Dual DualOnly")]
    [TestCase("q", "Const", "Const")]
    [TestCase("r", "Const", "Const")]
    [TestCase("s", "Const", "Const")]
    [TestCase("t", "Const", "Const")]
    [TestCase("u", "Const", "Const")]
    public void ParameterActivitiesThatFit(string parameter, string reverse, string forward)
    {
        var type = Loaded.Value.Module.GetType("Subject").Methods.Single(m => m.Name == "M").Parameters.Single(p => p.Name == parameter).ParameterType;
        Assert.That(Fitting(type, DerivativeMode.Reverse, isReturn: false), Is.EqualTo(reverse));
        Assert.That(Fitting(type, DerivativeMode.Forward, isReturn: false), Is.EqualTo(forward));
    }

    [Test]
    public void ReturnActivitiesThatFit()
    {
        var parameters = Loaded.Value.Module.GetType("Subject").Methods.Single(m => m.Name == "M").Parameters;
        var value = parameters.Single(p => p.Name == "a").ParameterType;
        var array = parameters.Single(p => p.Name == "d").ParameterType;
        Assert.That(Fitting(value, DerivativeMode.Reverse, isReturn: true), Is.EqualTo("Const Active ActiveOnly"));
        Assert.That(Fitting(array, DerivativeMode.Reverse, isReturn: true), Is.EqualTo("Const"));
        Assert.That(Fitting(array, DerivativeMode.Forward, isReturn: true), Is.EqualTo("Const Dual DualOnly"));
    }

    private static string Fitting(Mono.Cecil.TypeReference type, DerivativeMode mode, bool isReturn) =>
        string.Join(" ", Enum.GetValues<ActivityKind>().Where(a => ActivityRules.Check(a, type, mode, isReturn) == null));
}
