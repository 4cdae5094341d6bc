using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using Autodiff.Tests.EndToEnd;
using Autodiff.Weaver.Diagnostics;
using NUnit.Framework;

namespace Autodiff.Tests.Optimization;

/// <summary>
/// AD2520: a woven derivative past the JIT's size limits (here 300 unrolled products at width 4: over 20,000 CIL
/// instructions) is still woven and correct, with a warning that it will run unoptimized; the same
/// function at width 1 stays within the limits and gets no warning.
/// </summary>
public sealed class JitOptimizationLimitsTests
{
    private const int Terms = 300;

    private static WovenAssembly woven = null!;

    [OneTimeSetUp]
    public void Weave() => woven = WovenAssembly.Compile(Source());

    [OneTimeTearDown]
    public void Unload() => woven.Dispose();

    [Test]
    public void TheWideDerivativeIsWovenWithAWarningNamingTheLimit()
    {
        var warnings = woven.Diagnostics.Where(d => d.Code == DiagnosticCode.DerivativeTooLargeToOptimize).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(woven.Result.Succeeded, Is.True, woven.ErrorText);
            Assert.That(warnings, Has.Count.EqualTo(1));
            Assert.That(warnings[0].Severity, Is.EqualTo(DiagnosticSeverity.Warning));
            Assert.That(warnings[0].ToString(), Does.Match(@"warning AD2520: Chain\.Wide has [\d,]+ [a-zA-Z ]+ \(the JIT's limit is [\d,]+\)")
                .And.Contain("without optimizations (MinOpts)")
                .And.Contain("use a smaller Width and several calls"));
        });
    }

    [Test]
    public void EachLaneIsTheClosedFormDirectionalDerivative()
    {
        var x = Enumerable.Range(0, Terms + 1).Select(i => 0.5 + 0.01 * i).ToArray();
        var directions = Enumerable.Range(0, 4).Select(k => Enumerable.Range(0, Terms + 1).Select(i => (double)((i + k) % 3) - 1).ToArray()).ToArray();
        var lanes = (ITuple)woven.Invoke("Chain", "Wide", x, directions[0], directions[1], directions[2], directions[3])!;
        Assert.Multiple(() =>
        {
            for (var k = 0; k < 4; k++)
            {
                // f = Σ xᵢxᵢ₊₁, so ∇f·d = Σ dᵢxᵢ₊₁ + xᵢdᵢ₊₁.
                var expected = Enumerable.Range(0, Terms).Sum(i => directions[k][i] * x[i + 1] + x[i] * directions[k][i + 1]);
                Assert.That((double)lanes[k]!, Is.EqualTo(expected).Within(1e-12 * Terms), $"lane {k}");
            }
            Assert.That((double)woven.Invoke("Chain", "Narrow", x, directions[1])!, Is.EqualTo((double)lanes[1]!).Within(1e-12 * Terms), "width 1");
        });
    }

    /// <summary>f(x) = Σᵢ xᵢ·xᵢ₊₁ written out term by term, so that its size grows with <see cref="Terms"/>.</summary>
    private static string Source()
    {
        var terms = new StringBuilder();
        for (var i = 0; i < Terms; i++)
            terms.Append("            s += x[").Append(i).Append("] * x[").Append(i + 1).Append("];\n");
        return $$"""
            using Autodiff;

            public static class Chain
            {
                [Autodiff("Wide", Mode.Forward, Activity.Dual, Activity.DualOnly, Width = 4)]
                [Autodiff("Narrow", Mode.Forward, Activity.Dual, Activity.DualOnly)]
                public static double Products(double[] x)
                {
                    double s = 0;
            {{terms}}
                    return s;
                }
            }
            """;
    }
}
