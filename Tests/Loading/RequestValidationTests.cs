using System.Linq;
using Autodiff.Weaver.Diagnostics;
using NUnit.Framework;

namespace Autodiff.Tests.Loading;

/// <summary>Each invalid request is a build error with a stable code, at the primal's (or stub's) line, saying what to write.</summary>
public sealed class RequestValidationTests
{
    private static Diagnostic SingleError(LoadedSource loaded, DiagnosticCode code)
    {
        Assert.That(loaded.Requests, Is.Empty);
        Assert.That(loaded.Diagnostics.Select(d => d.Code), Is.EqualTo(new[] { code }), string.Join("\n", loaded.Diagnostics));
        return loaded.Diagnostics[0];
    }

    private static void AssertAtLine(LoadedSource loaded, Diagnostic diagnostic, string marker)
    {
        Assert.That(diagnostic.Location, Is.Not.Null);
        Assert.That(diagnostic.Location!.Line, Is.EqualTo(loaded.LineOf(marker)));
        Assert.That(diagnostic.Location.Path, Does.EndWith("TestSubject.cs"));
        Assert.That(diagnostic.ToString(), Does.StartWith($"TestSubject.cs({diagnostic.Location.Line},").And.Contain(": error AD"));
    }

    [Test]
    public void WrongActivityCountIsAD1001AtThePrimal()
    {
        var loaded = LoadedSource.Discover("""
            public static class Model
            {
                [Autodiff("DF", Mode.Reverse, Activity.Active, Activity.Active)]
                public static double F(double x, double y) => x * y; // primal
            }
            """);
        var error = SingleError(loaded, DiagnosticCode.WrongActivityCount);
        AssertAtLine(loaded, error, "// primal");
        Assert.That(error.Message, Does.Contain("needs 3 activities (x, y, return) but 2 are given"));
        Assert.That(error.Member, Is.EqualTo("TestSubject!Model::F"));
        Assert.That(error.Id, Is.EqualTo("AD1001"));
    }

    [Test]
    public void DualInReverseModeIsAD1002()
    {
        var loaded = LoadedSource.Discover("""
            public static class Model
            {
                [Autodiff("DF", Mode.Reverse, Activity.Dual, Activity.Active)]
                public static double F(double x) => x * x; // primal
            }
            """);
        var error = SingleError(loaded, DiagnosticCode.ActivityDoesNotFit);
        AssertAtLine(loaded, error, "// primal");
        Assert.That(error.Message, Does.Contain("Dual is a forward-mode activity; in reverse mode use Active"));
    }

    [Test]
    public void ActiveOnAnArrayIsAD1002SuggestingDuplicated()
    {
        var loaded = LoadedSource.Discover("""
            public static class Model
            {
                [Autodiff("DF", Mode.Reverse, Activity.Active, Activity.Active)]
                public static double F(double[] x) => x[0]; // primal
            }
            """);
        var error = SingleError(loaded, DiagnosticCode.ActivityDoesNotFit);
        AssertAtLine(loaded, error, "// primal");
        Assert.That(error.Message, Does.Contain("`double[] x`").And.Contain("use Duplicated"));
    }

    [Test]
    public void EveryUnfitActivityIsReported()
    {
        var loaded = LoadedSource.Discover("""
            public static class Model
            {
                [Autodiff("DF", Mode.Forward, Activity.Active, Activity.Dual, Activity.Duplicated)]
                public static double F(double x, int n) => x * n;
            }
            """);
        Assert.That(loaded.Diagnostics.Select(d => d.Code), Is.EqualTo(Enumerable.Repeat(DiagnosticCode.ActivityDoesNotFit, 3)));
        Assert.That(loaded.Diagnostics[1].Message, Does.Contain("`int n`").And.Contain("use Const"));
    }

    [Test]
    public void WrongStubSignatureIsAD1003PrintingTheExpectedDeclaration()
    {
        var loaded = LoadedSource.Discover("""
            public static class Model
            {
                [Autodiff(nameof(DF), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
                public static double F(double x, double y) => x * x + 3 * y; // primal

                [GeneratedCode("Autodiff", "1")]
                public static extern (double, double) DF(double x, double y, double seed);
            }
            """);
        var error = SingleError(loaded, DiagnosticCode.StubSignatureMismatch);
        AssertAtLine(loaded, error, "// primal");
        Assert.That(error.Message, Does.Contain("expected: public static (double, double, double) DF(double x, double y, double seed)"));
        Assert.That(error.Message, Does.Contain("found: public static (double, double) DF(double x, double y, double seed)"));
    }

