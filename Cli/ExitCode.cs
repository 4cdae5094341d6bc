namespace Autodiff.Cli;

/// <summary>adweave's exit codes (DESIGN §4).</summary>
public static class ExitCode
{
    public const int Success = 0;
    public const int DiagnosticsReported = 1;
    public const int UsageOrIoError = 2;
}
