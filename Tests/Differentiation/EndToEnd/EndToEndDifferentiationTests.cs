using System;
using System.Linq;
using Autodiff.Tests.Infrastructure;
using Autodiff.Weaver.Diagnostics;
using Autodiff.Weaver.Loading;
using NUnit.Framework;

namespace Autodiff.Tests.Differentiation;

/// <summary>C# compiled by Roslyn (Release), lifted, differentiated, lowered, JIT-compiled and called.</summary>
public sealed class EndToEndDifferentiationTests
{
    private const string Source = """
        using System;

        public sealed class Spring
        {
            public double Stiffness = 2;

            public double Energy(double x) => 0.5 * Stiffness * x * x;
        }

        public static class Model
        {
            public static double Energy(double m, double v, double h)
            {
                const double g = 9.81;
                double kinetic = 0.5 * m * v * v;
                double potential = m * g * h;
                return kinetic + potential;
            }

            public static double F(double x, double y) => x * x + 3 * y;

            public static double G(double x) => Math.Sin(x) * Math.Exp(x) + Math.Pow(x, 3) / Math.Sqrt(x);

            public static float H(float x, float y) => MathF.Tanh(x * y) / MathF.Sqrt(y) + (float)Math.Log(x);

            public static double Square(double x) => x * x;

            public static double Branchy(double x, int n) => n > 0 ? x * x : 3 * x;

            public static double Piecewise(double x)
            {
                double y;
                if (x > 1)
                    y = Math.Log(x);
                else
                    y = x - 1;
                return y * y;
            }

            public static double Power(double x, int n)
            {
                double p = 1;
                for (int i = 0; i < n; i++)
                    p *= x;
                return p;
            }

            public static double Nested(double x, int n)
            {
                double s = 0;
                for (int i = 0; i < n; i++)
                    for (int j = 0; j <= i; j++)
                        s += Math.Sin(x * j) / (1 + s * s);
                return s;
            }

            public static double Scaled(double x, int n)
            {
                double factor = n > 0 ? 2.0 : 5.0;
                return Math.Cos(x) * factor;
            }

            [Autodiff.Inactive]
            public static double Noise(double x) => Math.Floor(1000 * Math.Sin(x)) / 1000;

            public static double WithNoise(double x) => x * x + Noise(x);

            public static double SafeLog(double x) => double.IsNaN(x) || x <= 0 ? 0 : Math.Log(x) + Math.Round(x);

            public static double Square2(double x) => x * x;

            public static double UsesHelper(double x) => Square2(x) + 1;

            [System.Runtime.InteropServices.DllImport("libm", EntryPoint = "remainder")]
            private static extern double NativeRemainder(double x, double y);

            public static double Remainder(double x, double y)
            {
                return NativeRemainder(x, y);
            }
        }
        """;

    private static LoadedAssembly Weave(Action<WovenModule> requests) => Weave(requests, out _);

    private static LoadedAssembly Weave(Action<WovenModule> requests, out string decompiled)
    {
        using var module = WovenModule.Compile(Source);
        requests(module);
        var loaded = module.Load();
        decompiled = module.Decompiled;
        return loaded;
    }

    private static double[] Call(LoadedAssembly loaded, string method, params object[] arguments) =>
        IrInterpreter.Elements(loaded.Invoke("Model", method, arguments));

    [Test]
    public void SeedExampleInBothModes()
    {
        using var loaded = Weave(m =>
        {
            m.Differentiate("Model", "F", "DF", DerivativeMode.Reverse, 1, ActivityKind.Active, ActivityKind.Active, ActivityKind.Active);
            m.Differentiate("Model", "F", "TF", DerivativeMode.Forward, 1, ActivityKind.Dual, ActivityKind.Dual, ActivityKind.Dual);
        });
        Assert.That(loaded.Invoke("Model", "DF", 5.0, 7.0, 1.0), Is.EqualTo((46.0, 10.0, 3.0)));
        Assert.That(loaded.Invoke("Model", "TF", 5.0, 1.0, 7.0, 0.0), Is.EqualTo((46.0, 10.0)));
    }

