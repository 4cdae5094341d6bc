using System.IO;
using System.Linq;
using Autodiff.Tests.EndToEnd;
using Autodiff.Tests.Infrastructure;
using Autodiff.Weaver.Diagnostics;
using Autodiff.Weaver.Loading;
using Autodiff.Weaver.Pipeline;
using Mono.Cecil;
using Mono.Cecil.Cil;
using NUnit.Framework;

namespace Autodiff.Tests.Memory;

/// <summary>
/// <c>new C(args)</c> whose constructor cannot be inlined, with derivatives flowing through the object: AD2210 at the
/// <c>new</c>, naming why (recursive, a static constructor, another assembly) — never a silently lost derivative.
/// </summary>
public sealed class ConstructorDiagnosticTests
{
    private const string Source = """
        using System.CodeDom.Compiler;
        using Autodiff;

        public sealed class Tree
        {
            public double Value;
            public Tree? Child;

            public Tree(double value, int depth)
            {
                Value = value;
                if (depth > 0)
                    Child = new Tree(value * 0.5, depth - 1);
            }
        }

        public sealed class Registered
        {
            public static int Count;
            public double Value;

            static Registered() => Count = 1;

            public Registered(double value) => Value = value * Count;
        }

        public static class Kept
        {
            [Autodiff(nameof(DRecursive), Mode.Reverse, Activity.Active, Activity.Active)]
            public static double Recursive(double x)
            {
                var tree = new Tree(x, 2);
                return tree.Value * tree.Child!.Value;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) DRecursive(double x, double seed);

            [Autodiff(nameof(DStaticConstructor), Mode.Forward, Activity.Dual, Activity.Dual)]
            public static double StaticConstructor(double x)
            {
                var r = new Registered(x);
                return r.Value * x;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) DStaticConstructor(double x, double dx);
        }
        """;

    private const string Library = """
        public sealed class Measured
        {
            public double Value;

            public Measured(double value) => Value = 2 * value;
        }
        """;

    private const string User = """
        using System.CodeDom.Compiler;
        using Autodiff;

        public static class Uses
        {
            [Autodiff(nameof(DForeign), Mode.Reverse, Activity.Active, Activity.Active)]
            public static double Foreign(double x)
            {
                var m = new Measured(x);
                return m.Value * x;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) DForeign(double x, double seed);
        }
        """;

    private static WovenAssembly woven = null!;

    [OneTimeSetUp]
    public void Weave() => woven = WovenAssembly.Compile(Source);

    [OneTimeTearDown]
    public void Unload() => woven.Dispose();

    [TestCase("var tree = new Tree(x, 2);", "cannot differentiate new Tree(…) at", "Tree's constructor is recursive")]
    [TestCase("var r = new Registered(x);", "cannot differentiate new Registered(…) at", "Registered has a static constructor")]
    public void KeptConstructorIsReportedAtTheNew(string sourceText, string messageStart, string reason)
    {
        var line = Source.Split('\n').ToList().FindIndex(l => l.Contains(sourceText)) + 1;
        var error = woven.Diagnostics.Single(d => d.Code == DiagnosticCode.ConstructorNotInlined && d.Location?.Line == line);
        Assert.That(error.Message, Does.StartWith(messageStart).And.Contain(reason));
    }

    [Test]
    public void ConstructorOfAnotherAssemblyIsReportedWithItsAssembly()
    {
        var directory = Directory.CreateTempSubdirectory("autodiff-constructors-").FullName;
        try
        {
            var libraryPath = Path.Combine(directory, "Measures.dll");
            File.WriteAllBytes(libraryPath, TestCompiler.Compile(Library, "Measures").Assembly);
            var compiled = TestCompiler.Compile(User, "Uses", new[] { libraryPath });
            using var module = ModuleDefinition.ReadModule(new MemoryStream(compiled.Assembly), new ReaderParameters(ReadingMode.Immediate)
            {
                ReadSymbols = true,
                SymbolStream = new MemoryStream(compiled.Pdb),
                SymbolReaderProvider = new PortablePdbReaderProvider(),
                AssemblyResolver = ModuleLoader.CreateResolver(Path.GetDirectoryName(typeof(AutodiffAttribute).Assembly.Location)!, new[] { libraryPath }),
            });
            var result = AssemblyWeaver.Weave(module, new WeaverOptions());
            var error = result.Diagnostics.Single(d => d.Code == DiagnosticCode.ConstructorNotInlined);
            Assert.That(error.Message, Does.StartWith("cannot differentiate new Measured(…)").And.Contain("Measured's constructor lives in another assembly (Measures)"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
