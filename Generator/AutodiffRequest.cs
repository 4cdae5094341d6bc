using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Loading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Autodiff.Generator;

/// <summary>
/// The arguments of one <c>[Autodiff]</c> as Roslyn reads them. Form 1 is <c>(string, Mode, params Activity[])</c>,
/// form 2 <c>(Type, string, Mode, params Activity[])</c>; <c>Width</c> is a named argument.
/// </summary>
internal sealed class AutodiffRequest
{
    private AutodiffRequest(bool isForm2, string? derivativeName, int mode, IReadOnlyList<int> activities, int width)
    {
        IsForm2 = isForm2;
        DerivativeName = derivativeName;
        Mode = mode;
        Activities = activities;
        Width = width;
    }

    public bool IsForm2 { get; }

    /// <summary>Form 1: the derivative to declare.</summary>
    public string? DerivativeName { get; }

    public int Mode { get; }

    public IReadOnlyList<int> Activities { get; }

    public int Width { get; }

    /// <summary>Null when the attribute does not bind to either constructor (the compiler reports that).</summary>
    public static AutodiffRequest? Read(AttributeData attribute)
    {
        var arguments = attribute.ConstructorArguments;
        if (arguments.Any(a => a.Kind == TypedConstantKind.Error) || arguments.Length is not (3 or 4))
            return null;
        var isForm2 = arguments.Length == 4;
        var mode = arguments[arguments.Length - 2].Value as int?;
        var activities = arguments[arguments.Length - 1];
        if (mode == null || activities.Kind != TypedConstantKind.Array)
            return null;
        var width = attribute.NamedArguments.Where(a => a.Key == "Width").Select(a => a.Value.Value as int?).LastOrDefault() ?? 1;
        return new AutodiffRequest(
            isForm2,
            isForm2 ? null : arguments[0].Value as string,
            mode.Value,
            activities.Values.Select(v => v.Value as int? ?? -1).ToList(),
            width);
    }

    /// <summary>
    /// The request as the weaver will accept it: a derivative name that is an identifier, a defined mode and
    /// activities, a width of at least 1. Null otherwise — the weaver reports what is wrong.
    /// </summary>
    public (string Name, DerivativeMode Mode, IReadOnlyList<ActivityKind> Activities)? Validated()
    {
        if (DerivativeName == null || !SyntaxFacts.IsValidIdentifier(DerivativeName) || Width < 1
            || Mode is not ((int)DerivativeMode.Forward or (int)DerivativeMode.Reverse)
            || Activities.Any(a => a < (int)ActivityKind.Const || a > (int)ActivityKind.DualOnly))
            return null;
        return (DerivativeName, (DerivativeMode)Mode, Activities.Select(a => (ActivityKind)a).ToList());
    }
}
