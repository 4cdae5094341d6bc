using NUnit.Framework;

namespace Autodiff.Tests.Infrastructure;

public sealed class SmokeTests
{
    [Test]
    public void CompilesAndRunsCSharpInMemory()
    {
        var output = TestCompiler.Compile("public static class C { public static double F(double x) => x * x; }");
        using var loaded = new LoadedAssembly(output.Assembly, output.Pdb);
        loaded.PrepareAllMethods();
        Assert.That(loaded.Invoke("C", "F", 3.0), Is.EqualTo(9.0));
    }
}
