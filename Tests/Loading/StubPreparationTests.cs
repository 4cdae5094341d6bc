using System.IO;
using System.Linq;
using Autodiff.Tests.Infrastructure;
using Autodiff.Weaver.Loading;
using Mono.Cecil;
using Mono.Cecil.Cil;
using NUnit.Framework;

namespace Autodiff.Tests.Loading;

/// <summary>
/// After discovery every derivative is an ordinary IL method waiting for its body: giving it one and writing
/// the module yields an assembly the runtime loads, JIT-compiles and runs.
/// </summary>
public sealed class StubPreparationTests
{
    private const string Primal = "[Autodiff(\"DF\", Mode.Forward, Activity.Const, Activity.Const)] public static double F(double x) => x;";

    [TestCase("")]
    [TestCase("[GeneratedCode(\"Autodiff\", \"1\")] public static extern double DF(double x);")]
    [TestCase("[GeneratedCode(\"Autodiff\", \"1\")] [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.InternalCall)] public static extern double DF(double x);")]
    [TestCase("public static partial double DF(double x); [GeneratedCode(\"Autodiff\", \"1\")] public static partial double DF(double x) => throw new InvalidOperationException(\"not woven\");")]
    public void DerivativeReceivesABodyAndRuns(string declaration)
    {
        var loaded = LoadedSource.Discover($"public static partial class Model {{ {Primal} {declaration} }}");
        var derivative = loaded.Single.Derivative;
        derivative.Body = new MethodBody(derivative);
        var il = derivative.Body.GetILProcessor();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldc_R8, 2.0);
        il.Emit(OpCodes.Mul);
        il.Emit(OpCodes.Ret);

        using var assembly = new MemoryStream();
        using var pdb = new MemoryStream();
        loaded.Module.Write(assembly, new WriterParameters { WriteSymbols = true, SymbolStream = pdb, SymbolWriterProvider = new PortablePdbWriterProvider() });
        using var woven = new LoadedAssembly(assembly.ToArray(), pdb.ToArray());
        woven.PrepareAllMethods();
        Assert.That(woven.Invoke("Model", "DF", 3.0), Is.EqualTo(6.0));

        var rediscovered = RequestDiscovery.Discover(ModuleDefinition.ReadModule(new MemoryStream(assembly.ToArray()), new ReaderParameters { AssemblyResolver = loaded.Module.AssemblyResolver }), alreadyWoven: true);
        Assert.That(rediscovered.Diagnostics, Is.Empty, "a woven module lists its requests");
        Assert.That(rediscovered.Requests.Single().Derivative.Body.Instructions, Has.Count.EqualTo(4), "and leaves the woven body alone");
    }

    [Test]
    public void RoslynEmitsAnExternStubAsBodilessIL()
    {
        var loaded = LoadedSource.Discover("public static class Model { [GeneratedCode(\"Autodiff\", \"1\")] public static extern double DF(double x); }");
        var stub = loaded.Module.GetType("Model").Methods.Single(m => m.Name == "DF");
        Assert.That(stub.RVA, Is.EqualTo(0));
        Assert.That(stub.IsPInvokeImpl || stub.IsInternalCall, Is.False);
        Assert.That(DerivativeMethods.IsStub(stub), Is.True);
    }
}
