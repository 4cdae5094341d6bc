using System.Linq;
using NUnit.Framework;

namespace Autodiff.Tests.Loading;

/// <summary>
/// The declaration printed in diagnostics is exactly what the user should write: compiled as an <c>extern</c>
/// stub, discovery accepts it and fills that stub instead of adding a method.
/// </summary>
public sealed class StubRoundTripTests
{
    private static readonly string[] Primals =
    {
        "[Autodiff(\"DF\", Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)] public static double F(double x, double y) => x * x + 3 * y;",
        "[Autodiff(\"DF\", Mode.Reverse, Activity.Duplicated, Activity.Const, Activity.ActiveOnly)] public static double F(double[,] x, int n) => x[0, 0] * n;",
        "[Autodiff(\"DF\", Mode.Reverse, Activity.DuplicatedOnly, Activity.Active)] public static float F(float[][] x) => x[0][0];",
        "[Autodiff(\"DF\", Mode.Reverse, Activity.Duplicated, Activity.Duplicated)] public static void F(in double x, out double y) => y = x;",
        "[Autodiff(\"DF\", Mode.Reverse, Activity.Duplicated, Activity.Duplicated)] public static void F(ReadOnlySpan<double> x, Span<double> y) => y[0] = x[0];",
        "[Autodiff(\"DF\", Mode.Reverse, Activity.Active, Activity.Active, Width = 3)] public static System.Numerics.Vector3 F(System.Numerics.Vector3 v) => v * 2;",
        "[Autodiff(\"DF\", Mode.Forward, Activity.Dual, Activity.Dual, Width = 4)] public static double F(double x) => x * x;",
        "[Autodiff(\"DF\", Mode.Forward, Activity.Dual, Activity.Const, Activity.DualOnly)] public static double F(double[] x, bool b) => b ? x[0] : 0;",
        "[Autodiff(\"DF\", Mode.Forward, Activity.DualOnly, Activity.Dual)] public static double[] F(double[] x) => x;",
        "[Autodiff(\"DF\", Mode.Reverse, Activity.Active, Activity.Active, Activity.Active, Activity.Active, Activity.Active, Activity.Active, Activity.Active, Activity.Active, Activity.Active)] public static double F(double a, double b, double c, double d, double e, double f, double g, double h) => a + b + c + d + e + f + g + h;",
        "[Autodiff(\"DF\", Mode.Reverse, Activity.Duplicated, Activity.Active, Activity.Active)] public double F(double x) => K * x;",
        "[Autodiff(\"DF\", Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)] public double F(Point p) => p.X * K;",
    };

    [TestCaseSource(nameof(Primals))]
    public void PrintedDeclarationCompilesAsAnAcceptedExternStub(string primal)
    {
        const string members = "public double K; public struct Point { public double X, Y; }";
        var generated = LoadedSource.Discover($"namespace Demo {{ public sealed class Model {{ {members} {primal} }} }}");
        var declaration = generated.ExpectedDeclaration();
        var stub = declaration.StartsWith("public static ", System.StringComparison.Ordinal)
            ? "public static extern " + declaration.Substring("public static ".Length)
            : "public extern " + declaration.Substring("public ".Length);

        var declared = LoadedSource.Discover($"namespace Demo {{ public sealed class Model {{ {members} {primal} [GeneratedCode(\"Autodiff\", \"1\")] {stub}; }} }}");

        var request = declared.Single;
        Assert.That(request.Derivative.CustomAttributes.Select(a => a.AttributeType.Name), Does.Contain("GeneratedCodeAttribute"), "the declared stub, not an added method");
        Assert.That(declared.ExpectedDeclaration(), Is.EqualTo(declaration));
    }
}
