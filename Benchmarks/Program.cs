using System;
using System.Globalization;
using System.Linq;
using Autodiff.Benchmarks.Quick;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (args.Contains("--quick"))
{
    return QuickMode.Run();
}

// In process: the benchmarks must run the woven assembly as built, not a copy BenchmarkDotNet rebuilds.
var config = DefaultConfig.Instance.AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance));
BenchmarkSwitcher.FromAssembly(typeof(QuickMode).Assembly).Run(args, config);
return 0;
