using System;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;
using Autodiff.Weaver.Pipeline;

namespace Autodiff.Tests.RoundTrip;

/// <summary>
/// A library from disk, round-tripped, written under its own file name to a temporary folder and loaded in a
/// collectible context that resolves its dependencies from that folder first (the original stays loaded beside it).
/// </summary>
internal sealed class RewrittenLibrary : IDisposable
{
    private sealed class Context : AssemblyLoadContext
    {
        private readonly string directory;

        public Context(string directory)
            : base("roundtrip-" + Path.GetFileName(directory), isCollectible: true) => this.directory = directory;

        protected override Assembly? Load(AssemblyName name)
        {
            var candidate = Path.Combine(directory, name.Name + ".dll");
            return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
        }
    }

    private readonly Context context;

    public RewrittenLibrary(string path, Func<Mono.Cecil.MethodDefinition, Autodiff.Weaver.Ir.IrMethod>? lift = null)
    {
        var original = File.ReadAllBytes(path);
        var output = RoundTripModule.Run(original, null, Path.GetDirectoryName(path), lift);
        Report = output.Report;
        Changed = !output.Assembly.AsSpan().SequenceEqual(original);
        var directory = Path.Combine(Path.GetTempPath(), "autodiff-roundtrip-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var rewrittenPath = Path.Combine(directory, Path.GetFileName(path));
        File.WriteAllBytes(rewrittenPath, output.Assembly);
        context = new Context(directory);
        Assembly = context.LoadFromAssemblyPath(rewrittenPath);
    }

    public Assembly Assembly { get; }

    public RoundTripReport Report { get; }

    /// <summary>The written bytes differ from the input (the bodies really were replaced).</summary>
    public bool Changed { get; }

    public void Dispose() => context.Unload();
}
