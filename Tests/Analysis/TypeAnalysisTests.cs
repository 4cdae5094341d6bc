using Autodiff.Tests.Differentiation;
using Autodiff.Weaver.Analysis;
using Autodiff.Weaver.Ir;
using NUnit.Framework;

namespace Autodiff.Tests.Analysis;

/// <summary>Only float and double values carry derivatives in this slice.</summary>
public sealed class TypeAnalysisTests
{
    [Test]
    public void FloatsAndDoublesAreDifferentiableOthersAreNot()
    {
        Instruction widened = null!;
        Instruction compared = null!;
        var method = Primals.Straight("F", Primals.Types.Single,
            new[] { (Primals.Types.Single, "x"), (Primals.Types.Int32, "n"), (Primals.Types.Object, "o") },
            (b, p) =>
            {
                widened = b.Convert(p[0], Primals.Types.Double);
                compared = b.Compare(ComparePredicate.Less, widened, widened);
                return p[0];
            });
        var types = TypeAnalysis.Run(method);
        Assert.That(types.IsDifferentiable(method.Parameters[0]), Is.True);
        Assert.That(types.IsDifferentiable(widened), Is.True);
        Assert.That(types.IsDifferentiable(method.Parameters[1]), Is.False);
        Assert.That(types.IsDifferentiable(method.Parameters[2]), Is.False);
        Assert.That(types.IsDifferentiable(compared), Is.False);
    }
}
