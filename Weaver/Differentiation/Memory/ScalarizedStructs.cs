using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Analysis;
using Autodiff.Weaver.Ir;

namespace Autodiff.Weaver.Differentiation.Memory;

/// <summary>What <see cref="StructScalarization"/> left behind: the return slot, and struct locals kept whole.</summary>
/// <param name="ReturnSlot">The local a returned struct is written into; null when none is returned.</param>
/// <param name="WholeLocals">Struct locals whose address escapes (passed to a call, an instance method of the struct): memory without a shadow.</param>
public sealed record ScalarizedStructs(Instruction? ReturnSlot, IReadOnlyList<Instruction> WholeLocals)
{
    /// <summary>
    /// AD2208 when an active value is written into a struct kept whole: its derivative would be lost where the
    /// struct's address goes (reported there, e.g. at <c>v.Length()</c>).
    /// </summary>
    public void RejectActiveWholeStructs(ActivityAnalysis activity, IrMethod primal)
    {
        foreach (var local in WholeLocals)
        {
            var addresses = ValueFlow.Reach(new Value[] { local }, value => value.Uses.Where(u => u.Index == 0 && u.User.Opcode == Opcode.FieldAddress).Select(u => (Value)u.User));
            var stores = addresses.SelectMany(a => a.Uses).Where(u => u.Index == 0 && u.User.Opcode is Opcode.Store or Opcode.StoreField).Select(u => u.User);
            if (!stores.Any(store => activity.IsVaried(store.Operands[1])))
                continue;
            var users = addresses.SelectMany(a => a.Uses).Select(u => u.User).ToList();
            // A BCL member (Complex.Pow) taking the struct, directly or loaded whole, is named by its own diagnostic.
            foreach (var user in users.Concat(users.Where(u => u.Opcode == Opcode.Load).SelectMany(l => l.Uses).Select(u => u.User)))
                Bcl.BclSupport.RejectUncovered(user);
            var escape = users.FirstOrDefault(user => user.Opcode is not (Opcode.FieldAddress or Opcode.Load or Opcode.Store or Opcode.LoadField or Opcode.StoreField))
                ?? WholeLoads(addresses).SelectMany(load => load.Uses).Select(u => u.User).FirstOrDefault(user => user.Opcode is Opcode.Call or Opcode.CallVirtual);
            throw DifferentiationErrors.StructKeptWhole(escape ?? local, primal);
        }
    }

    // The struct read whole (to be passed by value).
    private static IEnumerable<Instruction> WholeLoads(IEnumerable<Value> addresses) =>
        addresses.SelectMany(a => a.Uses).Select(u => u.User).Where(user => user.Opcode == Opcode.Load && DifferentiableStruct.Is(user.TypeOperand!));
}
