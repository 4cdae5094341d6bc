namespace Autodiff.Weaver.Diagnostics;

public enum DiagnosticSeverity { Error, Warning, Info }

/// <summary>One message for the user, formatted the way MSBuild recognizes (DESIGN §4).</summary>
public sealed record Diagnostic(
    DiagnosticCode Code,
    string Message,
    SourceLocation? Location,
    string Member,
    DiagnosticSeverity Severity = DiagnosticSeverity.Error)
{
    public string Id => "AD" + ((int)Code).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// <c>path(line,col): error AD1234: message</c>, or <c>Assembly!Namespace.Type::Method: error AD1234: message</c>
    /// when there is no PDB location.
    /// </summary>
    public override string ToString()
    {
        var origin = Location == null ? Member : $"{Location.Path}({Location.Line},{Location.Column})";
        var severity = Severity switch
        {
            DiagnosticSeverity.Warning => "warning",
            DiagnosticSeverity.Info => "info",
            _ => "error",
        };
        return $"{origin}: {severity} {Id}: {Message}";
    }
}
