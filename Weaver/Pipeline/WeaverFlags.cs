using System;

namespace Autodiff.Weaver.Pipeline;

/// <summary>Flags from <c>FodyWeavers.xml</c> or <c>adweave --flags</c>; names follow Rust-Enzyme's <c>-Z autodiff=</c>.</summary>
[Flags]
public enum WeaverFlags
{
    None = 0,
    PrintTA = 1 << 0,
    PrintAA = 1 << 1,
    PrintPerf = 1 << 2,
    Print = PrintTA | PrintAA | PrintPerf,
    PrintModBefore = 1 << 3,
    PrintModAfterOpts = 1 << 4,
    PrintModAfterAD = 1 << 5,
    PrintModFinal = 1 << 6,
    NoPostOpt = 1 << 7,
    NoSafetyChecks = 1 << 8,
    Inline = 1 << 9,
    RuntimeActivity = 1 << 10,
}
