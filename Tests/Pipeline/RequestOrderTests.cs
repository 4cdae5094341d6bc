using System.Linq;
using Autodiff.Tests.EndToEnd;
using Autodiff.Tests.Infrastructure;
using Autodiff.Weaver.Loading;
using Autodiff.Weaver.Pipeline;
using NUnit.Framework;

namespace Autodiff.Tests.Pipeline;

public sealed class RequestOrderTests
{
    [Test]
    public void ADerivativeCalledByAnotherPrimalIsSynthesizedFirst()
    {
        // G (declared first) calls DF, the reverse derivative of F: forward-over-reverse needs DF's body first.
        using var module = WovenAssembly.Read(TestCompiler.Compile("""
            using System.CodeDom.Compiler;
            using Autodiff;

            public static class Model
            {
                [Autodiff(nameof(DG), Mode.Forward, Activity.Dual, Activity.Dual)]
                public static double G(double x) => DF(x, 1.0).Item2;

                [GeneratedCode("Autodiff", "1")]
                public static extern (double, double) DG(double x, double dx);

                [Autodiff(nameof(H), Mode.Forward, Activity.Dual, Activity.Dual)]
                public static double Unrelated(double x) => x;

                [GeneratedCode("Autodiff", "1")]
                public static extern (double, double) H(double x, double dx);

                [Autodiff(nameof(DF), Mode.Reverse, Activity.Active, Activity.Active)]
                public static double F(double x) => x * x * x;

                [GeneratedCode("Autodiff", "1")]
                public static extern (double, double) DF(double x, double seed);
            }
            """));
        var (requests, diagnostics) = RequestDiscovery.Discover(module);
        Assert.That(diagnostics, Is.Empty);
        Assert.That(requests.Select(r => r.Primal.Name), Is.EqualTo(new[] { "G", "Unrelated", "F" }));

        Assert.That(RequestOrder.Sort(requests).Select(r => r.Primal.Name), Is.EqualTo(new[] { "F", "G", "Unrelated" }));
    }

    [Test]
    public void PrimalsCallingEachOthersDerivativesAreEachOrderedOnce()
    {
        using var module = WovenAssembly.Read(TestCompiler.Compile("""
            using System.CodeDom.Compiler;
            using Autodiff;

            public static class Model
            {
                [Autodiff(nameof(DA), Mode.Forward, Activity.Dual, Activity.Dual)]
                public static double A(double x) => DB(x, 1.0).Item2;

                [GeneratedCode("Autodiff", "1")]
                public static extern (double, double) DA(double x, double dx);

                [Autodiff(nameof(DB), Mode.Forward, Activity.Dual, Activity.Dual)]
                public static double B(double x) => DA(x, 1.0).Item2;

                [GeneratedCode("Autodiff", "1")]
                public static extern (double, double) DB(double x, double dx);
            }
            """));
        var (requests, _) = RequestDiscovery.Discover(module);

        // A needs DB first, B needs DA first; depth-first from A puts B (whose DA call closes the cycle) first.
        Assert.That(RequestOrder.Sort(requests).Select(r => r.Primal.Name), Is.EqualTo(new[] { "B", "A" }));
    }
}
