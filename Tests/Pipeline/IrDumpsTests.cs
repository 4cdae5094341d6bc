using System;
using System.IO;
using System.Linq;
using Autodiff.Tests.EndToEnd;
using Autodiff.Tests.Infrastructure;
using Autodiff.Weaver.Pipeline;
using NUnit.Framework;

namespace Autodiff.Tests.Pipeline;

public sealed class IrDumpsTests
{
    [Test]
    public void AnInternalErrorDumpHoldsTheExceptionAndTheMethodAndTheMessageSaysWhere()
    {
        var directory = Path.Combine(Path.GetTempPath(), "autodiff-dumps-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var module = WovenAssembly.Read(TestCompiler.Compile("public static class C { public static double F(double x) => x * x; }"));
            var method = module.GetType("C").Methods.Single(m => m.Name == "F");

            var sentence = new IrDumps(new WeaverOptions { DumpDirectory = directory })
                .WriteInternalError(method, "ad", new InvalidOperationException("boom"), lastIr: null);

            var path = Path.Combine(directory, "C.F.internal-error.ir");
            Assert.That(sentence, Is.EqualTo("IR dump written to " + path));
            Assert.That(File.ReadAllText(path), Does.Contain("stage 'ad'").And.Contain("InvalidOperationException: boom").And.Contain("mul"));
        }
        finally
        {
            if (Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);
        }
    }
}
