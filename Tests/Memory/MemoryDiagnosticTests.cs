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

        public sealed class Node
        {
            public double Value;
            public Node? Next;
        }

        public static class Unsupported
        {
            public static double Last;

            [Autodiff(nameof(DPoints), Mode.Reverse, Activity.Duplicated, Activity.Active)]
            public static float Points(System.Span<Vector2> p) => p[0].X;

            [GeneratedCode("Autodiff", "1")]
            public static extern float DPoints(System.Span<Vector2> p, System.Span<Vector2> dp, float seed);

            [Autodiff(nameof(DChoose), Mode.Reverse, Activity.Duplicated, Activity.Duplicated, Activity.Const, Activity.Active)]
            public static double Choose(double[] a, double[] b, int which)
            {
                var chosen = a;
                for (var i = 0; i < which; i++)
                    chosen = i % 2 == 0 ? b : a;
                return chosen[0] * 2;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern double DChoose(double[] a, double[] da, double[] b, double[] db, int which, double seed);

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

            // Receives a row of the shadowed array, not a parameter: reverse mode through such a call is not supported yet.
            private static double Helper(double[] x) => x[0] *= x[1];

            [Autodiff(nameof(DLength), Mode.Reverse, Activity.Active, Activity.Active)]
            public static double Length(Vector3 v) => v.Length();

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, Vector3) DLength(Vector3 v, double seed);

            [Autodiff(nameof(DReplaceRow), Mode.Reverse, Activity.Duplicated)]
            public static void ReplaceRow(double[][] m) => m[0] = new double[m[1].Length];

            [GeneratedCode("Autodiff", "1")]
            public static extern void DReplaceRow(double[][] m, double[][] dm);

            [Autodiff(nameof(DPairs), Mode.Reverse, Activity.Duplicated, Activity.Active)]
            public static double Pairs(double[] x)
            {
                var sum = 0.0;
                for (var i = 0; i + 1 < x.Length; i++)
                {
                    var pair = new double[2];
                    pair[1] = x[i + 1] * x[i];
                    sum += pair[1];
                }
                return sum;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern double DPairs(double[] x, double[] dx, double seed);

            [Autodiff(nameof(DSumList), Mode.Reverse, Activity.Duplicated, Activity.Active)]
            public static double SumList(Node head)
            {
                var sum = 0.0;
                for (var node = head; node != null; node = node.Next)
                    sum += node.Value * node.Value;
                return sum;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern double DSumList(Node head, Node dhead, double seed);
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
    [TestCase("Length", DiagnosticCode.UnsupportedDifferentiableValue)]
    [TestCase("ReplaceRow", DiagnosticCode.ShadowStructureChanged)]
    [TestCase("Pairs", DiagnosticCode.ShadowAllocationInLoop)]
    [TestCase("SumList", DiagnosticCode.UnfollowedShadow)]
    public void ReportsTheConstruct(string primal, DiagnosticCode code)
    {
        var diagnostics = woven.Diagnostics.Where(d => d.Message.Contains("differentiate " + primal + ":") || d.Member.Contains("::" + primal)).ToList();
        Assert.That(diagnostics.Select(d => d.Code), Has.Member(code), woven.ErrorText);
    }

    [Test]
    public void InstructionDiagnosticsPointAtTheSourceLine()
    {
        var staticField = woven.Diagnostics.Single(d => d.Code == DiagnosticCode.ActiveStaticField);
        Assert.That(staticField.Location?.Line, Is.EqualTo(36), staticField.ToString());
    }
}
