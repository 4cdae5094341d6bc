using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using NUnit.Framework;

namespace Autodiff.Tests.RoundTrip;

/// <summary>
/// Round-trips real libraries of varied style (LINQ iterators, collections, regex engine, a JSON library, a
/// decompiler) and JIT-compiles every rewritten method: invalid IL anywhere fails the test.
/// </summary>
public sealed class LibraryRoundTripTests
{
    private static string[] Libraries() => new[]
    {
        typeof(Enumerable).Assembly.Location,
        typeof(System.Collections.Generic.SortedSet<>).Assembly.Location,
        typeof(System.Text.RegularExpressions.Regex).Assembly.Location,
        typeof(Newtonsoft.Json.JsonConvert).Assembly.Location,
        typeof(ICSharpCode.Decompiler.CSharp.CSharpDecompiler).Assembly.Location,
    };

    /// <summary>
    /// Generic code is compiled in its shared form: each type parameter instantiated with <c>object</c> where the
    /// constraints allow it; null when they do not.
    /// </summary>
    private static Type? Instantiate(Type type)
    {
        if (!type.ContainsGenericParameters)
            return type;
        try
        {
            return type.MakeGenericType(type.GetGenericArguments().Select(_ => typeof(object)).ToArray());
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static MethodBase? Instantiate(MethodBase method)
    {
        if (method is not MethodInfo { IsGenericMethodDefinition: true } generic)
            return method.ContainsGenericParameters ? null : method;
        try
        {
            return generic.MakeGenericMethod(generic.GetGenericArguments().Select(_ => typeof(object)).ToArray());
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    [TestCaseSource(nameof(Libraries))]
    public void EveryRewrittenMethodCompiles(string path)
    {
        var watch = Stopwatch.StartNew();
        using var library = new RewrittenLibrary(path);
        TestContext.Out.WriteLine($"{Path.GetFileName(path)}: {library.Report}");
        var failures = new System.Collections.Generic.List<string>();
        var compiled = 0;
        var skipped = 0;
        foreach (var type in library.Assembly.GetTypes().Select(Instantiate).OfType<Type>())
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly).Cast<MethodBase>()
                         .Concat(type.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance)))
            {
                if (method.IsAbstract || method.GetMethodBody() == null || Instantiate(method) is not { } compilable)
                    continue;
                try
                {
                    RuntimeHelpers.PrepareMethod(compilable.MethodHandle, compilable.DeclaringType!.GenericTypeArguments.Select(t => t.TypeHandle).ToArray());
                    compiled++;
                }
                catch (Exception e) when (e is InvalidProgramException or BadImageFormatException)
                {
                    failures.Add($"{type.FullName}::{method.Name}: {e.Message}");
                }
                catch (ArgumentException)
                {
                    // The runtime rejects this shared instantiation (a generic method of a generic type); skip it.
                    skipped++;
                }
            }
        }
        TestContext.Out.WriteLine($"{compiled} methods JIT-compiled ({skipped} generic instantiations skipped) in {watch.Elapsed.TotalSeconds:F1} s");
        Assert.That(failures, Is.Empty, string.Join("\n", failures.Take(30)));
        Assert.That(compiled, Is.GreaterThan(100));
    }

    private static readonly string[] Patterns =
    {
        @"\b(\w+)@(\w+)\.com\b", @"(a|ab)*c", @"^\s*(-?\d+(?:\.\d*)?)\s*$", @"(?<year>\d{4})-(?<month>\d\d)", @"[^aeiou\s]{2,}",
        @"(\w)\1", @"(?i)straße", @"x(?=y)|y(?!x)", @"\p{Lu}\p{Ll}+", @".*?(\d+).*",
    };

    private static readonly string[] Texts =
    {
        "mail bob@example.com and ann@test.com now", "ababcabc aac", "  -12.5 ", "2024-06 and 1999-12", "rhythm and blues",
        "aabbcd eeff", "STRASSE Straße", "xyyx xy yx", "Hello World ÄÖ Über", "item 42 of 1337",
    };

