using System.Linq;
using Autodiff.Tests.EndToEnd;
using Autodiff.Weaver.Diagnostics;
using NUnit.Framework;

namespace Autodiff.Tests.Memory;

/// <summary>Memory the differentiator does not support fails the build with an AD22xx diagnostic at the offending line, never silently.</summary>
public sealed class MemoryDiagnosticTests
{
    private const string Source = """
        using System.CodeDom.Compiler;
        using System.Numerics;
        using Autodiff;

        public static class Unsupported
        {
            public static double Last;

            [Autodiff(nameof(DPoints), Mode.Reverse, Activity.Duplicated, Activity.Active)]
            public static double Points(System.Span<System.Drawing.PointF> p) => p[0].X;

            [GeneratedCode("Autodiff", "1")]
            public static extern double DPoints(System.Span<System.Drawing.PointF> p, System.Span<System.Drawing.PointF> dp, double seed);

            // b has no shadow: a reference that may be either has none to follow.
            [Autodiff(nameof(DChoose), Mode.Reverse, Activity.Duplicated, Activity.Const, Activity.Const, Activity.Active)]
            public static double Choose(double[] a, double[] b, int which)
            {
                var chosen = a;
                for (var i = 0; i < which; i++)
                    chosen = i % 2 == 0 ? b : a;
                return chosen[0] * 2;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern double DChoose(double[] a, double[] da, double[] b, int which, double seed);

            [Autodiff(nameof(DRemember), Mode.Reverse, Activity.Active, Activity.Active)]
            public static double Remember(double x)
            {
                Last = x * x;
                return x;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) DRemember(double x, double seed);

            [Autodiff(nameof(DDelegate), Mode.Reverse, Activity.Duplicated, Activity.Active)]
            public static double Delegate(double[][] x) => Helper(x[0]);

            [GeneratedCode("Autodiff", "1")]
            public static extern double DDelegate(double[][] x, double[][] dx, double seed);

            // A [Checkpoint] callee receiving a row of the shadowed array, not a parameter: its recomputing reverse takes only parameters.
            [Checkpoint]
            private static double Helper(double[] x) => x[0] * x[1];

            [Autodiff(nameof(DLength), Mode.Reverse, Activity.Active, Activity.Active)]
            public static double Length(Pair v) => v.Folded(2);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, Pair) DLength(Pair v, double seed);

            // The stored row has no shadow to store alongside.
            [Autodiff(nameof(DReplaceRow), Mode.Reverse, Activity.Duplicated, Activity.Const)]
            public static void ReplaceRow(double[][] m, double[] row) => m[0] = row;

            [GeneratedCode("Autodiff", "1")]
            public static extern void DReplaceRow(double[][] m, double[][] dm, double[] row);

            [Autodiff(nameof(DScratchPerRow), Mode.Reverse, Activity.Duplicated, Activity.Active)]
            public static double ScratchPerRow(double[] x)
            {
                var sum = 0.0;
                for (var i = 0; i < x.Length; i++)
                {
                    System.Span<double> scratch = stackalloc double[1];
                    scratch[0] = x[i] * x[i];
                    sum += scratch[0];
                }
                return sum;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern double DScratchPerRow(double[] x, double[] dx, double seed);

            // System.Drawing.PointF keeps its fields private: its values are not followed field by field.
            [Autodiff(nameof(DMake), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
            public static System.Drawing.PointF Make(float a, float b) => new System.Drawing.PointF(a * b, a - b);

            [GeneratedCode("Autodiff", "1")]
            public static extern (System.Drawing.PointF, float, float) DMake(float a, float b, System.Drawing.PointF seed);

            [Autodiff(nameof(DFill), Mode.Reverse, Activity.Duplicated, Activity.Active)]
            public static void Fill(System.Drawing.PointF[] z, float a) => z[0] = new System.Drawing.PointF(a, a * a);

            [GeneratedCode("Autodiff", "1")]
            public static extern float DFill(System.Drawing.PointF[] z, System.Drawing.PointF[] dz, float a);

            // keep has no shadow: x stored into it and read back would have lost its shadow.
            [Autodiff(nameof(DKeep), Mode.Forward, Activity.Dual, Activity.Const, Activity.Dual)]
            public static double Keep(double[] x, double[][] keep)
            {
                keep[0] = x;
                return keep[0][0] * 2;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) DKeep(double[] x, double[] dx, double[][] keep);
        }

        public struct Pair
        {
            public double A, B;
            public readonly double Folded(int n)
            {
                try
                {
                    return n == 0 ? A : new Pair { A = System.Math.Sqrt(A * A + B * B), B = B }.Folded(n - 1);
                }
                catch (System.ArithmeticException)
                {
                    return 0;
                }
            }
        }
        """;

    private static WovenAssembly woven = null!;

    [OneTimeSetUp]
    public void Weave() => woven = WovenAssembly.Compile(Source);

    [OneTimeTearDown]
    public void Unload() => woven.Dispose();

    [TestCase("Points", DiagnosticCode.UnsupportedShadowType)]
    [TestCase("Choose", DiagnosticCode.UnfollowedShadow)]
    [TestCase("Remember", DiagnosticCode.ActiveStaticField)]
    [TestCase("Delegate", DiagnosticCode.ShadowedMemoryInCall)]
    [TestCase("Length", DiagnosticCode.StructKeptWhole)]
    [TestCase("ReplaceRow", DiagnosticCode.ShadowStructureChanged)]
    [TestCase("Make", DiagnosticCode.UnsupportedDifferentiableValue)]
    [TestCase("ScratchPerRow", DiagnosticCode.StackAllocationInLoop)]
    [TestCase("Fill", DiagnosticCode.UnsupportedShadowType)]
    [TestCase("Keep", DiagnosticCode.UnfollowedShadow)]
    public void ReportsTheConstruct(string primal, DiagnosticCode code)
    {
        var diagnostics = woven.Diagnostics.Where(d => d.Message.Contains("differentiate " + primal + ":") || d.Member.Contains("::" + primal)).ToList();
        Assert.That(diagnostics.Select(d => d.Code), Has.Member(code), woven.ErrorText);
    }

    [Test]
    public void InstructionDiagnosticsPointAtTheSourceLine()
    {
        var staticField = woven.Diagnostics.Single(d => d.Code == DiagnosticCode.ActiveStaticField);
        Assert.That(staticField.Location?.Line, Is.EqualTo(31), staticField.ToString());
    }
}
