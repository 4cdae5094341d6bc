using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Autodiff.Weaver.Frontend;

/// <summary>The sequence point in effect at each CIL offset: the last one at or before it; hidden points map to null.</summary>
internal sealed class SequencePointMap
{
    private readonly List<SequencePoint> points;

    public SequencePointMap(MethodDefinition method) =>
        points = method.DebugInformation is { HasSequencePoints: true } info
            ? info.SequencePoints.OrderBy(p => p.Offset).ToList()
            : new List<SequencePoint>();

    public SequencePoint? At(int offset)
    {
        int low = 0, high = points.Count - 1;
        SequencePoint? found = null;
        while (low <= high)
        {
            var middle = (low + high) / 2;
            if (points[middle].Offset <= offset)
            {
                found = points[middle];
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }
        return found == null || found.IsHidden ? null : found;
    }
}