    [Test]
    public void DerivativeDecompilesToReadableCSharp()
    {
        using var loaded = Weave(m => m.Differentiate("Model", "F", "DF", DerivativeMode.Reverse, 1, ActivityKind.Active, ActivityKind.Active, ActivityKind.Active), out var code);
        Assert.That(code, Does.Contain("public static (double, double, double) DF(double x, double y, double seed)"), code);
        Assert.That(code, Does.Contain("x * x + 3.0 * y"), code);
    }

    [TestCase(0.4)]
    [TestCase(1.3)]
    [TestCase(2.7)]
    public void ElementaryFunctionsMatchTheClosedForm(double x)
    {
        using var loaded = Weave(m =>
        {
            m.Differentiate("Model", "G", "DG", DerivativeMode.Reverse, 1, ActivityKind.Active, ActivityKind.ActiveOnly);
            m.Differentiate("Model", "G", "TG", DerivativeMode.Forward, 1, ActivityKind.Dual, ActivityKind.DualOnly);
        });
        var expected = Math.Exp(x) * (Math.Cos(x) + Math.Sin(x)) + 2.5 * Math.Pow(x, 1.5);
        Assert.That(Call(loaded, "DG", x, 1.0)[0], Is.EqualTo(expected).Within(1e-12 * Math.Abs(expected)));
        Assert.That(Call(loaded, "TG", x, 1.0)[0], Is.EqualTo(expected).Within(1e-12 * Math.Abs(expected)));
    }

    [TestCase(0.5f, 1.5f)]
    [TestCase(1.2f, 0.3f)]
    public void FloatFunctionForwardMatchesReverseAndDifferences(float x, float y)
    {
        using var loaded = Weave(m =>
        {
            m.Differentiate("Model", "H", "DH", DerivativeMode.Reverse, 1, ActivityKind.Active, ActivityKind.Active, ActivityKind.Active);
            m.Differentiate("Model", "H", "TH", DerivativeMode.Forward, 2, ActivityKind.Dual, ActivityKind.Dual, ActivityKind.DualOnly);
        });
        var gradient = Call(loaded, "DH", x, y, 1f);
        var tangents = Call(loaded, "TH", x, 1f, 0f, y, 0f, 1f);
        Assert.That(gradient[0], Is.EqualTo(Call(loaded, "H", x, y)[0]));
        Assert.That(tangents, Is.EqualTo(gradient.Skip(1).ToArray()).Within(1e-6));
        const float h = 1e-2f;
        var dx = (Call(loaded, "H", x + h, y)[0] - Call(loaded, "H", x - h, y)[0]) / (2 * h);
        var dy = (Call(loaded, "H", x, y + h)[0] - Call(loaded, "H", x, y - h)[0]) / (2 * h);
        Assert.That(gradient[1], Is.EqualTo(dx).Within(2e-3 * Math.Max(1, Math.Abs(dx))));
        Assert.That(gradient[2], Is.EqualTo(dy).Within(2e-3 * Math.Max(1, Math.Abs(dy))));
    }

    [Test]
    public void ForwardWidthFourOnSquare()
    {
        using var loaded = Weave(m => m.Differentiate("Model", "Square", "TSquare", DerivativeMode.Forward, 4, ActivityKind.Dual, ActivityKind.DualOnly));
        Assert.That(Call(loaded, "TSquare", 3.0, 1.0, 2.0, 3.0, 0.0), Is.EqualTo(new[] { 6.0, 12.0, 18.0, 0.0 }));
    }

