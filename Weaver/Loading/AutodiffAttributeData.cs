using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;

namespace Autodiff.Weaver.Loading;

/// <summary>
/// The arguments of one <c>[Autodiff]</c> attribute as written, before any validation. Form 1 has
/// <see cref="DerivativeName"/>; form 2 has <see cref="PrimalType"/> and <see cref="PrimalName"/>.
/// </summary>
public sealed class AutodiffAttributeData
{
    public const string FullName = "Autodiff.AutodiffAttribute";

    private AutodiffAttributeData(bool isForm2, string? derivativeName, TypeReference? primalType, string? primalName, int mode, IReadOnlyList<int> activities, int width)
    {
        IsForm2 = isForm2;
        DerivativeName = derivativeName;
        PrimalType = primalType;
        PrimalName = primalName;
        Mode = mode;
        Activities = activities;
        Width = width;
    }

    public bool IsForm2 { get; }

    /// <summary>Form 1: the derivative's name.</summary>
    public string? DerivativeName { get; }

    /// <summary>Form 2: the type declaring the primal (null when written as <c>(Type)null</c>).</summary>
    public TypeReference? PrimalType { get; }

    /// <summary>Form 2: the primal's name.</summary>
    public string? PrimalName { get; }

    /// <summary>The <c>Autodiff.Mode</c> value as stored (may be out of range).</summary>
    public int Mode { get; }

    /// <summary>The <c>Autodiff.Activity</c> values as stored (may be out of range).</summary>
    public IReadOnlyList<int> Activities { get; }

    public int Width { get; }

    /// <summary>Every <c>[Autodiff]</c> on <paramref name="method"/>, matched by full name (any assembly may define it).</summary>
    public static IEnumerable<CustomAttribute> On(MethodDefinition method) =>
        method.HasCustomAttributes
            ? method.CustomAttributes.Where(a => a.AttributeType.FullName == FullName)
            : Enumerable.Empty<CustomAttribute>();

    /// <summary>
    /// The attribute's arguments, or null when Cecil cannot decode them: reading the <c>Mode</c> and
    /// <c>Activity</c> arguments needs their enum definitions, so the assembly defining them must resolve
    /// (Cecil then leaves the arguments empty instead of failing).
    /// </summary>
    public static AutodiffAttributeData? Read(CustomAttribute attribute)
    {
        if (attribute.ConstructorArguments.Count is not (3 or 4))
            return null;
        var arguments = attribute.ConstructorArguments;
        var width = 1;
        foreach (var property in attribute.Properties)
        {
            if (property.Name == "Width" && property.Argument.Value is int value)
                width = value;
        }
        // Form 2 is (Type, string, Mode, Activity[]); form 1 is (string, Mode, Activity[]).
        if (arguments.Count == 4)
            return new AutodiffAttributeData(true, null, arguments[0].Value as TypeReference, arguments[1].Value as string ?? "", ToInt(arguments[2]), ReadActivities(arguments[3]), width);
        return new AutodiffAttributeData(false, arguments[0].Value as string ?? "", null, null, ToInt(arguments[1]), ReadActivities(arguments[2]), width);
    }

    private static IReadOnlyList<int> ReadActivities(CustomAttributeArgument argument) =>
        argument.Value is CustomAttributeArgument[] elements ? elements.Select(ToInt).ToArray() : new int[0];

    private static int ToInt(CustomAttributeArgument argument) =>
        argument.Value is CustomAttributeArgument inner ? ToInt(inner) : System.Convert.ToInt32(argument.Value, System.Globalization.CultureInfo.InvariantCulture);
}
