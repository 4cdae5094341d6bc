using System;
using System.Linq;
using Autodiff.Weaver.Frontend;
using Autodiff.Weaver.Ir;
using NUnit.Framework;

namespace Autodiff.Tests.Frontend;

public sealed class LiftScratch
{
    [Test]
    public void Scratch()
    {
        var target = Environment.GetEnvironmentVariable("SCRATCH_METHOD");
        using var m = target == null ? CompiledModule.Compile(System.IO.File.ReadAllText("/tmp/scratch.cs")) : CompiledModule.Read(Environment.GetEnvironmentVariable("SCRATCH_ASM") ?? typeof(LiftScratch).Assembly.Location);
        foreach (var method in m.Module.GetTypes().SelectMany(t => t.Methods))
        {
            if (!method.HasBody || (target != null && method.Name != target) || (target == null && method.DeclaringType.Name != "C")) continue;
            var ir = MethodLifter.Lift(method);
            Console.WriteLine(IrPrinter.Print(ir));
            foreach (var p in IrVerifier.Verify(ir)) Console.WriteLine("  !! " + p);
        }
    }
}
