using System;
using System.Globalization;
using System.Linq;
using Autodiff.Benchmarks.Quick;
using BenchmarkDotNet.Running;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (args.Contains("--quick"))
{
    return QuickMode.Run();
}

BenchmarkSwitcher.FromAssembly(typeof(QuickMode).Assembly).Run(args);
return 0;
