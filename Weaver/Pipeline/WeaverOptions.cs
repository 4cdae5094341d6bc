namespace Autodiff.Weaver.Pipeline;

/// <summary>Settings of one weaving run, from Fody's configuration element or the CLI.</summary>
public sealed class WeaverOptions
{
    public WeaverFlags Flags { get; set; }

    /// <summary>Folder for IR dumps (Print* flags, internal errors); null means the system temp folder.</summary>
    public string? DumpDirectory { get; set; }

    /// <summary>Lift and lower every method body without differentiating (round-trip mode).</summary>
    public bool RoundTripOnly { get; set; }

    /// <summary>Run the IR verifier after every stage (tests turn it on; it costs time on large modules).</summary>
    public bool VerifyIr { get; set; }
}
