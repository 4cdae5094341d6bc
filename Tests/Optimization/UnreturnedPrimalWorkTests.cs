using System;
using Autodiff.Tests.EndToEnd;
using NUnit.Framework;

namespace Autodiff.Tests.Optimization;

/// <summary>
/// Woven <c>ActiveOnly</c>/<c>DualOnly</c> derivatives, which do not return the primal value, do not compute what only
/// that value needed (post-differentiation dead-code elimination): f = x·y + sin x needs sin x for the value, cos x for
/// the derivative. The decompiled bodies show what runs; the results show it is still right.
/// </summary>
public sealed class UnreturnedPrimalWorkTests
{
    private const string Source = """
        using System;
        using System.CodeDom.Compiler;
        using Autodiff;

        public static class Model
        {
            [Autodiff(nameof(Gradient), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
            [Autodiff(nameof(GradientOnly), Mode.Reverse, Activity.Active, Activity.Active, Activity.ActiveOnly)]
            [Autodiff(nameof(Tangent), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            [Autodiff(nameof(TangentOnly), Mode.Forward, Activity.Dual, Activity.Dual, Activity.DualOnly)]
            public static double F(double x, double y) => x * y + Math.Sin(x);

            [GeneratedCode("Autodiff", "1")] public static extern (double, double, double) Gradient(double x, double y, double seed);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) GradientOnly(double x, double y, double seed);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) Tangent(double x, double dx, double y, double dy);
            [GeneratedCode("Autodiff", "1")] public static extern double TangentOnly(double x, double dx, double y, double dy);
        }
        """;

    private static WovenAssembly woven = null!;

    [OneTimeSetUp]
    public void Weave() => woven = WovenAssembly.Compile(Source);

    [OneTimeTearDown]
    public void Unload() => woven.Dispose();

    [TestCase("Gradient", true)]
    [TestCase("GradientOnly", false)]
    [TestCase("Tangent", true)]
    [TestCase("TangentOnly", false)]
    public void SineIsComputedOnlyWhenTheValueIsReturned(string derivative, bool returnsValue)
    {
        var body = Body(derivative);

        Assert.That(body, Does.Contain("Math.Cos"));
        Assert.That(body.Contains("Math.Sin"), Is.EqualTo(returnsValue), body);
    }

    [Test]
    public void OnlyDerivativesGiveTheSameDerivatives()
    {
        const double x = 0.8, y = -1.7;
        var (value, dx, dy) = ((double, double, double))woven.Invoke("Model", "Gradient", x, y, 1.5)!;
        var (tangentValue, tangent) = ((double, double))woven.Invoke("Model", "Tangent", x, 0.5, y, -2.0)!;

        Assert.That(value, Is.EqualTo(x * y + Math.Sin(x)));
        Assert.That(dx, Is.EqualTo(1.5 * (y + Math.Cos(x))).Within(1e-15));
        Assert.That(dy, Is.EqualTo(1.5 * x).Within(1e-15));
        Assert.That(woven.Invoke("Model", "GradientOnly", x, y, 1.5), Is.EqualTo((dx, dy)));
        Assert.That(tangentValue, Is.EqualTo(value));
        Assert.That(tangent, Is.EqualTo(0.5 * (y + Math.Cos(x)) - 2.0 * x).Within(1e-15));
        Assert.That(woven.Invoke("Model", "TangentOnly", x, 0.5, y, -2.0), Is.EqualTo(tangent));
    }

    /// <summary>The decompiled C# of one method: from its declaration to the next member.</summary>
    private static string Body(string name)
    {
        var text = woven.DecompiledCSharp!;
        var start = text.IndexOf(" " + name + "(double", StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), text);
        var end = text.IndexOf("\n\t[", start, StringComparison.Ordinal);
        var next = text.IndexOf("\n\tpublic ", start, StringComparison.Ordinal);
        end = end < 0 ? next : next < 0 ? end : Math.Min(end, next);
        return end < 0 ? text.Substring(start) : text.Substring(start, end - start);
    }
}
