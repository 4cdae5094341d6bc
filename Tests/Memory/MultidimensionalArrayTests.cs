using System;
using System.Linq;
using System.Runtime.CompilerServices;
using Autodiff.Tests.EndToEnd;
using NUnit.Framework;

namespace Autodiff.Tests.Memory;

/// <summary>Derivatives through <c>double[,]</c> and <c>double[,,]</c> (the runtime's Get/Set/Address methods), woven end to end.</summary>
public sealed class MultidimensionalArrayTests
{
    private const string Source = """
        using System.CodeDom.Compiler;
        using Autodiff;

        public static class Grids
        {
            [Autodiff(nameof(GradientOfFrobenius), Mode.Reverse, Activity.Duplicated, Activity.Active)]
            [Autodiff(nameof(TangentOfFrobenius), Mode.Forward, Activity.Dual, Activity.Dual)]
            public static double Frobenius(double[,] m)
            {
                var sum = 0.0;
                for (var i = 0; i < m.GetLength(0); i++)
                    for (var j = 0; j < m.GetLength(1); j++)
                        sum += m[i, j] * m[i, j];
                return sum;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern double GradientOfFrobenius(double[,] m, double[,] dm, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) TangentOfFrobenius(double[,] m, double[,] dm);

            // In place through Address: m[i, j] *= m[i, 0] for j ≥ 1.
            [Autodiff(nameof(GradientOfScaleRows), Mode.Reverse, Activity.Duplicated)]
            [Autodiff(nameof(TangentOfScaleRows), Mode.Forward, Activity.Dual)]
            public static void ScaleRows(double[,] m)
            {
                for (var i = 0; i < m.GetLength(0); i++)
                    for (var j = 1; j < m.GetLength(1); j++)
                        m[i, j] *= m[i, 0];
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern void GradientOfScaleRows(double[,] m, double[,] dm);

            [GeneratedCode("Autodiff", "1")]
            public static extern void TangentOfScaleRows(double[,] m, double[,] dm);

            // Rank 3, float, with an output: c[i, j, k] = a[i, j, k]³.
            [Autodiff(nameof(GradientOfCubes), Mode.Reverse, Activity.Duplicated, Activity.Duplicated)]
            [Autodiff(nameof(TangentOfCubes), Mode.Forward, Activity.Dual, Activity.Dual)]
            public static void Cubes(float[,,] a, float[,,] c)
            {
                for (var i = 0; i < a.GetLength(0); i++)
                    for (var j = 0; j < a.GetLength(1); j++)
                        for (var k = 0; k < a.GetLength(2); k++)
                            c[i, j, k] = a[i, j, k] * a[i, j, k] * a[i, j, k];
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern void GradientOfCubes(float[,,] a, float[,,] da, float[,,] c, float[,,] dc);

            [GeneratedCode("Autodiff", "1")]
            public static extern void TangentOfCubes(float[,,] a, float[,,] da, float[,,] c, float[,,] dc);
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
    public void FrobeniusGradientIsTwiceM()
    {
        var m = new[,] { { 1.0, -2.0, 0.5 }, { 3.0, 4.0, -1.5 } };
        var dm = new double[2, 3];
        var y = woven.Invoke("Grids", "GradientOfFrobenius", m, dm, 1.0);
        Assert.Multiple(() =>
        {
            Assert.That(y, Is.EqualTo(m.Cast<double>().Sum(v => v * v)));
            Assert.That(dm, Is.EqualTo(new[,] { { 2.0, -4.0, 1.0 }, { 6.0, 8.0, -3.0 } }));
        });
    }

    [Test]
    public void FrobeniusForwardAgreesWithReverse()
    {
        var m = new[,] { { 1.0, -2.0 }, { 3.0, 4.0 } };
        var u = new[,] { { 0.5, 1.0 }, { -1.0, 0.25 } };
        var dm = new double[2, 2];
        woven.Invoke("Grids", "GradientOfFrobenius", m, dm, 1.0);
        var tangent = (ITuple)woven.Invoke("Grids", "TangentOfFrobenius", m, u)!;
        Assert.That((double)tangent[1]!, Is.EqualTo(dm.Cast<double>().Zip(u.Cast<double>(), (a, b) => a * b).Sum()).Within(1e-12));
    }

    [Test]
    public void ScaleRowsInPlaceReverse()
    {
        // Seeding every output with 1: ∂/∂m[i, j] = m[i, 0] for j ≥ 1, ∂/∂m[i, 0] = 1 + Σⱼ m[i, j].
        var m = new[,] { { 2.0, 3.0, -1.0 }, { 0.5, 4.0, 2.0 } };
        var dm = new[,] { { 1.0, 1.0, 1.0 }, { 1.0, 1.0, 1.0 } };
        woven.Invoke("Grids", "GradientOfScaleRows", m, dm);
        Assert.Multiple(() =>
        {
            Assert.That(dm, Is.EqualTo(new[,] { { 3.0, 2.0, 2.0 }, { 7.0, 0.5, 0.5 } }));
            Assert.That(m, Is.EqualTo(new[,] { { 2.0, 6.0, -2.0 }, { 0.5, 2.0, 1.0 } }));
        });
    }

    [Test]
    public void ScaleRowsForwardMatchesFiniteDifferences()
    {
        var m = new[,] { { 2.0, 3.0, -1.0 } };
        var dm = new[,] { { 0.5, 1.0, -1.0 } };
        woven.Invoke("Grids", "TangentOfScaleRows", m, dm);
        var expected = FiniteDifferences.Directional(v =>
        {
            var grid = new[,] { { v[0], v[1], v[2] } };
            woven.Invoke("Grids", "ScaleRows", new object[] { grid });
            return grid.Cast<double>().ToArray();
        }, new[] { 2.0, 3.0, -1.0 }, new[] { 0.5, 1.0, -1.0 });
        FiniteDifferences.AssertClose(dm.Cast<double>().ToArray(), expected);
    }

    [Test]
    public void RankThreeFloatCubesBothModes()
    {
        var a = new float[2, 1, 2] { { { 1f, -2f } }, { { 0.5f, 3f } } };
        var da = new float[2, 1, 2];
        var c = new float[2, 1, 2];
        var dc = new float[2, 1, 2] { { { 1f, 1f } }, { { 2f, 1f } } };
        woven.Invoke("Grids", "GradientOfCubes", a, da, c, dc);
        var tangentIn = new float[2, 1, 2] { { { 1f, 0f } }, { { 0f, 1f } } };
        var tangentOut = new float[2, 1, 2];
        woven.Invoke("Grids", "TangentOfCubes", a, tangentIn, new float[2, 1, 2], tangentOut);
        Assert.Multiple(() =>
        {
            Assert.That(c, Is.EqualTo(new float[2, 1, 2] { { { 1f, -8f } }, { { 0.125f, 27f } } }));
            Assert.That(da, Is.EqualTo(new float[2, 1, 2] { { { 3f, 12f } }, { { 1.5f, 27f } } }));
            Assert.That(dc, Is.EqualTo(new float[2, 1, 2]));
            Assert.That(tangentOut, Is.EqualTo(new float[2, 1, 2] { { { 3f, 0f } }, { { 0f, 27f } } }));
        });
    }

    [Test]
    public void ShadowOfADifferentShapeIsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => woven.Invoke("Grids", "GradientOfFrobenius", new double[2, 3], new double[3, 2], 1.0))!;
        Assert.That(error.ParamName, Is.EqualTo("dm"));
    }
}
