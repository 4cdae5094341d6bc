using System.Linq;
using Autodiff.Tests.Frontend;
using Autodiff.Weaver.Analysis;
using Autodiff.Weaver.Differentiation.Rules;
using Autodiff.Weaver.Frontend;
using Autodiff.Weaver.Ir;
using NUnit.Framework;

namespace Autodiff.Tests.Memory;

/// <summary>
/// Activity through memory: loads from memory passed with a shadow are varied, values stored into it are
/// useful, and memory without a shadow (a Const array) holds constants.
/// </summary>
public sealed class MemoryActivityTests
{
    private const string Source = """
        public static class Subject
        {
            // y[i] = w[i]·x[i] with x and y shadowed, w Const; then the sum of y.
            public static double Weigh(double[] x, double[] w, double[] y)
            {
                var sum = 0.0;
                for (var i = 0; i < x.Length; i++)
                {
                    y[i] = w[i] * x[i];
                    sum += y[i];
                }
                return sum;
            }
        }
        """;

    private static CompiledModule module = null!;
    private IrMethod method = null!;

    [OneTimeSetUp]
    public void Compile() => module = CompiledModule.Compile(Source);

    [OneTimeTearDown]
    public void Dispose() => module.Dispose();

    [SetUp]
    public void Lift() => method = MethodLifter.Lift(module.Method("Subject", "Weigh"));

    private ActivityAnalysis Analyze(bool returnActive, params int[] shadowedParameters) =>
        ActivityAnalysis.Run(method, TypeAnalysis.Run(method),
            new ActivitySeeds(System.Array.Empty<Parameter>(), returnActive, new ShadowedMemory(shadowedParameters.Select(i => method.Parameters[i]))),
            DerivativeRules.CarriesDerivative);

    private Instruction LoadFrom(int parameter) =>
        method.Blocks.SelectMany(b => b.Instructions).Single(i => i.Opcode == Opcode.LoadElement && i.Operands[0] == method.Parameters[parameter]);

    private Instruction StoreInto(int parameter) =>
        method.Blocks.SelectMany(b => b.Instructions).Single(i => i.Opcode == Opcode.StoreElement && i.Operands[0] == method.Parameters[parameter]);

    [Test]
    public void LoadsFromShadowedMemoryAreVaried()
    {
        var activity = Analyze(false, 0, 2);
        Assert.Multiple(() =>
        {
            Assert.That(activity.IsVaried(LoadFrom(0)), Is.True);
            Assert.That(activity.IsVaried(LoadFrom(1)), Is.False, "w has no shadow");
        });
    }

    [Test]
    public void ValuesStoredIntoShadowedMemoryAreUsefulWithoutAnActiveReturn()
    {
        var activity = Analyze(false, 0, 2);
        var stored = StoreInto(2).Operands[2];
        Assert.Multiple(() =>
        {
            Assert.That(activity.IsActive(stored), Is.True);
            Assert.That(activity.IsActive(LoadFrom(0)), Is.True);
        });
    }

    [Test]
    public void StoresIntoMemoryWithoutAShadowMakeNothingUseful()
    {
        // y has no shadow and the return is not active: nothing reaches an active output.
        var activity = Analyze(false, 0);
        Assert.That(activity.IsActive(LoadFrom(0)), Is.False);
    }

    [Test]
    public void ReloadsOfShadowedMemoryCarryTheDerivativeToTheReturn()
    {
        // Only x and y shadowed, return active: the sum's terms are reloads of y, so they are active.
        var activity = Analyze(true, 0, 2);
        var reload = method.Blocks.SelectMany(b => b.Instructions).Single(i => i.Opcode == Opcode.LoadElement && i.Operands[0] == method.Parameters[2]);
        Assert.That(activity.IsActive(reload), Is.True);
    }
}
