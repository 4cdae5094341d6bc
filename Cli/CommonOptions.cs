using System.CommandLine;

namespace Autodiff.Cli;

/// <summary>Options several commands share.</summary>
internal static class CommonOptions
{
    public static Option<string[]> References() => new("--reference", "-r")
    {
        Description = "A reference assembly, or a folder of them; framework assemblies resolve from the running .NET otherwise",
    };
}
