using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using Autodiff.Tests.Infrastructure;
using ICSharpCode.Decompiler;
using ICSharpCode.Decompiler.CSharp;
using ICSharpCode.Decompiler.Metadata;
using Mono.Cecil;
using NUnit.Framework;

namespace Autodiff.Tests.RoundTrip;

/// <summary>
/// Compiles C# (Release), round-trips the whole module, and checks that every public function of the result
/// behaves like the original on every combination of a set of inputs — results compared bit for bit, exceptions by type.
/// </summary>
public sealed class SnippetRoundTripTests
{
    private static readonly Dictionary<Type, object?[]> Inputs = new()
    {
        [typeof(int)] = new object?[] { -7, 0, 1, 2, 3, 5, 6, 17, 100, int.MaxValue },
        [typeof(long)] = new object?[] { -5L, 0L, 1L, 300L, long.MaxValue, long.MinValue },
        [typeof(ulong)] = new object?[] { 0UL, 1UL, 12345678901234UL, ulong.MaxValue },
        [typeof(double)] = new object?[] { -2.5, -0.0, 0.0, 1.0, 3.75, 1e300, double.NaN, double.PositiveInfinity },
        [typeof(float)] = new object?[] { -2.5f, 0f, 1f, 3.75f, float.NaN },
        [typeof(string)] = new object?[] { null, "", "ab", "12", "-3", "hello", "99999999999" },
        [typeof(double[])] = new object?[] { null, Array.Empty<double>(), new[] { 1.0, 2.0, 3.0 }, new[] { -0.5, 1e10, double.NaN } },
    };

    [Test]
    public void EveryFunctionBehavesLikeTheOriginal()
    {
        var compiled = TestCompiler.Compile(SnippetSubject.Source, allowUnsafe: true);
        var output = RoundTripModule.Run(compiled.Assembly, compiled.Pdb);
        TestContext.Out.WriteLine(output.Report.ToString());
        Assert.That(output.Report.Failures, Is.Empty, output.Report.ToString());

        using var original = new LoadedAssembly(compiled.Assembly, compiled.Pdb);
        using var rewritten = new LoadedAssembly(output.Assembly, output.Pdb);
        rewritten.PrepareAllMethods();
        var compared = 0;
        foreach (var method in original.Type("Subject").GetMethods(BindingFlags.Public | BindingFlags.Static))
        {
            var counterpart = rewritten.Type("Subject").GetMethod(method.Name, BindingFlags.Public | BindingFlags.Static)!;
            foreach (var arguments in Combinations(method.GetParameters().Select(p => Inputs[p.ParameterType]).ToList()))
            {
                var expected = Describe(Call(method, arguments));
                var actual = Describe(Call(counterpart, arguments));
                Assert.That(actual, Is.EqualTo(expected), $"{method.Name}({string.Join(", ", arguments.Select(a => Describe(a)))})");
                compared++;
            }
        }
        TestContext.Out.WriteLine($"{compared} calls compared");
        Assert.That(compared, Is.GreaterThan(300));
    }

    [Test]
    public void RoundTrippedModuleDecompilesWithoutErrors()
    {
        var compiled = TestCompiler.Compile(SnippetSubject.Source, allowUnsafe: true);
        var output = RoundTripModule.Run(compiled.Assembly, compiled.Pdb);
        var file = new PEFile("TestSubject.dll", new MemoryStream(output.Assembly));
        var resolver = new UniversalAssemblyResolver(typeof(object).Assembly.Location, false, file.DetectTargetFrameworkId());
        var code = new CSharpDecompiler(file, resolver, new DecompilerSettings()).DecompileWholeModuleAsString();
        Assert.That(code, Does.Contain("public static long Fib(int n)"));
        Assert.That(code, Does.Not.Contain("Error"), code);
    }

