using System;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using Autodiff.Tests.EndToEnd;
using NUnit.Framework;

namespace Autodiff.Tests.Bcl;

/// <summary>
/// Const delegates whose methods live in a referenced assembly (a closure and a private method group of the library),
/// passed through the library's own Integrate: the derivatives of the library's lambdas and of Integrate are generated
/// into the user's assembly, which reaches the library's private closure types through IgnoresAccessChecksTo.
/// </summary>
public sealed class ConstDelegateCrossAssemblyTests
{
    private WovenWithLibrary assemblies = null!;
    private Assembly user = null!;
    private Assembly library = null!;

    [OneTimeSetUp]
    public void Weave()
    {
        assemblies = new WovenWithLibrary(ConstDelegateSource.Library, ConstDelegateSource.LibraryName, ConstDelegateSource.User, "UsesProfiles");
        user = assemblies.User;
        library = assemblies.Library;
    }

    [OneTimeTearDown]
    public void Unload() => assemblies.Dispose();

    [TestCase("Bump", 1.5)]
    [TestCase("Parabola", null)]
    public void LibraryDelegateThroughTheLibrarysIntegrate(string factory, double? height)
    {
        Func<double, double> f, df;
        (f, df) = height is { } k ? (t => k * Math.Exp(-t * t), t => -2 * k * t * Math.Exp(-t * t)) : ((Func<double, double>)(t => t * t), (Func<double, double>)(t => 2 * t));
        const double b = 0.9;
        var profiles = library.GetType("Shapes.Profiles")!;
        var profile = profiles.GetMethod(factory)!.Invoke(null, height is { } h ? new object[] { h } : null);
        var areas = user.GetType("Areas")!;
        var forward = (ITuple)areas.GetMethod("FArea")!.Invoke(null, new[] { profile, b, 1.0 })!;
        var reverse = (ITuple)areas.GetMethod("RArea")!.Invoke(null, new[] { profile, b, 1.0 })!;
        double Primal(double v) => (double)areas.GetMethod("Area")!.Invoke(null, new[] { profile, v })!;
        var expected = ConstDelegateTests.MidpointPartials(f, df, 0, b, 8).Db;
        const double step = 1e-6;
        Assert.Multiple(() =>
        {
            Assert.That(reverse[0], Is.EqualTo(Primal(b)));
            Assert.That((double)forward[1]!, Is.EqualTo(expected).Within(1e-12));
            Assert.That((double)reverse[1]!, Is.EqualTo(expected).Within(1e-12));
            Assert.That(expected, Is.EqualTo((Primal(b + step) - Primal(b - step)) / (2 * step)).Within(1e-6));
            Assert.That(user.GetCustomAttributesData().Where(a => a.AttributeType.Name == "IgnoresAccessChecksToAttribute").Select(a => a.ConstructorArguments[0].Value), Does.Contain(ConstDelegateSource.LibraryName));
        });
    }
}
