using System;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using Autodiff.Tests.EndToEnd;
using CsCheck;
using NUnit.Framework;

namespace Autodiff.Tests.ControlFlow;

/// <summary>
/// Randomly generated C# programs, straight-line and with loops (counted, data-dependent, nested with
/// break/continue), woven in both modes: along the executed path forward and reverse agree,
/// vᵀ(J·u) = (vᵀJ)·u, at random points and directions. Each sample weaves a batch of programs at once.
/// </summary>
public sealed class RandomProgramTests
{
    private const int ProgramsPerSample = 5;

    private static readonly Func<string, string, string>[] Operations =
    {
        (a, b) => $"({a} + {b})",
        (a, b) => $"({a} * {b})",
        (a, b) => $"({a} - 0.5 * {b})",
        (a, _) => $"Math.Sin({a})",
        (a, b) => $"({a} / (1.5 + {b} * {b}))",
        (a, _) => $"Math.Exp(Math.Tanh({a}))",
        (a, _) => $"Math.Sqrt(1 + {a} * {a})",
        (a, b) => $"Math.Max({a}, {b})",
    };

    private static readonly Gen<(int Operation, int A, int B)> Step =
        Gen.Select(Gen.Int[0, Operations.Length - 1], Gen.Int[0, 1000], Gen.Int[0, 1000]);

    private static readonly Gen<(double X, double Y, double U1, double U2, double V, int N)> Point =
        Gen.Select(Gen.Double[-1.5, 1.5], Gen.Double[-1.5, 1.5], Gen.Double[-2, 2], Gen.Double[-2, 2], Gen.Double[-2, 2], Gen.Int[0, 6]);

    private static readonly Gen<(int Operation, int A, int B)[]> Steps = Step.Array[2, 7];

    [Test]
    public void StraightLineProgramsAgreeInBothModes() =>
        Gen.Select(Steps.Array[ProgramsPerSample], Point.Array[ProgramsPerSample])
            .Sample((programs, points) => Check(programs.Select(steps => StraightLine(steps)).ToArray(), points), iter: 4, threads: 1);

    [Test]
    public void LoopProgramsAgreeInBothModes() =>
        Gen.Select(Gen.Select(Steps, Gen.Int[0, 2], Step.Array[3]).Array[ProgramsPerSample], Point.Array[ProgramsPerSample])
            .Sample((programs, points) => Check(programs.Select(p => WithLoop(p.Item1, p.Item2, p.Item3)).ToArray(), points), iter: 4, threads: 1);

    private static void Check(string[] bodies, (double X, double Y, double U1, double U2, double V, int N)[] points)
    {
        var methods = bodies.Select((body, i) => $$"""
                [Autodiff(nameof(R{{i}}), Mode.Reverse, Activity.Active, Activity.Active, Activity.Const, Activity.Active)]
                [Autodiff(nameof(T{{i}}), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Const, Activity.Dual)]
                public static double F{{i}}(double x, double y, int n)
                {
            {{body}}
                }
                [GeneratedCode("Autodiff", "1")] public static extern (double, double, double) R{{i}}(double x, double y, int n, double seed);
                [GeneratedCode("Autodiff", "1")] public static extern (double, double) T{{i}}(double x, double dx, double y, double dy, int n);
            """);
        var source = $$"""
            using System;
            using System.CodeDom.Compiler;
            using Autodiff;

            public static class Random
            {
            {{string.Join("\n", methods)}}
            }
            """;
        using var woven = WovenAssembly.Compile(source);
        for (var i = 0; i < bodies.Length; i++)
        {
            var (x, y, u1, u2, v, n) = points[i];
            var gradient = (ITuple)woven.Invoke("Random", "R" + i, x, y, n, v)!;
            var tangent = (ITuple)woven.Invoke("Random", "T" + i, x, u1, y, u2, n)!;
            var primal = (double)woven.Invoke("Random", "F" + i, x, y, n)!;
            var forward = v * (double)tangent[1]!;
            var reverse = (double)gradient[1]! * u1 + (double)gradient[2]! * u2;
            Assert.That((double)gradient[0]!, Is.EqualTo(primal), bodies[i]);
            Assert.That((double)tangent[0]!, Is.EqualTo(primal), bodies[i]);
            Assert.That(forward, Is.EqualTo(reverse).Within(1e-10 * (1 + Math.Abs(reverse))), $"{bodies[i]}\nat x={x}, y={y}, n={n}");
        }
    }

    private static string Apply((int Operation, int A, int B) step, string[] pool) =>
        Operations[step.Operation](pool[step.A % pool.Length], pool[step.B % pool.Length]);

    /// <summary>Assignments <c>v0, v1, …</c> over x, y, a constant and earlier values; the pool they leave.</summary>
    private static (string Code, string[] Pool) Assignments((int Operation, int A, int B)[] steps)
    {
        var pool = new[] { "x", "y", "0.75" };
        var code = new StringBuilder();
        for (var k = 0; k < steps.Length; k++)
        {
            code.Append($"        var v{k} = {Apply(steps[k], pool)};\n");
            pool = pool.Append("v" + k).ToArray();
        }
        return (code.ToString(), pool);
    }

    private static string StraightLine((int Operation, int A, int B)[] steps)
    {
        var (code, pool) = Assignments(steps);
        return code + $"        return {pool[pool.Length - 1]} + {pool[pool.Length - 2]} * x + 0 * n;";
    }

    private static string WithLoop((int Operation, int A, int B)[] steps, int shape, (int Operation, int A, int B)[] body)
    {
        var (code, pool) = Assignments(steps);
        var last = pool[pool.Length - 1];
        var inner = pool.Append("acc").ToArray();
        var loop = shape switch
        {
            0 => $$"""
                        for (var i = 0; i < n; i++)
                        {
                            acc = {{Apply(body[0], inner)}} * 0.5;
                            if (acc < {{Apply(body[1], pool)}})
                                acc = {{Apply(body[2], inner)}};
                            else if (i % 3 == 1)
                                continue;
                        }
                """,
            1 => $$"""
                        var w = 0;
                        while (w < n && acc < 5)
                        {
                            acc = acc * 0.5 + {{Apply(body[0], inner)}} * 0.25 + 1;
                            w++;
                        }
                """,
            _ => $$"""
                        for (var i = 0; i < n; i++)
                        {
                            var j = 0;
                            do
                            {
                                acc = {{Apply(body[0], inner)}} * 0.3 + {{Apply(body[1], pool)}} * 0.1;
                                if (acc > 3)
                                    break;
                                j++;
                            }
                            while (j <= i);
                        }
                """,
        };
        return code + $"        var acc = {last};\n" + loop + $"        return acc + {last} * y;";
    }
}
