using System.Linq;
using Autodiff.Weaver.Analysis;
using Autodiff.Weaver.Differentiation.Reverse;
using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Memory;

/// <summary>
/// The derivative's first instructions: one call to <c>Autodiff.Runtime.ShadowChecks.Array</c> per shadowed
/// array and lane, so that a shadow of the wrong length or a missing shadow fails before any work (DESIGN §1.1).
/// References (<c>ref</c>/<c>in</c>/<c>out</c>) need no check: C# cannot pass a null one.
/// </summary>
public static class ShadowArgumentChecks
{
    public static void Emit(DerivativeFrame frame, ShadowedMemory memory)
    {
        var arrays = memory.Roots.Where(p => p.Type is ArrayType).OrderBy(p => p.Index).ToList();
        if (arrays.Count == 0)
            return;
        var check = CheckMethod(frame.Method.Module);
        var builder = SlotAdjoints.EntryBuilder(frame.Method);
        foreach (var parameter in arrays)
        {
            for (var lane = 0; lane < frame.Width; lane++)
            {
                var shadow = frame.Shadow(parameter.Index, lane)!;
                builder.Call(check, frame.Method.Types.Void, new Value[] { frame.Copy.Map(parameter), shadow, frame.Method.String(shadow.Name ?? "shadow") });
            }
        }
    }

    private static MethodReference CheckMethod(ModuleDefinition module)
    {
        var runtime = module.AssemblyReferences.FirstOrDefault(r => r.Name == "Autodiff")
            ?? throw new System.InvalidOperationException("A module with [Autodiff] requests references Autodiff.dll.");
        var checks = new TypeReference("Autodiff.Runtime", "ShadowChecks", module, runtime);
        var array = new TypeReference("System", "Array", module, module.TypeSystem.CoreLibrary);
        var method = new MethodReference("Array", module.TypeSystem.Void, checks);
        method.Parameters.Add(new ParameterDefinition(array));
        method.Parameters.Add(new ParameterDefinition(array));
        method.Parameters.Add(new ParameterDefinition(module.TypeSystem.String));
        return method;
    }
}
