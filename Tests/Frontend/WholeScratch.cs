using System;
using System.Linq;
using Autodiff.Weaver.Frontend;
using Autodiff.Weaver.Ir;
using NUnit.Framework;

namespace Autodiff.Tests.Frontend;

public sealed class WholeScratch
{
    [TestCase("mathnet")]
    [TestCase("linq")]
    [TestCase("self")]
    public void Scratch(string which)
    {
        var path = which switch { "mathnet" => typeof(MathNet.Numerics.SpecialFunctions).Assembly.Location, "linq" => typeof(Enumerable).Assembly.Location, _ => typeof(WholeScratch).Assembly.Location };
        using var m = CompiledModule.Read(path);
        int ok = 0, total = 0;
        var fails = new System.Collections.Generic.List<string>();
        var sw = System.Diagnostics.Stopwatch.StartNew();
        foreach (var method in m.Module.GetTypes().SelectMany(t => t.Methods).Where(x => x.HasBody))
        {
            total++;
            try
            {
                var ir = MethodLifter.Lift(method);
                var p = IrVerifier.Verify(ir);
                if (p.Count == 0) ok++; else fails.Add("VERIFY " + method.FullName + ": " + p[0]);
            }
            catch (Exception e) { fails.Add("LIFT " + method.FullName + ": " + e.GetType().Name + " " + e.Message.Split('\n')[0] + (e is Autodiff.Weaver.Diagnostics.WeaverException ? "" : e.StackTrace?.Split('\n')[0])); }
        }
        Console.WriteLine($"{which}: {ok}/{total} in {sw.Elapsed}");
        foreach (var f in fails.Take(40)) Console.WriteLine(f);
    }
}
