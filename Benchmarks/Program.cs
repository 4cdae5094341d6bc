using System;
using System.Globalization;
using System.Linq;
using Autodiff.Benchmarks.Quick;
using BenchmarkDotNet.Running;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (args.Contains("--quick"))
{
    // `--quick gmm hand` runs only the workloads whose names contain one of the words.
    return QuickMode.Run(args.Where(argument => !argument.StartsWith("--", StringComparison.Ordinal)).ToArray());
}

// In process: the benchmarks must run the woven assembly as built, not a copy BenchmarkDotNet rebuilds.
string[] options = args.Contains("--inProcess") ? args : args.Append("--inProcess").ToArray();
BenchmarkSwitcher.FromAssembly(typeof(QuickMode).Assembly).Run(options);
return 0;
