using System.Runtime.CompilerServices;
using NUnit.Framework;

namespace Autodiff.Tests.EndToEnd;

/// <summary>The ways of asking for a derivative (DESIGN §1): form 2 stubs, added derivatives, instance methods, Width.</summary>
public sealed class RequestFormTests
{
    private const string Source = """
        using System;
        using System.CodeDom.Compiler;
        using Autodiff;

        public static class Geometry
        {
            public static double Area(double r) => Math.PI * r * r;
        }

        public static class Derivatives
        {
            [Autodiff(typeof(Geometry), nameof(Geometry.Area), Mode.Reverse, Activity.Active, Activity.Active)]
            public static extern (double value, double dr) DArea(double r, double seed);

            [Autodiff(typeof(Geometry), nameof(Geometry.Area), Mode.Forward, Activity.Dual, Activity.Dual, Width = 2)]
            public static extern (double value, double d0, double d1) TwoDirections(double r, double dr0, double dr1);
        }

        public static class Added
        {
            // No DCube is declared: the weaver adds it, public, for callers that find it by reflection.
            [Autodiff("DCube", Mode.Reverse, Activity.Active, Activity.Active)]
            public static double Cube(double x) => x * x * x;
        }

        public sealed class Spring
        {
            public double Stiffness = 3;

            [Autodiff(nameof(DEnergy), Mode.Reverse, Activity.Const, Activity.Active, Activity.Active)]
            public double Energy(double stretch) => 0.5 * Stiffness * stretch * stretch;

            [GeneratedCode("Autodiff", "1")]
            public extern (double, double) DEnergy(double stretch, double seed);
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
    public void Form2StubDifferentiatesAMethodOfAnotherType()
    {
        var result = (ITuple)woven.Invoke("Derivatives", "DArea", 2.0, 1.0)!;
        Assert.That(((double)result[0]!, (double)result[1]!), Is.EqualTo((System.Math.PI * 4, System.Math.PI * 4)));
    }

    [Test]
    public void WidthTwoGivesTwoDirectionalDerivativesInOneCall()
    {
        var result = (ITuple)woven.Invoke("Derivatives", "TwoDirections", 2.0, 1.0, -0.5)!;
        Assert.That(((double)result[0]!, (double)result[1]!, (double)result[2]!), Is.EqualTo((System.Math.PI * 4, System.Math.PI * 4, -System.Math.PI * 2)));
    }

    [Test]
    public void AForm1DerivativeNobodyDeclaredIsAddedAndCallable()
    {
        var result = (ITuple)woven.Invoke("Added", "DCube", 2.0, 1.0)!;
        Assert.That(((double)result[0]!, (double)result[1]!), Is.EqualTo((8.0, 12.0)));
    }

    [Test]
    public void AnInstanceDerivativeReadsTheReceiversFields()
    {
        var spring = System.Activator.CreateInstance(woven.Loaded.Type("Spring"))!;
        var result = (ITuple)woven.Loaded.Method("Spring", "DEnergy").Invoke(spring, new object[] { 2.0, 1.0 })!;
        Assert.That(((double)result[0]!, (double)result[1]!), Is.EqualTo((6.0, 6.0)));
    }
}
