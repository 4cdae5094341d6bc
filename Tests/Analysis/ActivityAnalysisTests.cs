using System.Linq;
using Autodiff.Tests.Differentiation;
using Autodiff.Weaver.Analysis;
using Autodiff.Weaver.Differentiation.Rules;
using Autodiff.Weaver.Ir;
using NUnit.Framework;

namespace Autodiff.Tests.Analysis;

/// <summary>A value is active iff it is varied (depends on an active input) and useful (reaches an active output).</summary>
public sealed class ActivityAnalysisTests
{
    private Instruction product = null!;
    private Instruction onlyFromY = null!;
    private Instruction deadFromX = null!;
    private Instruction comparison = null!;
    private Instruction floor = null!;
    private IrMethod method = null!;

    [SetUp]
    public void BuildPrimal()
    {
        // f(x, y) = x·y + (y + 1) + Floor(x), with x·2 computed and dropped, and x < y compared.
        method = Primals.Binary(Primals.Types.Double, (b, x, y) =>
        {
            product = b.Mul(x, y);
            onlyFromY = b.Add(y, b.Method.Float64(1));
            deadFromX = b.Mul(x, b.Method.Float64(2));
            comparison = b.Compare(ComparePredicate.Less, x, y);
            floor = (Instruction)Primals.Call(b, "System.Math", "Floor", x);
            return b.Add(b.Add(product, onlyFromY), floor);
        });
    }

    private ActivityAnalysis Analyze(bool returnActive, params int[] activeParameters) =>
        ActivityAnalysis.Run(method, TypeAnalysis.Run(method),
            new ActivitySeeds(activeParameters.Select(i => method.Parameters[i]).ToList(), returnActive, ShadowedMemory.None),
            DerivativeRules.CarriesDerivative);

    [Test]
    public void ValuesOnAPathFromActiveInputToActiveOutputAreActive()
    {
        var activity = Analyze(true, 0);
        Assert.That(activity.IsActive(method.Parameters[0]), Is.True);
        Assert.That(activity.IsActive(product), Is.True);
    }

    [Test]
    public void ValuesThatDoNotDependOnActiveInputsAreInactive()
    {
        var activity = Analyze(true, 0);
        Assert.That(activity.IsVaried(onlyFromY), Is.False);
        Assert.That(activity.IsUseful(onlyFromY), Is.True);
        Assert.That(activity.IsActive(method.Parameters[1]), Is.False);
    }

    [Test]
    public void ValuesThatDoNotReachTheOutputAreInactive()
    {
        var activity = Analyze(true, 0);
        Assert.That(activity.IsVaried(deadFromX), Is.True);
        Assert.That(activity.IsUseful(deadFromX), Is.False);
        Assert.That(activity.IsActive(deadFromX), Is.False);
    }

    [Test]
    public void IntegersAndZeroDerivativeOperationsAreNeverActive()
    {
        var activity = Analyze(true, 0, 1);
        Assert.That(activity.IsVaried(comparison), Is.False);
        Assert.That(activity.IsVaried(floor), Is.False);
    }

    [Test]
    public void ConstReturnMakesNothingActive()
    {
        var activity = Analyze(false, 0, 1);
        Assert.That(method.Entry.Instructions.Where(activity.IsActive), Is.Empty);
        Assert.That(activity.IsVaried(product), Is.True);
    }
}
