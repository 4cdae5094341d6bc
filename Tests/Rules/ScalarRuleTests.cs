using System;
using System.Linq;
using System.Runtime.CompilerServices;
using Autodiff.Tests.EndToEnd;
using NUnit.Framework;

namespace Autodiff.Tests.Rules;

/// <summary>
/// Every scalar rule woven end to end, in double and float, in both modes, on a grid of points: the reverse
/// gradient of the double version matches central differences, the forward tangents along each axis match
/// the reverse gradient, and the float version agrees with the double one to float precision.
/// In the bodies <c>M</c> stands for Math/MathF and <c>T</c> for double/float (generic-math statics).
/// </summary>
public sealed class ScalarRuleTests
{
    private static readonly (string Body, (double X, double Y)[] Points)[] Rules =
    {
        ("M.Sin(x) * M.Cos(y) + M.Tan(x * y)", new[] { (0.3, 0.7), (-1.1, 0.2), (0.9, -0.5) }),
        ("M.Exp(x) * M.Log(y) + M.Log10(y) - M.Log2(y)", new[] { (0.3, 0.7), (-1.1, 2.2), (0.9, 5.5) }),
        ("M.Sqrt(x) + M.Cbrt(y)", new[] { (0.3, 0.7), (1.1, -2.2), (9.0, 5.5) }),
        ("M.Sinh(x) + M.Cosh(y) * M.Tanh(x - y)", new[] { (0.3, 0.7), (-1.1, 0.2), (0.9, -1.5) }),
        ("M.Asin(x) + M.Acos(y) + M.Atan(x * y)", new[] { (0.3, 0.7), (-0.6, 0.2), (0.9, -0.5) }),
        ("M.Atan2(y, x)", new[] { (0.3, 0.7), (-1.1, 0.2), (0.9, -0.5) }),
        ("M.Asinh(x) * y + M.Acosh(x * x + y * y + 1) + M.Atanh(x * y)", new[] { (0.3, 0.7), (-0.6, 0.2), (0.9, -0.5) }),
        ("M.Log(x, y)", new[] { (0.3, 0.7), (5.0, 2.5), (0.9, 10.0) }),
        ("M.Pow(x, y)", new[] { (0.3, 0.7), (2.0, 2.5), (1.9, -1.5) }),
        ("M.Abs(x) * y + M.Max(x, y) - M.Min(x * y, y)", new[] { (0.3, 0.7), (-1.1, 0.2), (0.9, -0.5) }),
        ("M.FusedMultiplyAdd(x, y, x * x)", new[] { (0.3, 0.7), (-1.1, 0.2), (0.9, -0.5) }),
        ("M.Floor(x) * y + M.Ceiling(y) * x + M.Round(x) + M.Truncate(y) + M.Sign(x)", new[] { (0.3, 0.7), (-1.1, 0.2), (2.3, -0.4) }),
        ("T.Exp2(x) + T.Exp10(y) + T.ExpM1(x * y)", new[] { (0.3, 0.7), (-1.1, 0.2), (0.9, -0.5) }),
        ("T.Exp2M1(x) + T.Exp10M1(y)", new[] { (0.3, 0.7), (-1.1, 0.2), (0.9, -0.5) }),
        ("T.LogP1(x) + T.Log2P1(y) + T.Log10P1(x * y)", new[] { (0.3, 0.7), (-0.6, 0.2), (0.9, -0.5) }),
        ("T.SinPi(x) + T.CosPi(y) + T.TanPi(x * y)", new[] { (0.3, 0.7), (-1.1, 0.2), (0.9, -0.3) }),
        ("T.AsinPi(x) + T.AcosPi(y) + T.AtanPi(x * y)", new[] { (0.3, 0.7), (-0.6, 0.2), (0.9, -0.5) }),
        ("T.DegreesToRadians(x) * T.RadiansToDegrees(y)", new[] { (0.3, 0.7), (-1.1, 0.2), (0.9, -0.5) }),
        ("T.Hypot(x, y)", new[] { (0.3, 0.7), (-1.1, 0.2), (3.0, -4.0) }),
        ("T.RootN(x, 5) + T.RootN(y, 2)", new[] { (0.3, 0.7), (-1.1, 0.2), (9.0, 4.0) }),
        ("Math.Clamp(x, y, y + 1)", new[] { (0.3, 0.7), (1.1, 0.2), (0.9, -0.5) }),
        ("T.CopySign(x, y) * y", new[] { (0.3, 0.7), (-1.1, 0.2), (0.9, -0.5) }),
        ("T.ScaleB(x, 3) * y", new[] { (0.3, 0.7), (-1.1, 0.2), (0.9, -0.5) }),
        ("T.BitIncrement(x) * T.BitDecrement(y)", new[] { (0.3, 0.7), (-1.1, 0.2), (0.9, -0.5) }),
        ("T.MaxMagnitude(x, y) + T.MinMagnitude(x * y, y) + T.MaxNumber(x, y) - T.MinNumber(x, y)", new[] { (0.3, 0.7), (-1.1, 0.2), (0.9, -0.5) }),
        ("T.MaxMagnitudeNumber(x, y) * T.MinMagnitudeNumber(x, y)", new[] { (0.3, 0.7), (-1.1, 0.2), (0.9, -0.5) }),
        ("T.MultiplyAddEstimate(x, y, x * x) + T.Lerp(x, y, x * y) + T.Atan2Pi(y, x)", new[] { (0.3, 0.7), (-1.1, 0.2), (0.9, -0.5) }),
        ("(T)T.ILogB(y + 3) * x + (T.IsNegative(x) ? y : x) + (T.IsInteger(x) || T.IsPow2(y) || T.IsOddInteger(x) || T.IsEvenInteger(y) || !T.IsNormal(x) || T.IsSubnormal(y) || !T.IsRealNumber(x) || T.IsPositive(y) ? y : x * x)", new[] { (0.3, 0.7), (-1.1, 0.2), (0.9, -0.5) }),
        ("x % y", new[] { (5.3, 0.7), (-7.1, 2.2), (0.9, -0.5) }),
        ("M.IEEERemainder(x, y) + T.Ieee754Remainder(y, x)", new[] { (5.3, 0.7), (-7.1, 2.2), (0.9, -0.5) }),
        ("(T)(int)(x * 3) + x * y + (T)(long)y", new[] { (0.3, 0.7), (-1.1, 0.2), (0.9, -0.55) }),
        ("(T)(uint)(x * x + 5) * y + (T)(ushort)(y * y) + (T)(sbyte)x + (T)(ulong)(x * x) + (T)(nint)y + (T)(byte)(y + 3) * x", new[] { (0.3, 0.7), (-1.1, 0.2), (0.9, -0.55) }),
    };

