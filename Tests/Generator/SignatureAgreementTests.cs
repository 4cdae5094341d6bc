using System.Collections.Generic;
using System.Linq;
using Autodiff.Tests.Loading;
using Autodiff.Weaver.Loading;
using NUnit.Framework;

namespace Autodiff.Tests.Generator;

/// <summary>
/// The generator (Roslyn symbols) and the weaver (Cecil types) apply the same signature rules: for each primal
/// shape, the declaration the generator emits is the text the weaver's <see cref="CSharpSignatureFormatter"/>
/// expects, and the compiled declaration passes the weaver's stub validation.
/// </summary>
public sealed class SignatureAgreementTests
{
    /// <summary>Each case declares <c>F</c> with a form-1 request for <c>DF</c> inside <c>partial</c> type <c>Model</c>, unless it declares its own types.</summary>
    private static IEnumerable<TestCaseData> Shapes()
    {
        yield return Case("ReverseScalar", "[Autodiff(\"DF\", Mode.Reverse, Activity.Active, Activity.Active)] public static double F(double x) => x * x;",
            "public static (double, double) DF(double x, double seed)");
        yield return Case("ReverseTwoActiveValues", "[Autodiff(\"DF\", Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)] public static double F(double x, double y) => x * x + 3 * y;",
            "public static (double, double, double) DF(double x, double y, double seed)");
        yield return Case("ReverseConstReturn", "[Autodiff(\"DF\", Mode.Reverse, Activity.Active, Activity.Const)] public static double F(double x) => x;",
            "public static (double, double) DF(double x)");
        yield return Case("ReverseDuplicatedArray", "[Autodiff(\"DF\", Mode.Reverse, Activity.Duplicated, Activity.Active)] public static double F(double[] x) => x[0];",
            "public static double DF(double[] x, double[] dx, double seed)");
        yield return Case("ReverseDuplicatedOnlyActiveOnly", "[Autodiff(\"DF\", Mode.Reverse, Activity.DuplicatedOnly, Activity.ActiveOnly)] public static double F(double[] x) => x[0];",
            "public static void DF(double[] x, double[] dx, double seed)");
        yield return Case("ReverseSpans", "[Autodiff(\"DF\", Mode.Reverse, Activity.Duplicated, Activity.Duplicated)] public static void F(ReadOnlySpan<double> x, Span<double> y) => y[0] = x[0];",
            "public static void DF(ReadOnlySpan<double> x, Span<double> dx, Span<double> y, Span<double> dy)");
        yield return Case("ReverseInAndRef", "[Autodiff(\"DF\", Mode.Reverse, Activity.Duplicated, Activity.Duplicated)] public static void F(in double x, ref double y) => y *= x;",
            "public static void DF(in double x, ref double dx, ref double y, ref double dy)");
        yield return Case("ReverseOut", "[Autodiff(\"DF\", Mode.Reverse, Activity.Active, Activity.Duplicated)] public static void F(double x, out double y) => y = x * x;",
            "public static double DF(double x, out double y, ref double dy)");
        yield return Case("ReverseConstInteger", "[Autodiff(\"DF\", Mode.Reverse, Activity.Active, Activity.Const, Activity.Active)] public static double F(double x, int n) => x * n;",
            "public static (double, double) DF(double x, int n, double seed)");
        yield return Case("ReverseJaggedAndMultidimensional", "[Autodiff(\"DF\", Mode.Reverse, Activity.Duplicated, Activity.Active)] public static double F(double[][,] a) => a[0][0, 0];",
            "public static double DF(double[][,] a, double[][,] da, double seed)");
        yield return Case("ReverseNameCollision", "[Autodiff(\"DF\", Mode.Reverse, Activity.Duplicated, Activity.Duplicated, Activity.Active)] public static double F(double[] x, double[] dx) => x[0] * dx[0];",
            "public static double DF(double[] x, double[] dx_, double[] dx, double[] ddx, double seed)");
        yield return Case("ReverseWidth3", "[Autodiff(\"DF\", Mode.Reverse, Activity.Active, Activity.Active, Width = 3)] public static double F(double x) => x * x;",
            "public static (double, double, double, double) DF(double x, double seed_0, double seed_1, double seed_2)");
        yield return Case("ReverseNineResultsNestTheTuple",
            "[Autodiff(\"DF\", Mode.Reverse, Activity.Active, Activity.Active, Activity.Active, Activity.Active, Activity.Active, Activity.Active, Activity.Active, Activity.Active, Activity.Active)] "
            + "public static double F(double a, double b, double c, double d, double e, double f, double g, double h) => a + b + c + d + e + f + g + h;",
            "public static (double, double, double, double, double, double, double, double, double) DF(double a, double b, double c, double d, double e, double f, double g, double h, double seed)");
        yield return Case("ReverseFloatAndVector3", "[Autodiff(\"DF\", Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)] public static float F(System.Numerics.Vector3 v, float s) => v.X * s;",
            "public static (float, System.Numerics.Vector3, float) DF(System.Numerics.Vector3 v, float s, float seed)");
        yield return Case("ReverseStructWithAutoProperties",
            "public struct Point { public double X { get; set; } public double Y { get; set; } } "
            + "public static partial class Model { [Autodiff(\"DF\", Mode.Reverse, Activity.Active, Activity.Active)] public static double F(Point p) => p.X * p.Y; }",
            "public static (double, Point) DF(Point p, double seed)", declaresTypes: true);
        yield return Case("ReverseObjectWithDifferentiableFields",
            "public sealed class Layer { public double[] Weights = new double[1]; } "
            + "public static partial class Model { [Autodiff(\"DF\", Mode.Reverse, Activity.Duplicated, Activity.Active)] public static double F(Layer l) => l.Weights[0]; }",
            "public static double DF(Layer l, Layer dl, double seed)", declaresTypes: true);
        yield return Case("ReverseInstanceClass",
            "public sealed partial class Body { public double Mass; [Autodiff(\"DF\", Mode.Reverse, Activity.Duplicated, Activity.Active, Activity.Active)] public double F(double v) => Mass * v * v; }",
            "public (double, double) DF(Body dthis, double v, double seed)", declaresTypes: true, type: "Body");
        yield return Case("ForwardInstanceStruct",
            "public partial struct Point { public double X, Y; [Autodiff(\"DF\", Mode.Forward, Activity.Dual, Activity.Dual)] public double F() => X * Y; }",
            "public (double, double) DF(ref Point dthis)", declaresTypes: true, type: "Point");
        yield return Case("ForwardScalarWidth3", "[Autodiff(\"DF\", Mode.Forward, Activity.Dual, Activity.Dual, Width = 3)] public static double F(double x) => x * x;",
            "public static (double, double, double, double) DF(double x, double dx_0, double dx_1, double dx_2)");
        yield return Case("ForwardDualOnlyReturn", "[Autodiff(\"DF\", Mode.Forward, Activity.Dual, Activity.DualOnly)] public static double F(double[] x) => x[0];",
            "public static double DF(double[] x, double[] dx)");
        yield return Case("ForwardConstReturn", "[Autodiff(\"DF\", Mode.Forward, Activity.Dual, Activity.Const)] public static double F(double x) => x;",
            "public static double DF(double x, double dx)");
        yield return Case("ForwardReadOnlySpanAndIn", "[Autodiff(\"DF\", Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)] public static double F(ReadOnlySpan<double> x, in double s) => x[0] * s;",
            "public static (double, double) DF(ReadOnlySpan<double> x, Span<double> dx, in double s, ref double ds)");
        yield return Case("ForwardWidth2DualOnlyOut", "[Autodiff(\"DF\", Mode.Forward, Activity.DualOnly, Activity.Dual, Width = 2)] public static void F(double[] x, out double y) => y = x[0];",
            "public static void DF(double[] x, double[] dx_0, double[] dx_1, out double y, ref double dy_0, ref double dy_1)");
        yield return Case("TypesFromOtherNamespaces",
            "namespace Geometry.Shapes { public struct Vec { public double X, Y; } } "
            + "namespace Geometry.Solvers { public static partial class Model { [Autodiff(\"DF\", Mode.Reverse, Activity.Active, Activity.Active)] public static double F(Geometry.Shapes.Vec v) => v.X; } }",
            "public static (double, Geometry.Shapes.Vec) DF(Geometry.Shapes.Vec v, double seed)", declaresTypes: true, type: "Geometry.Solvers.Model");
        yield return Case("NestedTypeInNamespace",
            "namespace Physics { public static partial class World { public static partial class Model { public struct State { public double Q; } "
            + "[Autodiff(\"DF\", Mode.Forward, Activity.Dual, Activity.Dual)] public static State F(State s) => s; } } }",
            "public static (World.Model.State, World.Model.State) DF(World.Model.State s, World.Model.State ds)", declaresTypes: true, type: "Physics.World/Model");
    }

