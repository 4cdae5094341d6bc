using System.Collections.Generic;
using System.IO;
using System.Linq;
using Autodiff.Tests.EndToEnd;
using Autodiff.Tests.Infrastructure;
using Autodiff.Weaver.Loading;
using Autodiff.Weaver.Pipeline;
using ICSharpCode.Decompiler;
using ICSharpCode.Decompiler.CSharp;
using ICSharpCode.Decompiler.Metadata;
using Mono.Cecil;
using NUnit.Framework;

namespace Autodiff.Tests.Decompilation;

/// <summary>
/// Users open woven code in ILSpy: every method the weaver wrote decompiles on its own, without the
/// decompiler's error comments, and whatever the weaver added is marked [CompilerGenerated] under a name
/// a reader can follow.
/// </summary>
public sealed class WovenMethodDecompilationTests
{
    // What ICSharpCode.Decompiler writes into its output when it cannot make sense of a method body.
    private static readonly string[] FailureMarks = { "/* Error", "ILSpy", "#error", "Failed to decompile" };

    private static IEnumerable<TestCaseData> Corpus() =>
        DecompilationCorpus.Sources().Select(s => new TestCaseData(s.Source).SetArgDisplayNames(s.Name));

    [TestCaseSource(nameof(Corpus))]
    public void EveryWovenMethodDecompilesWithoutErrors(string source)
    {
        var (bytes, woven) = Weave(source);
        Assert.That(woven, Is.Not.Empty);

        using var file = new PEFile("TestSubject.dll", new MemoryStream(bytes));
        var resolver = new UniversalAssemblyResolver(null, false, file.DetectTargetFrameworkId());
        resolver.AddSearchDirectory(Path.GetDirectoryName(typeof(AutodiffAttribute).Assembly.Location)!);
        var decompiler = new CSharpDecompiler(file, resolver, new DecompilerSettings { ThrowOnAssemblyResolveErrors = true });
        var decompiled = new List<string>();
        foreach (var handle in file.Metadata.MethodDefinitions)
        {
            var definition = file.Metadata.GetMethodDefinition(handle);
            var name = file.Metadata.GetString(file.Metadata.GetTypeDefinition(definition.GetDeclaringType()).Name) + "::" + file.Metadata.GetString(definition.Name);
            if (!woven.Contains(name))
                continue;
            var text = decompiler.Decompile(handle).ToString();
            Assert.That(FailureMarks.Where(text.Contains), Is.Empty, name + ":\n" + text);
            Assert.That(text, Does.Match(@"\b" + name.Split("::")[1] + @"\s*\("), name + ":\n" + text);
            decompiled.Add(name);
        }
        Assert.That(decompiled, Is.EquivalentTo(woven));
    }

    [TestCaseSource(nameof(Corpus))]
    public void WhatTheWeaverAddsIsCompilerGeneratedAndNamedForReaders(string source)
    {
        var compiled = TestCompiler.Compile(source);
        using var before = WovenAssembly.Read(compiled);
        var typesBefore = before.Types.Select(t => t.FullName).ToHashSet();
        var methodsBefore = before.GetTypes().SelectMany(t => t.Methods).Select(m => m.FullName).ToHashSet();
        using var module = WovenAssembly.Read(compiled);
        Assert.That(AssemblyWeaver.Weave(module, new WeaverOptions()).Succeeded, Is.True);

        var added = module.GetTypes().Where(t => !typesBefore.Contains(t.FullName)).Cast<ICustomAttributeProvider>()
            .Concat(module.GetTypes().SelectMany(t => t.Methods).Where(m => !methodsBefore.Contains(m.FullName)))
            .ToArray();

        Assert.That(added, Is.Not.Empty);
        foreach (var member in added)
        {
            var name = ((IMemberDefinition)member).Name;
            Assert.That(member.CustomAttributes.Select(a => a.AttributeType.FullName),
                Does.Contain("System.Runtime.CompilerServices.CompilerGeneratedAttribute"), name);
            // A C# identifier, or <Autodiff>Woven: angle brackets, as in <Module> and the C# compiler's own
            // helpers, say "generated" and cannot collide with user names.
            Assert.That(name, Does.Match(@"^(<Autodiff>)?[A-Z][A-Za-z0-9_]*$"), name);
        }
    }

    // The woven bytes, and Type::Method of every method whose body the weaver wrote (filled stubs and added derivatives).
    private static (byte[] Bytes, HashSet<string> Woven) Weave(string source)
    {
        var compiled = TestCompiler.Compile(source);
        using var module = WovenAssembly.Read(compiled);
        var stubs = module.GetTypes().SelectMany(t => t.Methods).Where(DerivativeMethods.IsStub).Select(m => m.FullName).ToHashSet();
        var existingBefore = module.GetTypes().SelectMany(t => t.Methods).Select(m => m.FullName).ToHashSet();
        var result = AssemblyWeaver.Weave(module, new WeaverOptions { VerifyIr = true });
        Assert.That(result.Succeeded, Is.True, string.Join("\n", result.Diagnostics));

        var woven = module.GetTypes().SelectMany(t => t.Methods)
            .Where(m => stubs.Contains(m.FullName) || !existingBefore.Contains(m.FullName))
            .Select(m => m.DeclaringType.Name + "::" + m.Name)
            .ToHashSet();
        return (WovenAssembly.Write(module).Assembly, woven);
    }
}