    private static WovenAssembly woven = null!;

    [OneTimeSetUp]
    public void Weave()
    {
        var methods = Rules.SelectMany((rule, i) => new[] { Methods("D", "double", "Math", rule.Body, i), Methods("S", "float", "MathF", rule.Body, i) });
        woven = WovenAssembly.Compile($$"""
            using System;
            using System.CodeDom.Compiler;
            using Autodiff;

            public static class Rules
            {
            {{string.Join("\n", methods)}}
            }
            """);
    }

    [OneTimeTearDown]
    public void Unload() => woven.Dispose();

    private static string Methods(string prefix, string type, string math, string body, int i)
    {
        var expression = body.Replace("M.", math + ".").Replace("T.", type + ".").Replace("(T)", "(" + type + ")");
        return $$"""
                [Autodiff(nameof({{prefix}}R{{i}}), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
                [Autodiff(nameof({{prefix}}T{{i}}), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
                public static {{type}} {{prefix}}F{{i}}({{type}} x, {{type}} y) => {{expression}};
                [GeneratedCode("Autodiff", "1")] public static extern ({{type}}, {{type}}, {{type}}) {{prefix}}R{{i}}({{type}} x, {{type}} y, {{type}} seed);
                [GeneratedCode("Autodiff", "1")] public static extern ({{type}}, {{type}}) {{prefix}}T{{i}}({{type}} x, {{type}} dx, {{type}} y, {{type}} dy);
            """;
    }

