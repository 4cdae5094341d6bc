using System.Linq;
using Autodiff.Weaver;
using NUnit.Framework;

namespace Autodiff.Tests.Fody;

public sealed class WeaverAssemblyTests
{
    [Test]
    public void ReferencesOnlyWhatFodyProvides()
    {
        // Fody hosts the add-in with its own Cecil and FodyHelpers, and the in-solution build points it at
        // Weaver/bin, where a class library's package dependencies are not copied: any other reference
        // would fail to load in the middle of a user's build.
        var references = typeof(ModuleWeaver).Assembly.GetReferencedAssemblies().Select(a => a.Name).OrderBy(n => n);
        Assert.That(references, Is.SubsetOf(new[] { "netstandard", "FodyHelpers", "Mono.Cecil", "Mono.Cecil.Rocks", "Mono.Cecil.Pdb" }));
    }
}
