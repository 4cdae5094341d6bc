using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Analysis;
using Autodiff.Weaver.Diagnostics;
using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Memory;

/// <summary>
/// Rejects (AD2210) an object created by <c>new C(args)</c> that <see cref="ConstructorInlining"/> kept, when derivatives
/// would have to flow through it: an argument is varied, an active value is stored into it, or it is stored into
/// shadowed memory. Its constructor's stores are invisible to differentiation, and the object has no shadow.
/// </summary>
public static class KeptConstructors
{
    public static void Check(IrMethod primal, ActivityAnalysis activity, ShadowedMemory memory)
    {
        var instructions = primal.Blocks.SelectMany(b => b.Instructions).ToList();
        var activelyStored = new HashSet<Value>(instructions.Select(MemoryAccess.Of)
            .Where(a => a is { IsStore: true } && activity.IsVaried(a.StoredValue!) && !memory.Contains(a.Pointer))
            .Select(a => ShadowedMemory.BaseOf(a!.Pointer)));
        var storedIntoShadows = new HashSet<Value>(instructions
            .Where(i => i.Opcode is Opcode.Store or Opcode.StoreElement or Opcode.StoreField && memory.Contains(i.Operands[0]))
            .Select(i => i.Operands[i.Operands.Count - 1]));
        foreach (var construction in instructions.Where(i => i.Opcode == Opcode.NewObject))
        {
            if (!construction.Operands.Any(activity.IsVaried) && !activelyStored.Contains(construction) && !storedIntoShadows.Contains(construction))
                continue;
            if (ConstructorInlining.WhyKept(construction, primal.Module) is { } reason)
                throw NotInlined(construction, primal, reason);
        }
    }

    private static WeaverException NotInlined(Instruction construction, IrMethod primal, string reason)
    {
        var type = ((MethodReference)construction.Member!).DeclaringType;
        var where = SourceLocation.From(construction.DebugLocation) is { } location
            ? $"{location.Path}({location.Line},{location.Column})"
            : primal.Source?.FullName ?? primal.Name;
        return new WeaverException(DiagnosticCode.ConstructorNotInlined,
            $"cannot differentiate new {type.Name}(…) at {where}: derivatives flow through the object, and a constructor that does work is inlined on an uninitialized object so that its stores are differentiated, but {reason}; create the object outside the differentiated method and pass it Duplicated/Dual, or give {type.Name} a constructor that only assigns its fields",
            construction.DebugLocation);
    }
}