    [TestCase(1, 36.0, 12.0)]
    [TestCase(0, 18.0, 3.0)]
    public void BranchesInBothModes(int n, double value, double derivative)
    {
        using var loaded = Weave(m =>
        {
            m.Differentiate("Model", "Branchy", "DBranchy", DerivativeMode.Reverse, 1, ActivityKind.Active, ActivityKind.Const, ActivityKind.Active);
            m.Differentiate("Model", "Branchy", "TBranchy", DerivativeMode.Forward, 1, ActivityKind.Dual, ActivityKind.Const, ActivityKind.Dual);
        });
        Assert.That(Call(loaded, "DBranchy", 6.0, n, 1.0), Is.EqualTo(new[] { value, derivative }));
        Assert.That(Call(loaded, "TBranchy", 6.0, 1.0, n), Is.EqualTo(new[] { value, derivative }));
    }

    [TestCase(2.0)]
    [TestCase(0.5)]
    public void ActivePhiInBothModes(double x)
    {
        using var loaded = Weave(m =>
        {
            m.Differentiate("Model", "Piecewise", "DPiecewise", DerivativeMode.Reverse, 2, ActivityKind.Active, ActivityKind.Active);
            m.Differentiate("Model", "Piecewise", "TPiecewise", DerivativeMode.Forward, 1, ActivityKind.Dual, ActivityKind.DualOnly);
        });
        var y = x > 1 ? Math.Log(x) : x - 1;
        var derivative = 2 * y * (x > 1 ? 1 / x : 1);
        Assert.That(Call(loaded, "DPiecewise", x, 1.0, 3.0), Is.EqualTo(new[] { y * y, derivative, 3 * derivative }).Within(1e-15));
        Assert.That(Call(loaded, "TPiecewise", x, 1.0)[0], Is.EqualTo(derivative).Within(1e-15));
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(5)]
    public void LoopsInBothModes(int n)
    {
        using var loaded = Weave(m =>
        {
            m.Differentiate("Model", "Power", "DPower", DerivativeMode.Reverse, 1, ActivityKind.Active, ActivityKind.Const, ActivityKind.Active);
            m.Differentiate("Model", "Power", "TPower", DerivativeMode.Forward, 1, ActivityKind.Dual, ActivityKind.Const, ActivityKind.DualOnly);
            m.Differentiate("Model", "Nested", "DNested", DerivativeMode.Reverse, 1, ActivityKind.Active, ActivityKind.Const, ActivityKind.ActiveOnly);
            m.Differentiate("Model", "Nested", "TNested", DerivativeMode.Forward, 1, ActivityKind.Dual, ActivityKind.Const, ActivityKind.DualOnly);
        });
        Assert.That(Call(loaded, "DPower", 1.5, n, 1.0), Is.EqualTo(new[] { Math.Pow(1.5, n), n * Math.Pow(1.5, n - 1) }).Within(1e-12));
        Assert.That(Call(loaded, "TPower", 1.5, 1.0, n)[0], Is.EqualTo(n * Math.Pow(1.5, n - 1)).Within(1e-12));
        var reverse = Call(loaded, "DNested", 0.7, n, 1.0)[0];
        Assert.That(Call(loaded, "TNested", 0.7, 1.0, n)[0], Is.EqualTo(reverse).Within(1e-12));
        const double h = 1e-6;
        var difference = (Call(loaded, "Nested", 0.7 + h, n)[0] - Call(loaded, "Nested", 0.7 - h, n)[0]) / (2 * h);
        Assert.That(reverse, Is.EqualTo(difference).Within(1e-6 * Math.Max(1, Math.Abs(difference))));
    }

    [TestCase(1, 2.0)]
    [TestCase(-1, 5.0)]
    public void InactiveBranchInReverse(int n, double factor)
    {
        using var loaded = Weave(m => m.Differentiate("Model", "Scaled", "DScaled", DerivativeMode.Reverse, 1, ActivityKind.Active, ActivityKind.Const, ActivityKind.ActiveOnly));
        Assert.That(Call(loaded, "DScaled", 0.7, n, 1.0)[0], Is.EqualTo(-factor * Math.Sin(0.7)).Within(1e-15));
    }

