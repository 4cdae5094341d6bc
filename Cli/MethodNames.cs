using System;
using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;

namespace Autodiff.Cli;

/// <summary>How adweave names methods in its output, and finds the methods a user names.</summary>
internal static class MethodNames
{
    /// <summary><c>Namespace.Type::Method(double, double[])</c>, nested types joined with '+'.</summary>
    public static string Display(MethodDefinition method) =>
        $"{TypeName(method.DeclaringType)}::{method.Name}({string.Join(", ", method.Parameters.Select(p => Weaver.Ir.IrPrinter.TypeName(p.ParameterType)))})";

    /// <summary>
    /// Every method matching <paramref name="name"/>: <c>Namespace.Type::Method</c>, <c>Type::Method</c>,
    /// <c>Type.Method</c> or just <c>Method</c> (all overloads).
    /// </summary>
    public static IReadOnlyList<MethodDefinition> Find(ModuleDefinition module, string name)
    {
        var separator = name.LastIndexOf("::", StringComparison.Ordinal);
        string? typeName;
        string methodName;
        if (separator >= 0)
        {
            typeName = name.Substring(0, separator);
            methodName = name.Substring(separator + 2);
        }
        else
        {
            var dot = name.LastIndexOf('.');
            typeName = dot >= 0 ? name.Substring(0, dot) : null;
            methodName = dot >= 0 ? name.Substring(dot + 1) : name;
        }
        return AllTypes(module)
            .Where(t => typeName == null || TypeName(t) == typeName || t.Name == typeName)
            .SelectMany(t => t.Methods)
            .Where(m => m.Name == methodName)
            .ToList();
    }

    private static string TypeName(TypeDefinition type) => type.FullName.Replace('/', '+');

    private static IEnumerable<TypeDefinition> AllTypes(ModuleDefinition module)
    {
        var pending = new Stack<TypeDefinition>(module.Types);
        while (pending.Count > 0)
        {
            var type = pending.Pop();
            yield return type;
            foreach (var nested in type.NestedTypes)
                pending.Push(nested);
        }
    }
}
