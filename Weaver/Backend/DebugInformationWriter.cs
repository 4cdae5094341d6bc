using System.Collections.Generic;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Autodiff.Weaver.Backend;

/// <summary>Rebuilds a method's PDB data for a new body: sequence points where the source location changes, local names.</summary>
internal static class DebugInformationWriter
{
    private const int HiddenLine = 0xFEEFEE;

    public static void Write(MethodDefinition method, IReadOnlyDictionary<Instruction, SequencePoint?> locations, IReadOnlyList<LocalAllocator.Local> locals)
    {
        var information = method.DebugInformation;
        information.SequencePoints.Clear();
        SequencePoint? previous = null;
        foreach (var instruction in method.Body.Instructions)
        {
            locations.TryGetValue(instruction, out var location);
            if (SameLocation(location, previous))
                continue;
            if (location != null)
            {
                information.SequencePoints.Add(new SequencePoint(instruction, location.Document)
                {
                    StartLine = location.StartLine,
                    StartColumn = location.StartColumn,
                    EndLine = location.EndLine,
                    EndColumn = location.EndColumn,
                });
            }
            else
            {
                // Code with no source of its own (copies, spills) after located code: hide it from the debugger.
                information.SequencePoints.Add(new SequencePoint(instruction, previous!.Document)
                {
                    StartLine = HiddenLine,
                    EndLine = HiddenLine,
                });
            }
            previous = location;
        }

        var import = information.Scope?.Import;
        information.Scope = null;
        if (method.Body.Instructions.Count > 0)
        {
            var scope = new ScopeDebugInformation(method.Body.Instructions[0], null) { Import = import };
            foreach (var local in locals)
            {
                if (!string.IsNullOrEmpty(local.Name))
                    scope.Variables.Add(new VariableDebugInformation(local.Variable, local.Name));
            }
            information.Scope = scope;
        }

        // These refer to instructions of the replaced body (await resume points, hoisted-local scopes).
        for (var i = information.CustomDebugInformations.Count - 1; i >= 0; i--)
        {
            if (information.CustomDebugInformations[i].Kind is CustomDebugInformationKind.AsyncMethodBody or CustomDebugInformationKind.StateMachineScope)
                information.CustomDebugInformations.RemoveAt(i);
        }
    }

    private static bool SameLocation(SequencePoint? a, SequencePoint? b)
    {
        if (a == null || b == null)
            return a == null && b == null;
        return ReferenceEquals(a, b)
            || a.Document.Url == b.Document.Url && a.StartLine == b.StartLine && a.StartColumn == b.StartColumn
               && a.EndLine == b.EndLine && a.EndColumn == b.EndColumn;
    }
}