    private static object[] Cases() =>
        Rules.SelectMany((rule, i) => rule.Points.Select(p => new object[] { i, rule.Body, p.X, p.Y })).ToArray();

    [TestCaseSource(nameof(Cases))]
    public void DoubleReverseMatchesCentralDifferences(int index, string body, double x, double y)
    {
        double F(double a, double b) => (double)woven.Invoke("Rules", "DF" + index, a, b)!;
        var gradient = (ITuple)woven.Invoke("Rules", "DR" + index, x, y, 1.0)!;
        const double h = 1e-6;
        Assert.That((double)gradient[0]!, Is.EqualTo(F(x, y)), body);
        var ddx = (F(x + h, y) - F(x - h, y)) / (2 * h);
        var ddy = (F(x, y + h) - F(x, y - h)) / (2 * h);
        Assert.That((double)gradient[1]!, Is.EqualTo(ddx).Within(1e-6 * (1 + Math.Abs(ddx))), body + ": d/dx");
        Assert.That((double)gradient[2]!, Is.EqualTo(ddy).Within(1e-6 * (1 + Math.Abs(ddy))), body + ": d/dy");
    }

    [TestCaseSource(nameof(Cases))]
    public void DoubleForwardMatchesReverse(int index, string body, double x, double y)
    {
        var gradient = (ITuple)woven.Invoke("Rules", "DR" + index, x, y, 1.0)!;
        var alongX = (ITuple)woven.Invoke("Rules", "DT" + index, x, 1.0, y, 0.0)!;
        var alongY = (ITuple)woven.Invoke("Rules", "DT" + index, x, 0.0, y, 1.0)!;
        Assert.That((double)alongX[0]!, Is.EqualTo((double)gradient[0]!), body);
        Assert.That((double)alongX[1]!, Is.EqualTo((double)gradient[1]!).Within(1e-12 * (1 + Math.Abs((double)gradient[1]!))), body + ": d/dx");
        Assert.That((double)alongY[1]!, Is.EqualTo((double)gradient[2]!).Within(1e-12 * (1 + Math.Abs((double)gradient[2]!))), body + ": d/dy");
    }

    [TestCaseSource(nameof(Cases))]
    public void FloatAgreesWithDoubleInBothModes(int index, string body, double x, double y)
    {
        var expected = (ITuple)woven.Invoke("Rules", "DR" + index, x, y, 1.0)!;
        var reverse = (ITuple)woven.Invoke("Rules", "SR" + index, (float)x, (float)y, 1f)!;
        var alongX = (ITuple)woven.Invoke("Rules", "ST" + index, (float)x, 1f, (float)y, 0f)!;
        var alongY = (ITuple)woven.Invoke("Rules", "ST" + index, (float)x, 0f, (float)y, 1f)!;
        for (var k = 1; k <= 2; k++)
        {
            var want = (double)expected[k]!;
            Assert.That((float)reverse[k]!, Is.EqualTo(want).Within(2e-3 * (1 + Math.Abs(want))), $"{body}: reverse ∂{k}");
        }
        Assert.That((float)alongX[1]!, Is.EqualTo((float)reverse[1]!).Within(1e-5 * (1 + Math.Abs((float)reverse[1]!))), body + ": forward d/dx");
        Assert.That((float)alongY[1]!, Is.EqualTo((float)reverse[2]!).Within(1e-5 * (1 + Math.Abs((float)reverse[2]!))), body + ": forward d/dy");
    }
}
