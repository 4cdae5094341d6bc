using System;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using Autodiff.Tests.EndToEnd;
using NUnit.Framework;

namespace Autodiff.Tests.Calls;

/// <summary>
/// Differentiating through a callee whose IL lives in a referenced assembly: its derivative is generated into
/// the user's assembly, which reaches the library's private members through IgnoresAccessChecksTo.
/// </summary>
public sealed class CrossAssemblyTests
{
    private WovenWithLibrary assemblies = null!;
    private Assembly user = null!;

    [OneTimeSetUp]
    public void Weave()
    {
        assemblies = new WovenWithLibrary(CrossAssemblySource.Library, CrossAssemblySource.LibraryName, CrossAssemblySource.User, "Uses");
        user = assemblies.User;
    }

    [OneTimeTearDown]
    public void Unload() => assemblies.Dispose();

    [Test]
    public void CalleeReadingAPrivateFieldOfTheOtherAssembly()
    {
        // 2πr² → 4πr.
        const double r = 1.25;
        var forward = (ITuple)Invoke("FArea", r, 1.0)!;
        var reverse = (ITuple)Invoke("RArea", r, 1.0)!;
        Assert.Multiple(() =>
        {
            Assert.That((double)forward[0]!, Is.EqualTo(2 * Math.PI * r * r).Within(1e-12));
            Assert.That((double)forward[1]!, Is.EqualTo(4 * Math.PI * r).Within(1e-12));
            Assert.That((double)reverse[1]!, Is.EqualTo(4 * Math.PI * r).Within(1e-12));
        });
    }

    [Test]
    public void CalleeCallingAPrivateHelperOfTheOtherAssembly()
    {
        // π(r + ½)² − πr² → π.
        var forward = (ITuple)Invoke("FRing", 0.75, 1.0)!;
        var reverse = (ITuple)Invoke("RRing", 0.75, 1.0)!;
        Assert.Multiple(() =>
        {
            Assert.That((double)forward[1]!, Is.EqualTo(Math.PI).Within(1e-12));
            Assert.That((double)reverse[1]!, Is.EqualTo(Math.PI).Within(1e-12));
        });
    }

    [Test]
    public void StructPassedToARecursiveHelperOfTheOtherAssembly()
    {
        // x²·3x = 3x³ → 9x², against central differences too.
        const double x = 0.8, h = 1e-6;
        var forward = (ITuple)Invoke("FCorner", x, 1.0)!;
        var reverse = (ITuple)Invoke("RCorner", x, 1.0)!;
        var central = ((double)Invoke("Corner", x + h)! - (double)Invoke("Corner", x - h)!) / (2 * h);
        Assert.Multiple(() =>
        {
            Assert.That((double)reverse[0]!, Is.EqualTo(3 * x * x * x).Within(1e-12));
            Assert.That((double)forward[1]!, Is.EqualTo(9 * x * x).Within(1e-12));
            Assert.That((double)reverse[1]!, Is.EqualTo(9 * x * x).Within(1e-12));
            Assert.That(central, Is.EqualTo(9 * x * x).Within(1e-6));
        });
    }

    [Test]
    public void StructReturnedByAnInstanceMethodOfTheOtherAssembly()
    {
        // 3x·(2x)² = 12x³ → 36x², against central differences too.
        const double x = -0.6, h = 1e-6;
        var forward = (ITuple)Invoke("FMoved", x, 1.0)!;
        var reverse = (ITuple)Invoke("RMoved", x, 1.0)!;
        var central = ((double)Invoke("Moved", x + h)! - (double)Invoke("Moved", x - h)!) / (2 * h);
        Assert.Multiple(() =>
        {
            Assert.That((double)reverse[0]!, Is.EqualTo(12 * x * x * x).Within(1e-12));
            Assert.That((double)forward[1]!, Is.EqualTo(36 * x * x).Within(1e-12));
            Assert.That((double)reverse[1]!, Is.EqualTo(36 * x * x).Within(1e-12));
            Assert.That(central, Is.EqualTo(36 * x * x).Within(1e-6));
        });
    }

    [Test]
    public void Form2DifferentiatesAMethodOfTheReferencedAssemblyDirectly()
    {
        // Ring(r, w) = π(r + w)² − πr²: ∂r = 2πw, ∂w = 2π(r + w).
        const double r = 0.75, w = 0.5;
        var reverse = (ITuple)Invoke("DRingDirect", r, w, 2.0)!;
        var forward = (ITuple)Invoke("FRingDirect", r, 1.0, w)!;
        const double h = 1e-6;
        double Ring(double x, double y) => Math.PI * (x + y) * (x + y) - Math.PI * x * x;
        Assert.Multiple(() =>
        {
            Assert.That((double)reverse[0]!, Is.EqualTo(Ring(r, w)).Within(1e-12));
            Assert.That((double)reverse[1]!, Is.EqualTo(2 * 2 * Math.PI * w).Within(1e-12));
            Assert.That((double)reverse[2]!, Is.EqualTo(2 * 2 * Math.PI * (r + w)).Within(1e-12));
            Assert.That((double)forward[1]!, Is.EqualTo(2 * Math.PI * w).Within(1e-12));
            Assert.That((double)forward[1]!, Is.EqualTo((Ring(r + h, w) - Ring(r - h, w)) / (2 * h)).Within(1e-6));
        });
    }

    [Test]
    public void DerivativesLiveInTheUsersAssemblyWhichIgnoresTheLibrarysAccessChecks()
    {
        var ignored = user.GetCustomAttributesData()
            .Where(a => a.AttributeType.FullName == "System.Runtime.CompilerServices.IgnoresAccessChecksToAttribute")
            .Select(a => (string)a.ConstructorArguments[0].Value!);
        var helpers = user.GetType("<AutodiffCallDerivatives>")!.GetMethods(BindingFlags.NonPublic | BindingFlags.Static).Select(m => m.Name);
        Assert.Multiple(() =>
        {
            Assert.That(ignored, Is.EqualTo(new[] { CrossAssemblySource.LibraryName }));
            Assert.That(helpers, Does.Contain("<Geometry.Circle.Area>__fwd_const_dual_to_dual"));
            Assert.That(helpers, Does.Contain("<Geometry.Shapes.Disk>__rev_active"));
        });
    }

    private object? Invoke(string method, params object[] arguments)
    {
        try
        {
            return user.GetType("Uses")!.GetMethod(method)!.Invoke(null, arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException != null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }
}
