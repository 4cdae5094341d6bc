using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Ir;

namespace Autodiff.Weaver.Differentiation.Reverse;

/// <summary>
/// Sizes pooled tapes before the loops that fill them: a tape pushed inside a counted loop reserves
/// <c>bound − start + 1</c> more values (the header's executions, an upper bound for every block of the body)
/// at the end of the loop's preheader, so it grows at most once per loop entry; tapes in loops whose trip
/// count is unknown at entry grow geometrically. Describes each tape's storage for the perf dump.
/// </summary>
public static class TapeSizing
{
    public static IReadOnlyDictionary<IValueTape, string> Apply(DerivativeFrame frame, IReadOnlyList<CountedLoop> loops, IEnumerable<IValueTape> tapes)
    {
        var storage = new Dictionary<IValueTape, string>();
        var counts = new Dictionary<CountedLoop, Value>();
        var bodies = loops.ToDictionary(loop => loop, loop => new HashSet<Block>(loop.Body.Select(frame.Copy.Map)));
        foreach (var tape in tapes)
        {
            if (tape is not PooledTape pooled)
            {
                storage[tape] = "stack slot (acyclic code: written once, nothing allocated)";
                continue;
            }
            // The innermost counted loop around the push: its entry is the last point before the pushes where the count is known.
            var loop = loops.Where(l => pooled.PushBlock != null && bodies[l].Contains(pooled.PushBlock))
                .OrderBy(l => l.Body.Count).FirstOrDefault();
            var kind = $"pooled Tape<{pooled.TypeName}> (per-thread pool, rented on entry, returned on exit)";
            if (loop == null)
            {
                storage[tape] = kind + "; trip count unknown at loop entry: capacity doubles as it fills";
                continue;
            }
            if (!counts.TryGetValue(loop, out var count))
                counts[loop] = count = HeaderExecutions(frame, loop);
            pooled.Reserve(PreheaderEnd(frame, loop), count);
            storage[tape] = kind + $"; inside the counted loop headed by bb{frame.Primal.Blocks.IndexOf(loop.Header)}: reserves bound − start + 1 values (for a unit step; (bound − offset − start) / step + 2 otherwise) at loop entry (end of bb{frame.Primal.Blocks.IndexOf(loop.Preheader)})"
                + (pooled.IsCursor ? ", so it is used as a cursor (array and count in locals)" : "; handed to another method, so not a cursor");
        }
        return storage;
    }

    /// <summary>
    /// An upper bound on the header's executions, computed once per loop at the end of its preheader:
    /// bound − start + 1 for <c>i &lt; bound; i++</c>, (bound − offset − start) / step + 2 in general.
    /// </summary>
    private static Value HeaderExecutions(DerivativeFrame frame, CountedLoop loop)
    {
        var builder = PreheaderEnd(frame, loop);
        var bound = PureExpressions.Rebuild(builder, loop.Bound, loop.Body, frame.Copy.Map);
        if (loop.Offset != 0)
            bound = builder.Sub(bound, frame.Method.Int32(loop.Offset));
        var span = loop.Start is Constant { Payload: 0 } ? bound : builder.Sub(bound, frame.Copy.Map(loop.Start));
        return loop.Step == 1
            ? builder.Add(span, frame.Method.Int32(1))
            : builder.Add(builder.Div(span, frame.Method.Int32(loop.Step)), frame.Method.Int32(2));
    }

    private static IrBuilder PreheaderEnd(DerivativeFrame frame, CountedLoop loop)
    {
        var preheader = frame.Copy.Map(loop.Preheader);
        return new IrBuilder(frame.Method).Before(preheader.Instructions[preheader.Instructions.Count - 1]);
    }
}
