using System;

namespace Autodiff.Weaver.Diagnostics;

/// <summary>
/// Thrown by a stage when one method cannot be processed; the pipeline reports it and goes on with the
/// other requests (InlineIL.Fody's habit: every error of a build is reported together).
/// </summary>
public sealed class WeaverException : Exception
{
    public WeaverException(DiagnosticCode code, string message, Mono.Cecil.Cil.SequencePoint? location = null)
        : base(message)
    {
        Code = code;
        Location = location;
    }

    public DiagnosticCode Code { get; }

    /// <summary>Where in the user's source the problem is, when known; the pipeline falls back to the primal's first line.</summary>
    public Mono.Cecil.Cil.SequencePoint? Location { get; }
}
