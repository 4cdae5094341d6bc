using System.IO;
using System.Runtime.CompilerServices;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Loading;
using NUnit.Framework;

namespace Autodiff.Tests.Differentiation;

/// <summary>The printed IR of derivatives, compared with golden files in <c>Golden/</c> next to this file.</summary>
public sealed class GoldenIrTests
{
    private static IrMethod SeedExample() =>
        Primals.Binary(Primals.Types.Double, (b, x, y) => b.Add(b.Mul(x, x), b.Mul(b.Method.Float64(3), y)));

    [Test]
    public void ReverseOfSeedExample() =>
        ExpectGolden("reverse-seed-example.ir", SeedExample(), primal => TestRequests.Reverse(primal, ActivityKind.Active, ActivityKind.Active, ActivityKind.Active));

    [Test]
    public void ForwardWidthTwoOfSeedExample() =>
        ExpectGolden("forward-width2-seed-example.ir", SeedExample(), primal => TestRequests.Create(primal, DerivativeMode.Forward, 2, ActivityKind.Dual, ActivityKind.Dual, ActivityKind.Dual));

    [Test]
    public void ReverseOfFloatPow() =>
        ExpectGolden("reverse-float-pow.ir", Primals.Binary(Primals.Types.Single, (b, x, y) => Primals.Call(b, "System.MathF", "Pow", x, y)),
            primal => TestRequests.Reverse(primal, ActivityKind.Active, ActivityKind.Active, ActivityKind.Active));

    [Test]
    public void ReverseThroughAnActivePhi() =>
        ExpectGolden("reverse-active-phi.ir", ControlFlowTests.ActivePhi(), primal => TestRequests.Reverse(primal, ActivityKind.Active, ActivityKind.Const, ActivityKind.Active));

    [Test]
    public void ReverseThroughALoop() =>
        ExpectGolden("reverse-power-loop.ir", ControlFlowTests.PowerLoop(), primal => TestRequests.Reverse(primal, ActivityKind.Active, ActivityKind.Const, ActivityKind.Active));

    /// <summary>Compares with the golden file; with AUTODIFF_UPDATE_GOLDEN=1 rewrites it instead (review the diff).</summary>
    private static void ExpectGolden(string file, IrMethod primal, System.Func<IrMethod, DifferentiationRequest> request, [CallerFilePath] string testFile = "")
    {
        var path = Path.Combine(Path.GetDirectoryName(testFile)!, "Golden", file);
        var actual = IrPrinter.Print(Derive.Synthesize(primal, request(primal)));
        if (System.Environment.GetEnvironmentVariable("AUTODIFF_UPDATE_GOLDEN") == "1")
            File.WriteAllText(path, actual);
        Assert.That(actual, Is.EqualTo(File.ReadAllText(path)));
    }
}
