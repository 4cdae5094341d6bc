using Autodiff.Weaver.Diagnostics;
using Autodiff.Weaver.Ir;
using Mono.Cecil.Cil;
using CilInstruction = Mono.Cecil.Cil.Instruction;
using Instruction = Autodiff.Weaver.Ir.Instruction;

namespace Autodiff.Weaver.Backend;

/// <summary>Terminators: branches with fall-through, fused compare-and-branch, switch, leave, returns.</summary>
internal sealed partial class MethodBodyEmitter
{
    private void EmitTerminator(Block block, Instruction terminator)
    {
        switch (terminator.Opcode)
        {
            case Opcode.Return:
                EmitOperands(terminator);
                Emit(OpCodes.Ret);
                break;
            case Opcode.Branch:
                EmitCopies(block, terminator.Targets[0]);
                FallOrBranch(lowered[terminator.Targets[0]]);
                break;
            case Opcode.Leave:
                EmitCopies(block, terminator.Targets[0]);
                EmitBranch(OpCodes.Leave, lowered[terminator.Targets[0]]);
                break;
            case Opcode.BranchIf:
                EmitConditionalBranch(block, terminator);
                break;
            case Opcode.Switch:
            {
                EmitOperands(terminator);
                var cases = new LoweredBlock[terminator.Targets.Length - 1];
                for (var i = 0; i < cases.Length; i++)
                    cases[i] = Target(block, terminator.Targets[i]);
                var instruction = CilInstruction.Create(OpCodes.Switch, new CilInstruction[cases.Length]);
                switchFixups.Add((instruction, cases));
                Emit(instruction);
                FallOrBranch(Target(block, terminator.Targets[terminator.Targets.Length - 1]));
                break;
            }
            case Opcode.EndFinally:
                Emit(OpCodes.Endfinally);
                break;
            case Opcode.EndFilter:
                EmitOperands(terminator);
                Emit(OpCodes.Endfilter);
                break;
            case Opcode.Throw:
                EmitOperands(terminator);
                Emit(OpCodes.Throw);
                break;
            case Opcode.Rethrow:
                Emit(OpCodes.Rethrow);
                break;
            case Opcode.Jump:
                Emit(CilInstruction.Create(OpCodes.Jmp, Method(terminator)));
                break;
            default:
                throw new WeaverException(DiagnosticCode.UnsupportedForLowering, $"{terminator.Opcode} is not a terminator the backend knows.", terminator.DebugLocation);
        }
    }

    private void EmitConditionalBranch(Block block, Instruction branch)
    {
        EmitOperands(branch);
        var whenTrue = Target(block, branch.Targets[0]);
        var whenFalse = Target(block, branch.Targets[1]);
        var invert = IsNext(whenTrue) && !ReferenceEquals(whenTrue, whenFalse);
        OpCode taken, notTaken;
        if (branch.Operands[0] is Instruction compare && schedule.IsFusedCompare(compare))
        {
            var floating = IsFloating(compare.Operands[0].Type) || IsFloating(compare.Operands[1].Type);
            taken = CilOpcodes.BranchWhen(compare.Predicate);
            notTaken = CilOpcodes.BranchWhen(CilOpcodes.Negate(compare.Predicate, floating));
        }
        else
        {
            taken = OpCodes.Brtrue;
            notTaken = OpCodes.Brfalse;
        }
        var instruction = EmitBranch(invert ? notTaken : taken, invert ? whenFalse : whenTrue);
        inverseBranches.Add(instruction, invert ? taken : notTaken);
        if (!invert)
            FallOrBranch(whenFalse);
    }

    private bool IsNext(LoweredBlock block) => position[block] == position[current] + 1;

    private void FallOrBranch(LoweredBlock target)
    {
        if (!IsNext(target))
            EmitBranch(OpCodes.Br, target);
    }

    private CilInstruction EmitBranch(OpCode opcode, LoweredBlock target)
    {
        var instruction = CilInstruction.Create(opcode, placeholder);
        branchFixups.Add((instruction, target));
        Emit(instruction);
        return instruction;
    }
}