    [Test]
    public void ExpectedDeclarationNamesTypesAsTheStubsNamespaceSeesThem()
    {
        var loaded = LoadedSource.Discover("""
            namespace Physics
            {
                public struct Point { public double X, Y; }
                public static class Model
                {
                    public static class Energy
                    {
                        [Autodiff(nameof(DF), Mode.Reverse, Activity.Active, Activity.Duplicated, Activity.Active)]
                        public static double F(Point p, Span<double> w) => p.X * w[0];

                        [GeneratedCode("Autodiff", "1")]
                        internal static extern double DF(Point p, Span<double> w, double seed);
                    }
                }
            }
            """);
        Assert.That(SingleError(loaded, DiagnosticCode.StubSignatureMismatch).Message,
            Does.Contain("expected: internal static (double, Point) DF(Point p, Span<double> w, Span<double> dw, double seed)"));
    }

    [Test]
    public void Form1StaticnessIsPartOfTheSignature()
    {
        var loaded = LoadedSource.Discover("""
            public sealed class Model
            {
                [Autodiff(nameof(DF), Mode.Reverse, Activity.Const, Activity.Active, Activity.Active)]
                public double F(double x) => x * x;

                [GeneratedCode("Autodiff", "1")]
                public static extern (double, double) DF(double x, double seed);
            }
            """);
        Assert.That(SingleError(loaded, DiagnosticCode.StubSignatureMismatch).Message,
            Does.Contain("expected: public (double, double) DF(double x, double seed)"));
    }

    [Test]
    public void MissingForm2PrimalIsAD1004()
    {
        var loaded = LoadedSource.Discover("""
            public static class Geometry { public static double Area(double r) => r * r; }
            public static class Derivatives
            {
                [Autodiff(typeof(Geometry), "Volume", Mode.Reverse, Activity.Active, Activity.Active)]
                public static extern (double, double) DVolume(double r, double seed);
            }
            """);
        var error = SingleError(loaded, DiagnosticCode.PrimalNotFound);
        Assert.That(error.Message, Does.Contain("Geometry has no method named `Volume`"));
        Assert.That(error.Member, Is.EqualTo("TestSubject!Derivatives::DVolume"));
        Assert.That(error.ToString(), Does.StartWith("TestSubject!Derivatives::DVolume: error AD1004:"), "an extern stub has no sequence point");
    }

    [Test]
    public void Form2OverloadsThatFitNoStubAreAD1004()
    {
        var loaded = LoadedSource.Discover("""
            public static class Geometry
            {
                public static double Scale(double r) => 2 * r;
                public static double Scale(int r) => 2 * r;
            }
            public static class Derivatives
            {
                [Autodiff(typeof(Geometry), nameof(Geometry.Scale), Mode.Forward, Activity.Const, Activity.Const)]
                public static extern double DScale(long r);
            }
            """);
        Assert.That(SingleError(loaded, DiagnosticCode.PrimalNotFound).Message, Does.Contain("no overload of Geometry.Scale fits 2 activities"));
    }

    [Test]
    public void AmbiguousForm2PrimalIsAD1004()
    {
        var loaded = LoadedSource.Discover("""
            public sealed class Geometry
            {
                public double Scale(double r) => 2 * r;
                public static double Scale(Geometry g, double r) => 3 * r;
            }
            public static class Derivatives
            {
                [Autodiff(typeof(Geometry), nameof(Geometry.Scale), Mode.Forward, Activity.Const, Activity.Dual, Activity.Dual)]
                public static extern (double, double) DScale(Geometry g, double r, double dr);
            }
            """);
        Assert.That(SingleError(loaded, DiagnosticCode.PrimalNotFound).Message, Does.Contain("is ambiguous"));
    }

    [Test]
    public void DerivativeWithABodyIsAD1005()
    {
        var loaded = LoadedSource.Discover("""
            public static class Model
            {
                [Autodiff(nameof(DF), Mode.Reverse, Activity.Active, Activity.Active)]
                public static double F(double x) => x * x; // primal
                public static (double, double) DF(double x, double seed) => (x * x, 2 * x * seed);
            }
            """);
        AssertAtLine(loaded, SingleError(loaded, DiagnosticCode.DerivativeHasBody), "// primal");
    }

    [Test]
    public void NamingThePrimalItselfAsDerivativeIsAD1005()
    {
        var loaded = LoadedSource.Discover("""
            public static class Model
            {
                [Autodiff(nameof(F), Mode.Forward, Activity.Const, Activity.Const)]
                public static double F(double x) => x * x;
            }
            """);
        Assert.That(SingleError(loaded, DiagnosticCode.DerivativeHasBody).Message, Does.Contain("F is declared with a body"));
    }

    [Test]
    public void WidthZeroIsAD1006()
    {
        var loaded = LoadedSource.Discover("""
            public static class Model
            {
                [Autodiff("DF", Mode.Forward, Activity.Dual, Activity.Dual, Width = 0)]
                public static double F(double x) => x * x; // primal
            }
            """);
        var error = SingleError(loaded, DiagnosticCode.InvalidWidth);
        AssertAtLine(loaded, error, "// primal");
        Assert.That(error.Message, Does.Contain("must be at least 1"));
        Assert.That(loaded.Module.GetType("Model").Methods.Select(m => m.Name), Has.No.Member("DF"), "nothing is added for an invalid request");
    }