    [Test]
    public void SequencePointsLocalNamesAndMaxStackSurviveTheRoundTrip()
    {
        var compiled = TestCompiler.Compile(SnippetSubject.Source, allowUnsafe: true);
        var output = RoundTripModule.Run(compiled.Assembly, compiled.Pdb);
        using var before = Read(compiled.Assembly, compiled.Pdb);
        using var after = Read(output.Assembly, output.Pdb!);
        var checkedMethods = 0;
        foreach (var method in before.GetType("Subject").Methods.Where(m => m.HasBody && m.DebugInformation.HasSequencePoints))
        {
            var rewritten = after.GetType("Subject").Methods.Single(m => m.FullName == method.FullName);
            var originalLines = method.DebugInformation.SequencePoints.Where(p => !p.IsHidden).Select(p => p.StartLine).Distinct().ToList();
            var lines = rewritten.DebugInformation.SequencePoints.Where(p => !p.IsHidden).Select(p => p.StartLine).Distinct().ToList();
            Assert.That(lines, Is.Not.Empty, method.Name);
            Assert.That(lines, Is.SubsetOf(originalLines), method.Name);
            checkedMethods++;
        }
        foreach (var method in after.GetTypes().SelectMany(t => t.Methods).Where(m => m.HasBody))
        {
            // Cecil recomputes the max stack when it writes; a tiny header (ECMA-335 §II.25.4.2) always reads back as 8.
            var body = method.Body;
            var tiny = body.CodeSize < 64 && !body.HasVariables && !body.HasExceptionHandlers && output.MaxStack[method.FullName] <= 8;
            Assert.That(output.MaxStack[method.FullName], tiny ? Is.AtMost(8) : Is.EqualTo(body.MaxStackSize), "max stack of " + method.FullName);
        }
        var fib = after.GetType("Subject").Methods.Single(m => m.Name == "Fib");
        var names = fib.DebugInformation.Scope.Variables.Select(v => v.Name).ToList();
        Assert.That(names, Is.SupersetOf(new[] { "a", "b", "i" }));
        Assert.That(checkedMethods, Is.GreaterThan(25));
    }

    [Test]
    public void RoundTripIsDeterministic()
    {
        var compiled = TestCompiler.Compile(SnippetSubject.Source, allowUnsafe: true);
        var first = RoundTripModule.Run(compiled.Assembly, null);
        var second = RoundTripModule.Run(compiled.Assembly, null);
        Assert.That(second.Assembly, Is.EqualTo(first.Assembly));
    }

    [Test]
    public void NoBranchJumpsOverABranchOrToTheNextInstruction()
    {
        var compiled = TestCompiler.Compile(SnippetSubject.Source, allowUnsafe: true);
        var output = RoundTripModule.Run(compiled.Assembly, compiled.Pdb);
        using var after = Read(output.Assembly, output.Pdb!);
        foreach (var method in after.GetTypes().SelectMany(t => t.Methods).Where(m => m.HasBody))
        {
            foreach (var instruction in method.Body.Instructions)
            {
                var next = instruction.Next;
                var flow = instruction.OpCode.FlowControl;
                if (flow == Mono.Cecil.Cil.FlowControl.Branch && instruction.OpCode.Code is Mono.Cecil.Cil.Code.Br or Mono.Cecil.Cil.Code.Br_S)
                    Assert.That(instruction.Operand, Is.Not.SameAs(next), $"{method.Name}: {instruction} jumps to the next instruction");
                if (flow == Mono.Cecil.Cil.FlowControl.Cond_Branch && instruction.Operand is Mono.Cecil.Cil.Instruction target && next?.OpCode.Code is Mono.Cecil.Cil.Code.Br or Mono.Cecil.Cil.Code.Br_S)
                    Assert.That(target, Is.Not.SameAs(next.Next), $"{method.Name}: {instruction} jumps over {next}");
            }
        }
    }

    private static ModuleDefinition Read(byte[] assembly, byte[] pdb)
    {
        var resolver = new DefaultAssemblyResolver();
        resolver.AddSearchDirectory(Path.GetDirectoryName(typeof(object).Assembly.Location)!);
        return ModuleDefinition.ReadModule(new MemoryStream(assembly), new ReaderParameters { AssemblyResolver = resolver, ReadSymbols = true, SymbolStream = new MemoryStream(pdb) });
    }

    private static object? Call(MethodInfo method, object?[] arguments)
    {
        try
        {
            var result = method.Invoke(null, (object?[])arguments.Clone());
            // Materialize lazy results inside the try so their exceptions are compared too.
            return result is IEnumerable sequence and not string ? sequence.Cast<object?>().ToList() : result;
        }
        catch (TargetInvocationException e) when (e.InnerException != null)
        {
            return "throws " + e.InnerException.GetType().FullName;
        }
    }

    private static IEnumerable<object?[]> Combinations(IReadOnlyList<object?[]> pools)
    {
        IEnumerable<object?[]> result = new[] { Array.Empty<object?>() };
        foreach (var pool in pools)
            result = result.SelectMany(prefix => pool.Select(value => prefix.Append(value).ToArray()));
        return result;
    }

    private static string Describe(object? value) => value switch
    {
        null => "null",
        double d => BitConverter.DoubleToInt64Bits(d).ToString("X16", CultureInfo.InvariantCulture),
        float f => BitConverter.SingleToInt32Bits(f).ToString("X8", CultureInfo.InvariantCulture),
        string s => '"' + s + '"',
        IEnumerable sequence => "[" + string.Join(" ", sequence.Cast<object?>().Select(Describe)) + "]",
        _ => value.GetType().Name + ":" + Convert.ToString(value, CultureInfo.InvariantCulture),
    };
}
