using System;
using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Ir;

namespace Autodiff.Weaver.Differentiation.Rules;

/// <summary>
/// Which primal values a rule's partials read, found by building them once in a scratch method on
/// placeholder parameters. The reverse sweep tapes only those (DESIGN §2: cache only what the reverse
/// sweep needs): Mul needs its operands, Exp only its result, Add nothing. Constant folding can only
/// drop reads, so the answer is safe for constant operands too.
/// </summary>
public static class RuleInputs
{
    /// <summary>The operands (and the result, when <c>includesResult</c>) the partials of the operands in <paramref name="differentiated"/> read.</summary>
    public static (IReadOnlyList<Value> Operands, bool IncludesResult) Read(Instruction instruction, Func<Value, bool> differentiated)
    {
        var rule = DerivativeRules.Find(instruction);
        if (rule == null)
            return (Array.Empty<Value>(), false);
        var scratch = new IrMethod(instruction.Block!.Method.Module, "scratch", instruction.Block.Method.Types.Void);
        var placeholders = instruction.Operands.Select((o, i) => scratch.AddParameter(o.Type, "x" + i)).ToList();
        var result = scratch.AddParameter(instruction.Type, "result");
        var builder = new IrBuilder(scratch).AtEnd(scratch.AddBlock(null));
        var context = new RuleContext(builder, instruction, placeholders, result);
        var returned = new HashSet<Value>();
        for (var i = 0; i < instruction.Operands.Count; i++)
        {
            if (rule.Partials[i] is { } partial && differentiated(instruction.Operands[i]))
                returned.Add(partial(context));
        }
        bool IsRead(Value placeholder) => placeholder.Uses.Count > 0 || returned.Contains(placeholder);
        var operands = instruction.Operands.Where((_, i) => IsRead(placeholders[i])).ToList();
        return (operands, IsRead(result));
    }
}
