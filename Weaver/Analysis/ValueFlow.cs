using System;
using System.Collections.Generic;
using Autodiff.Weaver.Ir;

namespace Autodiff.Weaver.Analysis;

/// <summary>
/// The smallest monotone dataflow: a set of values grown from seeds along edges until nothing changes
/// (ILLink's "obviously correct first" habit). Activity analysis runs it forward (varied) and backward
/// (useful); memory and call edges are added by supplying more successors.
/// </summary>
public static class ValueFlow
{
    public static HashSet<Value> Reach(IEnumerable<Value> seeds, Func<Value, IEnumerable<Value>> successors)
    {
        var reached = new HashSet<Value>();
        var work = new Stack<Value>();
        foreach (var seed in seeds)
        {
            if (reached.Add(seed))
                work.Push(seed);
        }
        while (work.Count > 0)
        {
            foreach (var next in successors(work.Pop()))
            {
                if (reached.Add(next))
                    work.Push(next);
            }
        }
        return reached;
    }
}
