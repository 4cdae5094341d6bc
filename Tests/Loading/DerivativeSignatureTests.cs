using System.Linq;
using Autodiff.Weaver.Loading;
using Mono.Cecil;
using NUnit.Framework;

namespace Autodiff.Tests.Loading;

/// <summary>DESIGN §1.1: which derivative signature each primal, mode, activity list and width asks for.</summary>
public sealed class DerivativeSignatureTests
{
    [Test]
    public void ReverseAllActiveAddsTheSeedAndReturnsValueThenGradients()
    {
        var loaded = LoadedSource.Discover("""
            public static class Model
            {
                [Autodiff("DF", Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
                public static double F(double x, double y) => x * x + 3 * y;
            }
            """);
        var request = loaded.Single;
        Assert.That(loaded.ExpectedDeclaration(), Is.EqualTo("public static (double, double, double) DF(double x, double y, double seed)"));
        Assert.That(request.Mode, Is.EqualTo(DerivativeMode.Reverse));
        Assert.That(request.ParameterActivities, Is.EqualTo(new[] { ActivityKind.Active, ActivityKind.Active }));
        Assert.That(request.ReturnActivity, Is.EqualTo(ActivityKind.Active));
        Assert.That(request.Signature.Results.Select(r => (r.Kind, r.PrimalIndex)), Is.EqualTo(new[]
        {
            (DerivativeResultKind.PrimalValue, -1), (DerivativeResultKind.Gradient, 0), (DerivativeResultKind.Gradient, 1),
        }));
        Assert.That(request.Signature.Parameters.Last().Kind, Is.EqualTo(DerivativeParameterKind.Seed));
    }

    [Test]
    public void Form1WithoutDeclarationAddsAPublicCompilerGeneratedMethod()
    {
        var loaded = LoadedSource.Discover("""
            public static class Model
            {
                [Autodiff("DF", Mode.Reverse, Activity.Active, Activity.Active)]
                public static double F(double x) => x * x;
            }
            """);
        var derivative = loaded.Single.Derivative;
        Assert.That(derivative.DeclaringType.Name, Is.EqualTo("Model"));
        Assert.That(derivative.IsPublic && derivative.IsStatic, Is.True);
        Assert.That(derivative.CustomAttributes.Select(a => a.AttributeType.FullName), Does.Contain("System.Runtime.CompilerServices.CompilerGeneratedAttribute"));
        Assert.That(derivative.HasBody && derivative.Body.Instructions.Count == 0, Is.True, "an empty body, ready to be filled");
        Assert.That(derivative.ReturnType.FullName, Is.EqualTo("System.ValueTuple`2<System.Double,System.Double>"));
    }

    [Test]
    public void ReverseDuplicatedArrayTakesItsShadowRightAfterIt()
    {
        var loaded = LoadedSource.Discover("""
            public static partial class Model
            {
                [Autodiff(nameof(DF), Mode.Reverse, Activity.Duplicated, Activity.Active)]
                public static double F(double[] x) => x[0] * x[0] + x[1] * x[0];

                [GeneratedCode("Autodiff", "1")]
                public static extern double DF(double[] x, double[] dx, double seed);
            }
            """);
        var request = loaded.Single;
        Assert.That(request.Derivative.Name, Is.EqualTo("DF"));
        Assert.That(request.Derivative.Parameters.Select(p => p.Name), Is.EqualTo(new[] { "x", "dx", "seed" }));
        Assert.That(request.Signature.Parameters.Select(p => p.Kind), Is.EqualTo(new[]
        {
            DerivativeParameterKind.Primal, DerivativeParameterKind.Shadow, DerivativeParameterKind.Seed,
        }));
        Assert.That(loaded.ExpectedDeclaration(), Is.EqualTo("public static double DF(double[] x, double[] dx, double seed)"));
    }

    [Test]
    public void ForwardDualReturnGivesValueAndTangent()
    {
        var loaded = LoadedSource.Discover("""
            public static class Model
            {
                [Autodiff("DF", Mode.Forward, Activity.Dual, Activity.Dual)]
                public static double F(double x) => x * x;
            }
            """);
        Assert.That(loaded.ExpectedDeclaration(), Is.EqualTo("public static (double, double) DF(double x, double dx)"));
        Assert.That(loaded.Single.Signature.Results.Select(r => r.Kind), Is.EqualTo(new[] { DerivativeResultKind.PrimalValue, DerivativeResultKind.Tangent }));
    }

    [Test]
    public void ForwardDualOnlyReturnGivesOnlyTheTangent()
    {
        var loaded = LoadedSource.Discover("""
            public static class Model
            {
                [Autodiff("DF", Mode.Forward, Activity.Dual, Activity.DualOnly)]
                public static double F(double x) => x * x;
            }
            """);
        Assert.That(loaded.ExpectedDeclaration(), Is.EqualTo("public static double DF(double x, double dx)"));
    }

