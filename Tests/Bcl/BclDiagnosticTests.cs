using System.Linq;
using Autodiff.Tests.EndToEnd;
using Autodiff.Weaver.Diagnostics;
using NUnit.Framework;

namespace Autodiff.Tests.Bcl;

/// <summary>BCL members with neither a rule nor a rewriting, reached by active values: AD3020 naming the member, at its line.</summary>
public sealed class BclDiagnosticTests
{
    [TestCase("float F(Vector3 a, float t) => Vector3.Lerp(a, Vector3.One, t).X;", "Active, Active, Active", "System.Numerics.Vector3.Lerp")]
    [TestCase("double F(double re, double im) => Complex.Pow(new Complex(re, im), 2.5).Real;", "Active, Active, Active", "System.Numerics.Complex.Pow")]
    [TestCase("double F(double[] a) { var b = new float[a.Length]; Array.Copy(a, b, a.Length); return b[0]; }", "Duplicated, Active", "System.Array.Copy")]
    [TestCase("double F(double[] a) { a.AsSpan().Reverse(); return a[0]; }", "Duplicated, Active", "System.MemoryExtensions")]
    [TestCase("double F(List<double> xs, double v) { xs.Insert(0, v); return xs[0]; }", "Duplicated, Active, Active", "List`1<System.Double>.Insert")]
    public void ReportsTheMember(string function, string activities, string member)
    {
        var source = $$"""
            using System;
            using System.Collections.Generic;
            using System.Numerics;
            using Autodiff;

            public static class Subject
            {
                [Autodiff("DF", Mode.Reverse, {{string.Join(", ", activities.Split(", ").Select(a => "Activity." + a))}})]
                public static {{function}}
            }
            """;
        using var woven = WovenAssembly.Compile(source);
        var error = woven.Diagnostics.First(d => d.Severity == DiagnosticSeverity.Error);
        Assert.Multiple(() =>
        {
            Assert.That(error.Code, Is.EqualTo(DiagnosticCode.UnsupportedBclMember), error.ToString());
            Assert.That(error.Message, Does.Contain(member));
            Assert.That(error.Location?.Line, Is.EqualTo(9));
        });
    }
}