    private static TestCaseData Case(string name, string source, string expected, bool declaresTypes = false, string type = "Model") =>
        new TestCaseData(declaresTypes ? source : $"public static partial class Model {{ {source} }}", type, expected).SetName(name);

    [TestCaseSource(nameof(Shapes))]
    public void GeneratorAndWeaverAgree(string source, string type, string expected)
    {
        var woven = LoadedSource.Discover(source);
        var request = woven.Single;
        var outermost = request.Primal.DeclaringType;
        while (outermost.DeclaringType != null)
            outermost = outermost.DeclaringType;
        var weaverText = CSharpSignatureFormatter.ToCSharp(request.Signature, "DF", !request.Signature.HasThis, "public", outermost.Namespace);
        Assert.That(weaverText, Is.EqualTo(expected), "the weaver's expected declaration");

        var generated = GeneratedSource.Run(source);
        Assert.That(generated.DeclarationOf("DF"), Is.EqualTo(weaverText), "the generator's declaration");
        Assert.That(generated.GeneratorDiagnostics, Is.Empty);
        Assert.That(generated.GeneratedCodeDiagnostics(), Is.Empty);

        var (requests, diagnostics, module) = generated.Discover();
        Assert.That(diagnostics, Is.Empty, "the generated declaration passes the weaver's stub validation");
        var derivative = requests.Single().Derivative;
        Assert.That(derivative.DeclaringType.FullName, Is.EqualTo(type));
        Assert.That(DerivativeMethods.IsMarked(derivative), Is.True, "the derivative is the generated method, not one the weaver added");
        Assert.That(module.GetType(type).Methods.Count(m => m.Name == "DF"), Is.EqualTo(1));
    }
}
