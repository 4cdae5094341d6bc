using System;
using System.Linq;
using System.Numerics;
using System.Runtime.CompilerServices;
using Autodiff.Tests.EndToEnd;
using NUnit.Framework;

namespace Autodiff.Tests.Memory;

/// <summary>Spans of structs (<c>Span&lt;Vector2&gt;</c>, <c>ReadOnlySpan&lt;Vector3&gt;</c>) as shadows, read field by field and whole.</summary>
public sealed class SpanOfStructTests
{
    private const string Source = """
        using System;
        using System.CodeDom.Compiler;
        using System.Numerics;
        using Autodiff;

        public static class Polygons
        {
            // The perimeter's squared edges, with a corner read whole: Σ |pᵢ₊₁ − pᵢ|².
            [Autodiff(nameof(GradientOfSquaredEdges), Mode.Reverse, Activity.Duplicated, Activity.Active)]
            [Autodiff(nameof(TangentOfSquaredEdges), Mode.Forward, Activity.Dual, Activity.Dual)]
            public static float SquaredEdges(ReadOnlySpan<Vector2> p)
            {
                var sum = 0f;
                for (var i = 0; i < p.Length; i++)
                {
                    var next = p[(i + 1) % p.Length];
                    var dx = next.X - p[i].X;
                    var dy = next.Y - p[i].Y;
                    sum += dx * dx + dy * dy;
                }
                return sum;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern float GradientOfSquaredEdges(ReadOnlySpan<Vector2> p, Span<Vector2> dp, float seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (float, float) TangentOfSquaredEdges(ReadOnlySpan<Vector2> p, Span<Vector2> dp);

            public static float CallGradient(Vector2[] p, Vector2[] dp) => GradientOfSquaredEdges(p, dp, 1f);

            public static float CallTangent(Vector2[] p, Vector2[] dp) => TangentOfSquaredEdges(p, dp).Item2;
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
    public void SpanOfVector2BothModes()
    {
        // ∂/∂pᵢ = 2(pᵢ − pᵢ₊₁) + 2(pᵢ − pᵢ₋₁).
        var p = new[] { new Vector2(0, 0), new Vector2(4, 0), new Vector2(0, 3) };
        var dp = new Vector2[3];
        var value = woven.Invoke("Polygons", "CallGradient", p, dp);
        var expected = Enumerable.Range(0, 3).Select(i => 2 * (p[i] - p[(i + 1) % 3]) + 2 * (p[i] - p[(i + 2) % 3])).ToArray();
        var direction = new[] { new Vector2(1, 0), new Vector2(0, 1), new Vector2(0.5f, -1) };
        var tangent = woven.Invoke("Polygons", "CallTangent", p, direction);
        Assert.Multiple(() =>
        {
            Assert.That(value, Is.EqualTo(16f + 25 + 9));
            Assert.That(dp, Is.EqualTo(expected));
            Assert.That((float)tangent!, Is.EqualTo(Enumerable.Range(0, 3).Sum(i => Vector2.Dot(expected[i], direction[i]))).Within(1e-4f));
        });
    }
}
