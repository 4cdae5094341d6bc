using System.Linq;
using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Bcl;

/// <summary>
/// Scalar replacement of C#'s closure objects (<c>&lt;&gt;c__DisplayClass</c>): once the lambdas using a closure are
/// inlined, a closure that is only read and written field by field is a set of locals in disguise. Each field
/// becomes a stack slot, which PromoteStackSlots turns into SSA values, so captured active values are
/// differentiated as the locals they were in the source.
/// </summary>
internal static class ClosureScalarization
{
    public static bool IsClosure(Instruction allocation) =>
        allocation.Opcode == Opcode.NewObject && allocation.Member is MethodReference { DeclaringType.Name: var name }
        && name.StartsWith("<>c__DisplayClass", System.StringComparison.Ordinal);

    public static bool Run(IrMethod method)
    {
        var changed = false;
        foreach (var closure in method.Blocks.SelectMany(b => b.Instructions).Where(i => IsClosure(i) && IsOnlyFieldAccessed(i)).ToList())
        {
            var builder = new IrBuilder(method) { DebugLocation = closure.DebugLocation };
            var slots = closure.Uses.Select(u => (FieldReference)u.User.Member!).GroupBy(f => f.FullName)
                .ToDictionary(g => g.Key, g => builder.StackSlot(g.First().FieldType, g.First().Name));
            foreach (var access in closure.Uses.Select(u => u.User).ToList())
            {
                var slot = slots[((FieldReference)access.Member!).FullName];
                builder.DebugLocation = access.DebugLocation;
                builder.Before(access);
                if (access.Opcode == Opcode.LoadField)
                    access.ReplaceAllUsesWith(builder.Load(slot, access.Type));
                else
                    builder.Store(slot, access.Operands[1], slot.TypeOperand!);
                access.Remove();
            }
            closure.Remove();
            changed = true;
        }
        return changed;
    }

    private static bool IsOnlyFieldAccessed(Instruction closure) =>
        closure.Uses.All(u => u.Index == 0 && u.User.Opcode is Opcode.LoadField or Opcode.StoreField);
}
