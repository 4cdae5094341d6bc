using System.Linq;
using Autodiff.Tests.EndToEnd;
using Autodiff.Tests.Infrastructure;
using Autodiff.Weaver.Pipeline;
using NUnit.Framework;

namespace Autodiff.Tests.Pipeline;

public sealed class WovenMarkerTests
{
    [Test]
    public void MarkIsSeenAfterAWriteAndRead()
    {
        using var module = WovenAssembly.Read(TestCompiler.Compile("public static class C { }"));
        Assert.That(WovenMarker.IsWoven(module), Is.False);

        WovenMarker.Mark(module);
        var bytes = WovenAssembly.Write(module);
        using var reread = WovenAssembly.Read(new TestCompiler.Output(bytes.Assembly, bytes.Pdb, "TestSubject"));

        Assert.That(WovenMarker.IsWoven(reread), Is.True);
        var marker = reread.Types.Single(t => t.Name == WovenMarker.TypeName);
        Assert.That(marker.IsAbstract && marker.IsSealed && marker.IsNotPublic, Is.True);
        Assert.That(marker.CustomAttributes.Select(a => a.AttributeType.FullName), Is.EqualTo(new[] { "System.Runtime.CompilerServices.CompilerGeneratedAttribute" }));
    }

    [Test]
    public void AMarkedAssemblyLoadsAndRuns()
    {
        using var module = WovenAssembly.Read(TestCompiler.Compile("public static class C { public static int F() => 42; }"));
        WovenMarker.Mark(module);
        var bytes = WovenAssembly.Write(module);
        using var loaded = new LoadedAssembly(bytes.Assembly, bytes.Pdb);
        loaded.PrepareAllMethods();
        Assert.That(loaded.Invoke("C", "F"), Is.EqualTo(42));
    }
}