    [Test]
    public void Form2StubWithABodyOrNotStaticIsAD1007()
    {
        var loaded = LoadedSource.Discover("""
            public static class Geometry { public static double Area(double r) => r * r; }
            public sealed class Derivatives
            {
                [Autodiff(typeof(Geometry), nameof(Geometry.Area), Mode.Reverse, Activity.Active, Activity.Active)]
                public (double, double) DArea(double r, double seed) => (r * r, 2 * r * seed); // stub
            }
            """);
        Assert.That(loaded.Requests, Is.Empty);
        Assert.That(loaded.Diagnostics.Select(d => d.Code), Is.EqualTo(new[] { DiagnosticCode.InvalidStub, DiagnosticCode.InvalidStub }));
        Assert.That(loaded.Diagnostics[0].Message, Does.Contain("must be static"));
        Assert.That(loaded.Diagnostics[1].Message, Does.Contain("has a body"));
        AssertAtLine(loaded, loaded.Diagnostics[0], "// stub");
    }

    [Test]
    public void TwoRequestsFillingOneDerivativeIsAD1008()
    {
        var loaded = LoadedSource.Discover("""
            public static class Model
            {
                [Autodiff("DF", Mode.Reverse, Activity.Active, Activity.Active)]
                public static double F(double x) => x * x;
                [Autodiff("DF", Mode.Reverse, Activity.Active, Activity.Active)]
                public static double G(double x) => x * x * x; // second
            }
            """);
        Assert.That(loaded.Requests, Has.Count.EqualTo(1));
        var error = loaded.Diagnostics.Single();
        Assert.That(error.Code, Is.EqualTo(DiagnosticCode.DuplicateDerivative));
        AssertAtLine(loaded, error, "// second");
    }

    [Test]
    public void AllProblemsOfOneRequestAreReportedTogether()
    {
        var loaded = LoadedSource.Discover("""
            public static class Model
            {
                [Autodiff("DF", Mode.Reverse, Activity.Active, Width = 0)]
                public static double F(double x) => x * x;
            }
            """);
        Assert.That(loaded.Diagnostics.Select(d => d.Code), Is.EquivalentTo(new[] { DiagnosticCode.InvalidWidth, DiagnosticCode.WrongActivityCount }));
    }

    [Test]
    public void AnInvalidRequestDoesNotStopTheOthers()
    {
        var loaded = LoadedSource.Discover("""
            public static class Model
            {
                [Autodiff("DF", Mode.Reverse, Activity.Active)]
                public static double F(double x) => x * x;
                [Autodiff("DG", Mode.Reverse, Activity.Active, Activity.Active)]
                public static double G(double x) => x * x;
            }
            public static class Outer
            {
                public static class Inner
                {
                    [Autodiff("DH", Mode.Forward, Activity.Dual, Activity.Dual)]
                    public static double H(double x) => x;
                }
            }
            """);
        Assert.That(loaded.Diagnostics.Select(d => d.Code), Is.EqualTo(new[] { DiagnosticCode.WrongActivityCount }));
        Assert.That(loaded.Requests.Select(r => r.Derivative.Name), Is.EqualTo(new[] { "DG", "DH" }));
        Assert.That(loaded.Requests[1].Derivative.DeclaringType.FullName, Is.EqualTo("Outer/Inner"));
    }

    [Test]
    public void AnAutodiffStubThatNoRequestNamesIsAD1011()
    {
        var loaded = LoadedSource.Discover("""
            public static class Model
            {
                [Autodiff("Df", Mode.Reverse, Activity.Active, Activity.Active)]
                public static double F(double x) => x * x;

                [GeneratedCode("Autodiff", "1")]
                public static extern (double, double) DF(double x, double seed);
            }
            """);
        var error = loaded.Diagnostics.Single();
        Assert.That(error.Code, Is.EqualTo(DiagnosticCode.OrphanStub));
        Assert.That(error.Member, Is.EqualTo("TestSubject!Model::DF"));
        Assert.That(loaded.Requests.Single().Derivative.Name, Is.EqualTo("Df"));
    }

    [Test]
    public void GenericPrimalIsAD1009()
    {
        var loaded = LoadedSource.Discover("""
            public static class Model
            {
                [Autodiff("DF", Mode.Reverse, Activity.Active, Activity.Active)]
                public static T F<T>(T x) => x;
            }
            """);
        Assert.That(SingleError(loaded, DiagnosticCode.GenericPrimal).Message, Does.Contain("not supported yet"));
    }
}
