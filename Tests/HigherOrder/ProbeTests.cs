using System;
using System.Runtime.CompilerServices;
using Autodiff.Tests.EndToEnd;
using NUnit.Framework;

namespace Autodiff.Tests.HigherOrder;

public sealed class ProbeTests
{
    [Test]
    public void Probe()
    {
        using var woven = WovenAssembly.Compile(TapedReverseSource.Text);
        Console.WriteLine(woven.ErrorText);
        Console.WriteLine(woven.DecompiledCSharp);
        Console.WriteLine((double)woven.Invoke("Taped", "D2ProductReverse", 0.3, 1.0)!);
        Console.WriteLine((double)woven.Invoke("Taped", "D2ProductForward", 0.3, 1.0)!);
        Console.WriteLine((double)woven.Invoke("Taped", "D2DampedReverse", 0.4, 1.0)!);
        var row = (ITuple)woven.Invoke("Taped", "SeriesHessianRow", 0.3, 0.7, 5, 1.0)!;
        Console.WriteLine($"{row[0]} {row[1]}");
        Console.WriteLine((double)woven.Invoke("Taped", "SeriesHessianColumn", 0.3, 1.0, 0.7, 0.0, 5)!);
        Console.WriteLine((double)woven.Invoke("Taped", "SeriesHessianColumn", 0.3, 0.0, 0.7, 1.0, 5)!);
        foreach (var name in new[] { "Product", "Rosenbrock" })
        {
            var x = new[] { 0.9, -0.4, 1.3 };
            var v = new[] { 0.5, -1.0, 2.0 };
            double[] hvR = new double[3], hvF = new double[3], g = new double[3];
            woven.Invoke("Taped", name + "HvpReverse", x, hvR, g, (double[])v.Clone());
            woven.Invoke("Taped", name + "HvpForward", x, v, new double[3], hvF);
            Console.WriteLine(name + " R " + string.Join(" ", hvR) + " F " + string.Join(" ", hvF) + " g " + string.Join(" ", g));
        }
    }
}
