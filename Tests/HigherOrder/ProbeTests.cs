using System;
using Autodiff.Tests.EndToEnd;
using NUnit.Framework;

namespace Autodiff.Tests.HigherOrder;

public sealed class ProbeTests
{
    [Test]
    public void Probe()
    {
        var text = System.Text.RegularExpressions.Regex.Replace(ThirdOrderSource.Text, @"\[Autodiff\(nameof\((GradientOfCurvature|CurvatureTangent)\)[^\n]*\n", "");
        text = System.Text.RegularExpressions.Regex.Replace(text, @"\[GeneratedCode[^\n]*\n[^\n]*(GradientOfCurvature|CurvatureTangent)\([^\n]*\n", "");
        using var woven = WovenAssembly.Compile(text, new Autodiff.Weaver.Pipeline.WeaverOptions { VerifyIr = true, DumpDirectory = "/tmp/higher-dump", Flags = Autodiff.Weaver.Pipeline.WeaverFlags.PrintModAfterOpts });
        Console.WriteLine(woven.ErrorText);
        Console.WriteLine(woven.DecompiledCSharp);
        var x = new[] { 0.9, -0.4, 1.3 };
        var g = new double[3];
        Console.WriteLine((double)woven.Invoke("Third", "D3ProductForward", 0.3, 1.0)!);
        Console.WriteLine((double)woven.Invoke("Third", "D3ProductReverse", 0.3, 1.0)!);
    }
}