    [Test]
    public void ForwardWidthFourTakesFourTangentsAndReturnsFour()
    {
        var loaded = LoadedSource.Discover("""
            public static class Model
            {
                [Autodiff("DF", Mode.Forward, Activity.Dual, Activity.Dual, Width = 4)]
                public static double F(double x) => x * x;
            }
            """);
        Assert.That(loaded.Single.Width, Is.EqualTo(4));
        Assert.That(loaded.ExpectedDeclaration(), Is.EqualTo(
            "public static (double, double, double, double, double) DF(double x, double dx_0, double dx_1, double dx_2, double dx_3)"));
        Assert.That(loaded.Single.Signature.Results.Select(r => r.Lane), Is.EqualTo(new[] { 0, 0, 1, 2, 3 }));
    }

    [Test]
    public void ReverseWidthTwoTakesTwoSeedsAndReturnsTwoGradientsPerActiveParameter()
    {
        var loaded = LoadedSource.Discover("""
            public static class Model
            {
                [Autodiff("DF", Mode.Reverse, Activity.Active, Activity.Const, Activity.ActiveOnly, Width = 2)]
                public static double F(double x, int n) => x * n;
            }
            """);
        Assert.That(loaded.ExpectedDeclaration(), Is.EqualTo("public static (double, double) DF(double x, int n, double seed_0, double seed_1)"));
    }

    [Test]
    public void ReverseVoidWithOnlyReferencesReturnsVoid()
    {
        var loaded = LoadedSource.Discover("""
            public static class Model
            {
                [Autodiff("DF", Mode.Reverse, Activity.Duplicated, Activity.DuplicatedOnly)]
                public static void F(ReadOnlySpan<double> x, ref double y) => y = x[0] * x[0];
            }
            """);
        Assert.That(loaded.ExpectedDeclaration(), Is.EqualTo("public static void DF(ReadOnlySpan<double> x, Span<double> dx, ref double y, ref double dy)"));
    }

    [Test]
    public void InShadowIsRefAndStructsOfFloatsAreValues()
    {
        var loaded = LoadedSource.Discover("""
            public static class Model
            {
                [Autodiff("DF", Mode.Reverse, Activity.Duplicated, Activity.Active, Activity.Active)]
                public static float F(in float s, System.Numerics.Vector3 v) => s * v.X;
            }
            """);
        Assert.That(loaded.ExpectedDeclaration(), Is.EqualTo(
            "public static (float, System.Numerics.Vector3) DF(in float s, ref float ds, System.Numerics.Vector3 v, float seed)"));
    }

    [Test]
    public void InstancePrimalGetsAnInstanceDerivativeWithTheShadowOfThisFirst()
    {
        var loaded = LoadedSource.Discover("""
            public sealed class Model
            {
                public double K;
                [Autodiff("DF", Mode.Reverse, Activity.Duplicated, Activity.Active, Activity.Active)]
                public double F(double x) => K * x;
            }
            """);
        var request = loaded.Single;
        Assert.That(request.Signature.HasThis, Is.True);
        Assert.That(request.Derivative.HasThis, Is.True);
        Assert.That(request.ParameterActivities, Is.EqualTo(new[] { ActivityKind.Duplicated, ActivityKind.Active }));
        Assert.That(loaded.ExpectedDeclaration(), Is.EqualTo("public (double, double) DF(Model dthis, double x, double seed)"));
        Assert.That(request.Signature.Parameters[0].Kind, Is.EqualTo(DerivativeParameterKind.Primal), "this");
    }

    [Test]
    public void Form2OnAnotherTypeTakesTheReceiverFirst()
    {
        var loaded = LoadedSource.Discover("""
            public sealed class Body
            {
                public double Mass;
                public double Energy(double v) => 0.5 * Mass * v * v;
            }
            public static class Derivatives
            {
                [Autodiff(typeof(Body), nameof(Body.Energy), Mode.Reverse, Activity.Duplicated, Activity.Active, Activity.Active)]
                public static extern (double value, double dv) DEnergy(Body self, Body dself, double v, double seed);
            }
            """);
        var request = loaded.Single;
        Assert.That(request.IsForm2, Is.True);
        Assert.That(request.Primal.FullName, Does.Contain("Body::Energy"));
        Assert.That(request.Derivative.Name, Is.EqualTo("DEnergy"));
        Assert.That(request.Signature.HasThis, Is.False);
        Assert.That(loaded.ExpectedDeclaration(), Is.EqualTo("public static (double, double) DEnergy(Body self, Body dself, double v, double seed)"));
    }

