using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Autodiff.Weaver.Pipeline;

/// <summary>One method that round-trip mode left unchanged, and why.</summary>
public sealed record RoundTripFailure(string Method, string Stage, string Reason, string Message);

/// <summary>What round-trip mode did to a module: how many bodies were rebuilt from IR, and why the others were not.</summary>
public sealed class RoundTripReport
{
    private readonly List<RoundTripFailure> failures = new();

    public int MethodsWithBodies { get; internal set; }

    public int Accepted { get; internal set; }

    public IReadOnlyList<RoundTripFailure> Failures => failures;

    /// <summary>IL bytes of the accepted methods before and after; a measure of how tight the lowering is.</summary>
    public long OriginalCodeSize { get; internal set; }

    public long RewrittenCodeSize { get; internal set; }

    /// <summary>Locals of the accepted methods before and after.</summary>
    public long OriginalLocals { get; internal set; }

    public long RewrittenLocals { get; internal set; }

    /// <summary>Failure counts keyed by reason (stage and diagnostic id or exception type), most frequent first.</summary>
    public IReadOnlyList<KeyValuePair<string, int>> FailuresByReason =>
        failures.GroupBy(f => f.Stage + " " + f.Reason)
            .Select(g => new KeyValuePair<string, int>(g.Key, g.Count()))
            .OrderByDescending(p => p.Value)
            .ThenBy(p => p.Key, System.StringComparer.Ordinal)
            .ToList();

    /// <summary>Accepted / methods with bodies, 1 for a module without bodies.</summary>
    public double Coverage => MethodsWithBodies == 0 ? 1 : (double)Accepted / MethodsWithBodies;

    internal void Add(RoundTripFailure failure) => failures.Add(failure);

    /// <summary>The coverage line, then each failure reason with its count and one example message.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(string.Format(CultureInfo.InvariantCulture, "round trip: {0} / {1} methods with bodies accepted ({2:P1})", Accepted, MethodsWithBodies, Coverage));
        text.Append(string.Format(CultureInfo.InvariantCulture, "; IL {0} -> {1} bytes, locals {2} -> {3}", OriginalCodeSize, RewrittenCodeSize, OriginalLocals, RewrittenLocals));
        foreach (var reason in FailuresByReason)
        {
            var example = failures.First(f => f.Stage + " " + f.Reason == reason.Key);
            text.Append('\n').Append(string.Format(CultureInfo.InvariantCulture, "  {0,6}  {1}  (e.g. {2}: {3})", reason.Value, reason.Key, example.Method, example.Message));
        }
        return text.ToString();
    }
}
