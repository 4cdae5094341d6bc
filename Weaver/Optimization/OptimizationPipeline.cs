using System;
using System.Collections.Generic;
using Autodiff.Weaver.Ir;

namespace Autodiff.Weaver.Optimization;

/// <summary>
/// An ordered list of stages; a stage is one pass, or a group of passes repeated until none changes
/// anything (bounded, since each round only shrinks or simplifies the IR but a bound keeps a pathological
/// method from costing the build).
/// </summary>
public sealed class OptimizationPipeline
{
    /// <summary>Most rounds a repeated group runs.</summary>
    public const int MaxRounds = 8;

    private readonly List<(IReadOnlyList<IIrPass> Passes, bool Repeat)> stages = new();

    public OptimizationPipeline(string name) => Name = name;

    public string Name { get; }

    /// <summary>Every pass, in order, once each.</summary>
    public IEnumerable<IIrPass> Passes
    {
        get
        {
            foreach (var (passes, _) in stages)
            {
                foreach (var pass in passes)
                    yield return pass;
            }
        }
    }

    public OptimizationPipeline Then(IIrPass pass)
    {
        stages.Add((new[] { pass }, false));
        return this;
    }

    public OptimizationPipeline Repeat(params IIrPass[] passes)
    {
        stages.Add((passes, true));
        return this;
    }

    /// <summary>
    /// Runs the stages on <paramref name="method"/>; <paramref name="afterPass"/> sees the IR after every
    /// pass run (dumps, <c>adweave inspect --after</c>, <see cref="IrVerifier.Check"/> in tests).
    /// </summary>
    public bool Run(IrMethod method, Action<string, IrMethod>? afterPass = null)
    {
        var changed = false;
        foreach (var (passes, repeat) in stages)
        {
            for (var round = 0; round < (repeat ? MaxRounds : 1); round++)
            {
                var roundChanged = false;
                foreach (var pass in passes)
                {
                    roundChanged |= pass.Run(method);
                    afterPass?.Invoke(pass.Name, method);
                }
                changed |= roundChanged;
                if (!roundChanged)
                    break;
            }
        }
        return changed;
    }
}