    [Test]
    public void Form2ChoosesTheOverloadByActivityCount()
    {
        var loaded = LoadedSource.Discover("""
            public static class Geometry
            {
                public static double Area(double r) => Math.PI * r * r;
                public static double Area(double w, double h) => w * h;
            }
            public static class Derivatives
            {
                [Autodiff(typeof(Geometry), nameof(Geometry.Area), Mode.Reverse, Activity.Active, Activity.Active)]
                public static extern (double value, double dr) DArea(double r, double seed);
            }
            """);
        Assert.That(loaded.Single.Primal.Parameters.Count, Is.EqualTo(1));
    }

    [Test]
    public void Form2ChoosesTheOverloadByTheStubsSignatureWhenCountsTie()
    {
        var loaded = LoadedSource.Discover("""
            public static class Geometry
            {
                public static double Scale(double r) => 2 * r;
                public static float Scale(float r) => 2 * r;
            }
            public static class Derivatives
            {
                [Autodiff(typeof(Geometry), nameof(Geometry.Scale), Mode.Forward, Activity.Dual, Activity.DualOnly)]
                public static extern float DScale(float r, float dr);
            }
            """);
        Assert.That(loaded.Single.Primal.ReturnType.MetadataType, Is.EqualTo(MetadataType.Single));
    }

    [Test]
    public void MoreThanSevenResultsNestThroughTRest()
    {
        var loaded = LoadedSource.Discover("""
            public static class Model
            {
                [Autodiff("DF", Mode.Reverse, Activity.Active, Activity.Active, Activity.Active, Activity.Active, Activity.Active, Activity.Active, Activity.Active, Activity.Active)]
                public static double F(double a, double b, double c, double d, double e, double f, double g) => a + b + c + d + e + f + g;
            }
            """);
        var returnType = (GenericInstanceType)loaded.Single.Derivative.ReturnType;
        Assert.That(returnType.ElementType.Name, Is.EqualTo("ValueTuple`8"));
        Assert.That(((GenericInstanceType)returnType.GenericArguments[7]).ElementType.Name, Is.EqualTo("ValueTuple`1"));
        Assert.That(loaded.ExpectedDeclaration(), Does.StartWith("public static (double, double, double, double, double, double, double, double) DF("));
    }

    [Test]
    public void ShadowNamesNeverCollideWithPrimalNames()
    {
        var loaded = LoadedSource.Discover("""
            public static class Model
            {
                [Autodiff("DF", Mode.Reverse, Activity.Duplicated, Activity.Active, Activity.Active)]
                public static double F(double[] x, double dx) => x[0] * dx;
            }
            """);
        Assert.That(loaded.ExpectedDeclaration(), Is.EqualTo("public static (double, double) DF(double[] x, double[] dx_, double dx, double seed)"));
    }

    [Test]
    public void StructInstancePrimalTakesTheShadowOfThisByRef()
    {
        var loaded = LoadedSource.Discover("""
            public struct Point
            {
                public double X;
                [Autodiff("DF", Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
                public double F(double k) => X * k;
            }
            """);
        Assert.That(loaded.ExpectedDeclaration(), Is.EqualTo("public (double, double) DF(ref Point dthis, double k, double dk)"));
    }

    [Test]
    public void Form2AcceptsAGeneratorImplementedPartialStub()
    {
        var loaded = LoadedSource.Discover("""
            public static class Geometry { public static double Area(double r) => Math.PI * r * r; }
            public static partial class Derivatives
            {
                [Autodiff(typeof(Geometry), nameof(Geometry.Area), Mode.Forward, Activity.Dual, Activity.Dual)]
                public static partial (double, double) DArea(double r, double dr);

                [GeneratedCode("Autodiff", "1")]
                public static partial (double, double) DArea(double r, double dr) => throw new InvalidOperationException("not woven");
            }
            """);
        var derivative = loaded.Single.Derivative;
        Assert.That(derivative.Name, Is.EqualTo("DArea"));
        Assert.That(derivative.Body.Instructions, Is.Empty, "the placeholder body is dropped, ready for the derivative's");
        Assert.That(derivative.DebugInformation.HasSequencePoints, Is.False);
    }

    [Test]
    public void Form1AcceptsAnInternalStubAndKeepsItsAccessibility()
    {
        var loaded = LoadedSource.Discover("""
            public static class Model
            {
                [Autodiff(nameof(DF), Mode.Reverse, Activity.Active, Activity.Active)]
                public static double F(double x) => x * x;

                [GeneratedCode("Autodiff", "1")]
                internal static extern (double, double) DF(double x, double seed);
            }
            """);
        Assert.That(loaded.Single.Derivative.IsAssembly, Is.True);
    }
}
