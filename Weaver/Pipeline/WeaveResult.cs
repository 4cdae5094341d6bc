using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Diagnostics;

namespace Autodiff.Weaver.Pipeline;

/// <summary>What one weaving run reported. When it did not succeed, callers must write nothing.</summary>
public sealed class WeaveResult
{
    public WeaveResult(IReadOnlyList<Diagnostic> diagnostics) => Diagnostics = diagnostics;

    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    public bool Succeeded => Diagnostics.All(d => d.Severity != DiagnosticSeverity.Error);
}