    [Test]
    public void RewrittenRegexEngineMatchesLikeTheOriginal()
    {
        var path = typeof(System.Text.RegularExpressions.Regex).Assembly.Location;
        using var library = new RewrittenLibrary(path);
        Assert.That(library.Changed, Is.True);
        var compared = 0;
        // None, IgnoreCase, Compiled (the rewritten RegexCompiler emits IL), RightToLeft, NonBacktracking.
        foreach (var options in new[] { 0, 1, 8, 64, 1024 })
        {
            foreach (var pattern in Patterns)
            {
                foreach (var text in Texts)
                {
                    var expected = Matches(typeof(System.Text.RegularExpressions.Regex).Assembly, pattern, options, text);
                    var actual = Matches(library.Assembly, pattern, options, text);
                    Assert.That(actual, Is.EqualTo(expected), $"/{pattern}/ options {options} on \"{text}\"");
                    compared++;
                }
            }
        }
        TestContext.Out.WriteLine($"{library.Report}\n{compared} regex searches compared");
    }

    private static string Matches(Assembly assembly, string pattern, int options, string text)
    {
        var regexType = assembly.GetType("System.Text.RegularExpressions.Regex", throwOnError: true)!;
        var optionsType = assembly.GetType("System.Text.RegularExpressions.RegexOptions", throwOnError: true)!;
        try
        {
            dynamic regex = Activator.CreateInstance(regexType, pattern, Enum.ToObject(optionsType, options))!;
            var result = new System.Text.StringBuilder();
            foreach (dynamic match in regex.Matches(text))
            {
                result.Append(match.Index).Append(':');
                foreach (dynamic group in match.Groups)
                    result.Append('[').Append((string)group.Value).Append(']');
                result.Append(' ');
            }
            return result.ToString();
        }
        catch (TargetInvocationException e) when (e.InnerException != null)
        {
            return "throws " + e.InnerException.GetType().Name;
        }
        catch (NotSupportedException e)
        {
            return "throws " + e.GetType().Name;
        }
    }

    [Test]
    public void RewrittenJsonLibrarySerializesLikeTheOriginal()
    {
        var path = typeof(Newtonsoft.Json.JsonConvert).Assembly.Location;
        using var library = new RewrittenLibrary(path);
        Assert.That(library.Changed, Is.True);
        var values = new object?[]
        {
            new System.Collections.Generic.Dictionary<string, object?> { ["x"] = 1.5, ["name"] = "a\"b\\c\u00e9", ["list"] = new object?[] { 1, -2L, null, true, 0.1 + 0.2 } },
            new[] { double.MaxValue, double.Epsilon, -0.0, 1e-300 },
            new DateTime(2024, 2, 29, 13, 45, 7, DateTimeKind.Utc),
            Guid.Parse("c0ffee00-1234-5678-9abc-def012345678"),
            "plain",
        };
        var documents = new[]
        {
            "{\"a\": [1, 2.5, \"three\", {\"b\": null}], \"c\": true, \"d\": 1e400}",
            "[1, 2, [3, [4, [5]]], \"\\u0041\\n\"]",
            "{\"when\": \"2024-02-29T13:45:07Z\", \"big\": 123456789012345678901234567890}",
            "{\"broken\": [1, 2,",
        };
        var compared = 0;
        foreach (var value in values)
        {
            Assert.That(Json(library.Assembly, "SerializeObject", value), Is.EqualTo(Json(typeof(Newtonsoft.Json.JsonConvert).Assembly, "SerializeObject", value)));
            compared++;
        }
        foreach (var document in documents)
        {
            Assert.That(Json(library.Assembly, "DeserializeObject", document), Is.EqualTo(Json(typeof(Newtonsoft.Json.JsonConvert).Assembly, "DeserializeObject", document)), document);
            compared++;
        }
        TestContext.Out.WriteLine($"{library.Report}\n{compared} JSON conversions compared");
    }

    private static string Json(Assembly assembly, string method, object? argument)
    {
        var convert = assembly.GetType("Newtonsoft.Json.JsonConvert", throwOnError: true)!;
        var target = convert.GetMethods().Single(m => m.Name == method && m.GetParameters().Length == 1 && !m.IsGenericMethodDefinition);
        try
        {
            return target.Invoke(null, new[] { argument })?.ToString() ?? "null";
        }
        catch (TargetInvocationException e) when (e.InnerException != null)
        {
            return "throws " + e.InnerException.GetType().Name + ": " + e.InnerException.Message;
        }
    }
}
