using System;
using System.Collections.Generic;
using System.Linq;

namespace Autodiff.Weaver.Pipeline;

/// <summary>Reads the comma-separated flag lists of <c>FodyWeavers.xml</c> and <c>adweave --flags</c>.</summary>
public static class WeaverFlagNames
{
    /// <summary>Every flag name a user may write, in declaration order.</summary>
    public static IReadOnlyList<string> All { get; } = Enum.GetNames(typeof(WeaverFlags)).Where(n => n != nameof(WeaverFlags.None)).ToArray();

    /// <summary>
    /// Parses names separated by commas, semicolons or whitespace, ignoring case. Returns false and the
    /// first name that is not a flag when one is not.
    /// </summary>
    public static bool TryParse(string? text, out WeaverFlags flags, out string? unknownName)
    {
        flags = WeaverFlags.None;
        unknownName = null;
        if (text == null)
            return true;
        foreach (var name in text.Split(new[] { ',', ';', ' ', '\t', '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries))
        {
            var match = All.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
            if (match == null)
            {
                unknownName = name;
                return false;
            }
            flags |= (WeaverFlags)Enum.Parse(typeof(WeaverFlags), match);
        }
        return true;
    }

    public static string UnknownFlagMessage(string name) =>
        $"unknown weaver flag '{name}'; known flags: {string.Join(", ", All)}";
}
