using System;
using Autodiff.Tests.EndToEnd;
using Autodiff.Weaver.Pipeline;
using NUnit.Framework;

namespace Autodiff.Tests.Memory;

/// <summary>DESIGN §1.1: a shadow of the wrong length, or a missing one, fails before any work unless NoSafetyChecks is set.</summary>
public sealed class ShadowCheckTests
{
    private const string Source = """
        using System.CodeDom.Compiler;
        using Autodiff;

        public static class Checked
        {
            [Autodiff(nameof(GradientOfSum), Mode.Reverse, Activity.Duplicated, Activity.Duplicated, Activity.Active)]
            [Autodiff(nameof(TangentOfSum), Mode.Forward, Activity.Dual, Activity.Const, Activity.Dual)]
            public static double Sum(double[] x, double[] w)
            {
                var sum = 0.0;
                for (var i = 0; i < x.Length; i++)
                    sum += w[i] * x[i];
                return sum;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern double GradientOfSum(double[] x, double[] dx, double[] w, double[] dw, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) TangentOfSum(double[] x, double[] dx, double[] w);
        }
        """;

    private static WovenAssembly woven = null!;
    private static WovenAssembly withoutChecks = null!;

    [OneTimeSetUp]
    public void Weave()
    {
        woven = WovenAssembly.Compile(Source);
        withoutChecks = WovenAssembly.Compile(Source, new WeaverOptions { VerifyIr = true, Flags = WeaverFlags.NoSafetyChecks });
    }

    [OneTimeTearDown]
    public void Unload()
    {
        woven.Dispose();
        withoutChecks.Dispose();
    }

    [Test]
    public void AShorterShadowNamesTheParameter()
    {
        var error = Assert.Throws<ArgumentException>(() => woven.Invoke("Checked", "GradientOfSum", new double[3], new double[3], new double[3], new double[2], 1.0))!;
        Assert.That(error.ParamName, Is.EqualTo("dw"));
    }

    [Test]
    public void ALongerShadowIsRejectedBeforeAnyWork()
    {
        // The first shadow is fine and would be accumulated into; the second is wrong, so nothing is touched.
        var dx = new double[2];
        var error = Assert.Throws<ArgumentException>(() => woven.Invoke("Checked", "GradientOfSum", new[] { 1.0, 2.0 }, dx, new[] { 3.0, 4.0 }, new double[5], 1.0))!;
        Assert.Multiple(() =>
        {
            Assert.That(error.ParamName, Is.EqualTo("dw"));
            Assert.That(dx, Is.EqualTo(new double[2]));
        });
    }

    [Test]
    public void ANullShadowForANonNullPrimalNamesTheParameter()
    {
        var error = Assert.Throws<ArgumentNullException>(() => woven.Invoke("Checked", "TangentOfSum", new double[2], null, new double[2]))!;
        Assert.That(error.ParamName, Is.EqualTo("dx"));
    }

    [Test]
    public void NoSafetyChecksRemovesTheChecks()
    {
        // Without the check a longer shadow is simply indexed like its primal.
        var dx = new double[3];
        var dw = new double[2];
        var y = withoutChecks.Invoke("Checked", "GradientOfSum", new[] { 1.0, 2.0 }, dx, new[] { 3.0, 4.0 }, dw, 1.0);
        Assert.Multiple(() =>
        {
            Assert.That(y, Is.EqualTo(11.0));
            Assert.That(dx, Is.EqualTo(new[] { 3.0, 4.0, 0.0 }));
            Assert.That(dw, Is.EqualTo(new[] { 1.0, 2.0 }));
            Assert.That(withoutChecks.DecompiledCSharp, Does.Not.Contain("ShadowChecks"));
            Assert.That(woven.DecompiledCSharp, Does.Contain("ShadowChecks.Array(x, dx, \"dx\")"));
        });
    }
}