    [Test]
    public void LocalsAndConstantsInBothModes()
    {
        using var loaded = Weave(m =>
        {
            m.Differentiate("Model", "Energy", "DEnergy", DerivativeMode.Reverse, 1, ActivityKind.Active, ActivityKind.Active, ActivityKind.Active, ActivityKind.ActiveOnly);
            m.Differentiate("Model", "Energy", "TEnergy", DerivativeMode.Forward, 3, ActivityKind.Dual, ActivityKind.Dual, ActivityKind.Dual, ActivityKind.DualOnly);
        });
        var (mass, v, h) = (2.0, 3.0, 4.0);
        var expected = new[] { 0.5 * v * v + 9.81 * h, mass * v, mass * 9.81 };
        Assert.That(Call(loaded, "DEnergy", mass, v, h, 1.0), Is.EqualTo(expected).Within(1e-12));
        Assert.That(Call(loaded, "TEnergy", mass, 1.0, 0.0, 0.0, v, 0.0, 1.0, 0.0, h, 0.0, 0.0, 1.0), Is.EqualTo(expected).Within(1e-12));
    }

    [Test]
    public void InstanceMethodWithConstReceiverReadsItsFields()
    {
        using var loaded = Weave(m => m.Differentiate("Spring", "Energy", "DEnergy", DerivativeMode.Reverse, 1, ActivityKind.Const, ActivityKind.Active, ActivityKind.Active));
        var spring = Activator.CreateInstance(loaded.Type("Spring"))!;
        Assert.That(IrInterpreter.Elements(loaded.Method("Spring", "DEnergy").Invoke(null, new[] { spring, 3.0, 1.0 })), Is.EqualTo(new[] { 9.0, 6.0 }));
    }

    [Test]
    public void PredicatesAndRoundingAreInactive()
    {
        using var loaded = Weave(m => m.Differentiate("Model", "SafeLog", "DSafeLog", DerivativeMode.Reverse, 1, ActivityKind.Active, ActivityKind.ActiveOnly));
        Assert.That(Call(loaded, "DSafeLog", 2.0, 1.0), Is.EqualTo(new[] { 0.5 }));
        Assert.That(Call(loaded, "DSafeLog", -1.0, 1.0), Is.EqualTo(new[] { 0.0 }));
    }

    [Test]
    public void InactiveCalleeContributesNothing()
    {
        using var loaded = Weave(m => m.Differentiate("Model", "WithNoise", "DWithNoise", DerivativeMode.Reverse, 1, ActivityKind.Active, ActivityKind.Active));
        var result = Call(loaded, "DWithNoise", 1.5, 1.0);
        Assert.That(result, Is.EqualTo(new[] { 2.25 + Math.Floor(1000 * Math.Sin(1.5)) / 1000, 3.0 }));
    }

    [Test]
    public void UnsupportedOperationIsReportedAtItsSourceLine()
    {
        using var module = WovenModule.Compile(Source);
        var error = Assert.Throws<WeaverException>(() =>
            module.Differentiate("Model", "Remainder", "DRemainder", DerivativeMode.Reverse, 1, ActivityKind.Active, ActivityKind.Active, ActivityKind.Active))!;
        Assert.That(error.Code, Is.EqualTo(DiagnosticCode.UnsupportedOperation));
        Assert.That(error.Location?.StartLine, Is.EqualTo(Source.Split('\n').ToList().FindIndex(l => l.Contains("return NativeRemainder(x, y)")) + 1));
        Assert.That(error.Message, Does.Match(@"^cannot differentiate call to Model.NativeRemainder at .*TestSubject\.cs\(\d+,\d+\): no derivative rule"));
    }

    [Test]
    public void CallsWithoutRulesAreReportedUntilCallsAreDifferentiated()
    {
        using var module = WovenModule.Compile(Source);
        var error = Assert.Throws<WeaverException>(() =>
            module.Differentiate("Model", "UsesHelper", "DUsesHelper", DerivativeMode.Forward, 1, ActivityKind.Dual, ActivityKind.Dual))!;
        Assert.That(error.Code, Is.EqualTo(DiagnosticCode.UnsupportedOperation));
        Assert.That(error.Message, Does.StartWith("cannot differentiate call to Model.Square2 at "));
    }
}
