using System;
using System.Linq;
using Autodiff.Weaver.Diagnostics;
using Autodiff.Weaver.Ir;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;

namespace Autodiff.Weaver.Backend;

/// <summary>Lowers SSA IR back to CIL: the last stage of the pipeline, and the second half of round-trip mode.</summary>
public static class MethodLowerer
{
    /// <summary>
    /// Replaces <paramref name="target"/>'s body and debug information with the lowering of <paramref name="ir"/>.
    /// The target's CIL parameters correspond one-to-one to <c>ir.Parameters</c> (<c>this</c> first for instance
    /// methods). References are imported into the target's module. On error a <see cref="WeaverException"/>
    /// is thrown and the target is left unchanged.
    /// </summary>
    public static void Lower(IrMethod ir, MethodDefinition target)
    {
        MethodBodyEmitter.Result result;
        try
        {
            result = Build(ir, target);
        }
        catch (Exception e) when (e is not WeaverException)
        {
            // Never a crash: an unanticipated failure is reported like any other, at the method's first line.
            var first = ir.Blocks.SelectMany(b => b.Instructions).FirstOrDefault(i => i.DebugLocation != null)?.DebugLocation;
            throw new WeaverException(DiagnosticCode.LoweringFailed, $"Lowering {target.FullName} failed: {e.GetType().Name}: {e.Message}", first);
        }
        target.Body = result.Body;
        DebugInformationWriter.Write(target, result.Locations, result.Locals);
    }

    private static MethodBodyEmitter.Result Build(IrMethod ir, MethodDefinition target)
    {
        var result = new MethodBodyEmitter(ir, target).Emit();
        // Short forms (ldloc.0, ldc.i4.s, br.s, ...). Cecil's OptimizeMacros leaves starg long, so that one is
        // shortened here, before branches are sized.
        foreach (var instruction in result.Body.Instructions)
        {
            if (instruction.OpCode.Code == Code.Starg && ((ParameterDefinition)instruction.Operand).Sequence < 256)
                instruction.OpCode = OpCodes.Starg_S;
        }
        result.Body.Optimize();
        result.Body.MaxStackSize = MaxStack.Compute(result.Body);
        return result;
    }
}
