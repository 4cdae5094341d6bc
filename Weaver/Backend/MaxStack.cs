using System;
using System.Collections.Generic;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Autodiff.Weaver.Backend;

/// <summary>
/// The largest evaluation-stack depth a body reaches (ECMA-335 §III.1.7.4), by one pass in layout order: every
/// block the backend emits starts with a known depth (0, or 1 at a catch or filter start), so a forward pass that
/// takes the depth recorded for a branch target suffices.
/// </summary>
internal static class MaxStack
{
    public static int Compute(MethodBody body)
    {
        var depthAt = new Dictionary<Instruction, int>();
        foreach (var handler in body.ExceptionHandlers)
        {
            depthAt[handler.HandlerStart] = handler.HandlerType is ExceptionHandlerType.Catch or ExceptionHandlerType.Filter ? 1 : 0;
            if (handler.FilterStart != null)
                depthAt[handler.FilterStart] = 1;
        }
        var depth = 0;
        var max = 0;
        foreach (var instruction in body.Instructions)
        {
            if (depthAt.TryGetValue(instruction, out var known))
                depth = known;
            depth -= Popped(instruction, body.Method);
            depth += Pushed(instruction);
            max = Math.Max(max, depth);
            switch (instruction.Operand)
            {
                case Instruction target:
                    depthAt[target] = instruction.OpCode.Code is Code.Leave or Code.Leave_S ? 0 : depth;
                    break;
                case Instruction[] targets:
                    foreach (var target in targets)
                        depthAt[target] = depth;
                    break;
            }
            if (instruction.OpCode.FlowControl is FlowControl.Branch or FlowControl.Return or FlowControl.Throw)
                depth = 0;
        }
        return max;
    }

    private static int Popped(Instruction instruction, MethodDefinition method)
    {
        switch (instruction.OpCode.StackBehaviourPop)
        {
            case StackBehaviour.Pop0: return 0;
            case StackBehaviour.Pop1: case StackBehaviour.Popi: case StackBehaviour.Popref: return 1;
            case StackBehaviour.Pop1_pop1: case StackBehaviour.Popi_pop1: case StackBehaviour.Popi_popi: case StackBehaviour.Popi_popi8:
            case StackBehaviour.Popi_popr4: case StackBehaviour.Popi_popr8: case StackBehaviour.Popref_pop1: case StackBehaviour.Popref_popi: return 2;
            case StackBehaviour.Popi_popi_popi: case StackBehaviour.Popref_popi_popi: case StackBehaviour.Popref_popi_popi8: case StackBehaviour.Popref_popi_popr4:
            case StackBehaviour.Popref_popi_popr8: case StackBehaviour.Popref_popi_popref: return 3;
            case StackBehaviour.Varpop:
                if (instruction.OpCode.Code == Code.Ret)
                    return method.ReturnType.MetadataType == MetadataType.Void ? 0 : 1;
                if (instruction.Operand is CallSite site)
                    return site.Parameters.Count + (site.HasThis && !site.ExplicitThis ? 1 : 0) + 1;
                var callee = (IMethodSignature)instruction.Operand;
                return callee.Parameters.Count + (callee.HasThis && !callee.ExplicitThis && instruction.OpCode.Code != Code.Newobj ? 1 : 0);
            default: return 0;
        }
    }

    private static int Pushed(Instruction instruction)
    {
        switch (instruction.OpCode.StackBehaviourPush)
        {
            case StackBehaviour.Push0: return 0;
            case StackBehaviour.Push1_push1: return 2;
            case StackBehaviour.Varpush:
                if (instruction.OpCode.Code == Code.Newobj)
                    return 1;
                return ((IMethodSignature)instruction.Operand).ReturnType.MetadataType == MetadataType.Void ? 0 : 1;
            default: return 1;
        }
    }
}
