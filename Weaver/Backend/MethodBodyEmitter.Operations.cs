using Autodiff.Weaver.Diagnostics;
using Autodiff.Weaver.Ir;
using Mono.Cecil;
using Mono.Cecil.Cil;
using CilInstruction = Mono.Cecil.Cil.Instruction;
using Instruction = Autodiff.Weaver.Ir.Instruction;

namespace Autodiff.Weaver.Backend;

/// <summary>Instruction selection for the non-terminator opcodes, with their prefixes, and reference import.</summary>
internal sealed partial class MethodBodyEmitter
{
    private static bool IsFloating(TypeReference type) => type.MetadataType is MetadataType.Single or MetadataType.Double;

    private void EmitOperation(Instruction instruction)
    {
        switch (instruction.Opcode)
        {
            case Opcode.Add: case Opcode.Sub: case Opcode.Mul: case Opcode.Div: case Opcode.DivUn:
            case Opcode.Rem: case Opcode.RemUn: case Opcode.AddOvf: case Opcode.AddOvfUn: case Opcode.SubOvf:
            case Opcode.SubOvfUn: case Opcode.MulOvf: case Opcode.MulOvfUn: case Opcode.And: case Opcode.Or:
            case Opcode.Xor: case Opcode.Shl: case Opcode.Shr: case Opcode.ShrUn: case Opcode.Neg: case Opcode.Not:
                Emit(CilOpcodes.Arithmetic(instruction.Opcode));
                break;
            case Opcode.Compare:
                var floating = IsFloating(instruction.Operands[0].Type) || IsFloating(instruction.Operands[1].Type);
                foreach (var opcode in CilOpcodes.Compare(instruction.Predicate, floating))
                    Emit(opcode);
                break;
            case Opcode.Convert:
                foreach (var opcode in CilOpcodes.Convert(TypeOperand(instruction), instruction.Flags))
                    Emit(opcode);
                break;
            case Opcode.CheckFinite:
                Emit(OpCodes.Ckfinite);
                break;
            case Opcode.Load:
                EmitLoadIndirect(instruction);
                break;
            case Opcode.Store:
                EmitStoreIndirect(instruction);
                break;
            case Opcode.FieldAddress:
                Emit(CilInstruction.Create(OpCodes.Ldflda, Field(instruction)));
                break;
            case Opcode.StaticFieldAddress:
                Emit(CilInstruction.Create(OpCodes.Ldsflda, Field(instruction)));
                break;
            case Opcode.ElementAddress:
                if ((instruction.Flags & InstructionFlags.ReadOnly) != 0)
                    Emit(OpCodes.Readonly);
                EmitNoTypeCheck(instruction);
                Emit(CilInstruction.Create(OpCodes.Ldelema, Import(TypeOperand(instruction))));
                break;
            case Opcode.LoadField:
                EmitMemoryPrefixes(instruction);
                Emit(CilInstruction.Create(OpCodes.Ldfld, Field(instruction)));
                break;
            case Opcode.StoreField:
                EmitMemoryPrefixes(instruction);
                Emit(CilInstruction.Create(OpCodes.Stfld, Field(instruction)));
                break;
            case Opcode.LoadStaticField:
                EmitMemoryPrefixes(instruction);
                Emit(CilInstruction.Create(OpCodes.Ldsfld, Field(instruction)));
                break;
            case Opcode.StoreStaticField:
                EmitMemoryPrefixes(instruction);
                Emit(CilInstruction.Create(OpCodes.Stsfld, Field(instruction)));
                break;
            case Opcode.LoadElement:
            {
                EmitNoTypeCheck(instruction);
                var type = TypeOperand(instruction);
                var opcode = CilOpcodes.LoadElement(CilOpcodes.KindOf(type));
                Emit(opcode is { } specific ? CilInstruction.Create(specific) : CilInstruction.Create(OpCodes.Ldelem_Any, Import(type)));
                break;
            }
            case Opcode.StoreElement:
            {
                EmitNoTypeCheck(instruction);
                var type = TypeOperand(instruction);
                var opcode = CilOpcodes.StoreElement(CilOpcodes.KindOf(type));
                Emit(opcode is { } specific ? CilInstruction.Create(specific) : CilInstruction.Create(OpCodes.Stelem_Any, Import(type)));
                break;
            }
            case Opcode.ArrayLength:
                Emit(OpCodes.Ldlen);
                break;
            case Opcode.NewArray:
                Emit(CilInstruction.Create(OpCodes.Newarr, Import(TypeOperand(instruction))));
                break;
            case Opcode.InitObject:
                Emit(CilInstruction.Create(OpCodes.Initobj, Import(TypeOperand(instruction))));
                break;
            case Opcode.CopyObject:
                Emit(CilInstruction.Create(OpCodes.Cpobj, Import(TypeOperand(instruction))));
                break;
            case Opcode.CopyBlock:
                EmitMemoryPrefixes(instruction);
                Emit(OpCodes.Cpblk);
                break;
            case Opcode.InitBlock:
                EmitMemoryPrefixes(instruction);
                Emit(OpCodes.Initblk);
                break;
            case Opcode.LocalAlloc:
                Emit(OpCodes.Localloc);
                break;
            case Opcode.SizeOf:
                Emit(CilInstruction.Create(OpCodes.Sizeof, Import(TypeOperand(instruction))));
                break;
            case Opcode.NewObject:
                Emit(CilInstruction.Create(OpCodes.Newobj, Method(instruction)));
                break;
            case Opcode.Call:
            case Opcode.CallVirtual:
                if (instruction.TypeOperand != null)
                    Emit(CilInstruction.Create(OpCodes.Constrained, Import(instruction.TypeOperand)));
                if (IsTailCall(instruction))
                    Emit(OpCodes.Tail);
                Emit(CilInstruction.Create(instruction.Opcode == Opcode.Call ? OpCodes.Call : OpCodes.Callvirt, Method(instruction)));
                break;
            case Opcode.CallIndirect:
                if (IsTailCall(instruction))
                    Emit(OpCodes.Tail);
                Emit(CilInstruction.Create(OpCodes.Calli, Import(instruction.Signature ?? throw Malformed("calli has no signature.", instruction.DebugLocation))));
                break;
            case Opcode.Box:
                Emit(CilInstruction.Create(OpCodes.Box, Import(instruction.TypeOperand ?? instruction.Operands[0].Type)));
                break;
            case Opcode.Unbox:
                Emit(CilInstruction.Create(OpCodes.Unbox, Import(instruction.TypeOperand ?? ((TypeSpecification)instruction.Type).ElementType)));
                break;
            case Opcode.UnboxAny:
                Emit(CilInstruction.Create(OpCodes.Unbox_Any, Import(instruction.TypeOperand ?? instruction.Type)));
                break;
            case Opcode.CastClass:
                Emit(CilInstruction.Create(OpCodes.Castclass, Import(instruction.TypeOperand ?? instruction.Type)));
                break;
            case Opcode.IsInstance:
                Emit(CilInstruction.Create(OpCodes.Isinst, Import(instruction.TypeOperand ?? instruction.Type)));
                break;
            case Opcode.LoadToken:
                Emit(instruction.Member switch
                {
                    MethodReference method => CilInstruction.Create(OpCodes.Ldtoken, Import(method)),
                    FieldReference field => CilInstruction.Create(OpCodes.Ldtoken, Import(field)),
                    _ => CilInstruction.Create(OpCodes.Ldtoken, Import(TypeOperand(instruction))),
                });
                break;
            case Opcode.LoadFunction:
                Emit(CilInstruction.Create(OpCodes.Ldftn, Method(instruction)));
                break;
            case Opcode.LoadVirtualFunction:
                Emit(CilInstruction.Create(OpCodes.Ldvirtftn, Method(instruction)));
                break;
            case Opcode.MakeTypedReference:
                Emit(CilInstruction.Create(OpCodes.Mkrefany, Import(TypeOperand(instruction))));
                break;
            case Opcode.TypedReferenceValue:
                Emit(CilInstruction.Create(OpCodes.Refanyval, Import(TypeOperand(instruction))));
                break;
            case Opcode.TypedReferenceType:
                Emit(OpCodes.Refanytype);
                break;
            case Opcode.ArgumentList:
                Emit(OpCodes.Arglist);
                break;
            case Opcode.ExceptionObject:
                // Already on the stack: the runtime pushes it when the handler starts (ECMA-335 §I.12.4.2.5).
                break;
            default:
                throw new WeaverException(DiagnosticCode.UnsupportedForLowering, $"{instruction.Opcode} cannot be lowered here.", instruction.DebugLocation);
        }
    }

    /// <summary>
    /// tail. is only valid right before ret (ECMA-335 §III.2.4): kept when the call's result goes straight to the
    /// return that follows it, dropped (it is only a request) otherwise.
    /// </summary>
    private bool IsTailCall(Instruction call)
    {
        if ((call.Flags & InstructionFlags.Tail) == 0)
            return false;
        var instructions = call.Block!.Instructions;
        var index = instructions.IndexOf(call);
        if (index + 1 >= instructions.Count || instructions[index + 1] is not { Opcode: Opcode.Return } ret)
            return false;
        return ret.Operands.Count == 0 ? call.Type.MetadataType == MetadataType.Void : ReferenceEquals(ret.Operands[0], call) && schedule.IsFolded(call);
    }

    private void EmitLoadIndirect(Instruction load)
    {
        if (StackSchedule.IsSlotAccess(load))
        {
            EmitSlot((Instruction)load.Operands[0], OpCodes.Ldloc, OpCodes.Ldarg);
            return;
        }
        EmitMemoryPrefixes(load);
        var type = load.TypeOperand ?? load.Type;
        var opcode = CilOpcodes.LoadIndirect(CilOpcodes.KindOf(type));
        Emit(opcode is { } specific ? CilInstruction.Create(specific) : CilInstruction.Create(OpCodes.Ldobj, Import(type)));
    }

    private void EmitStoreIndirect(Instruction store)
    {
        if (StackSchedule.IsSlotAccess(store))
        {
            EmitSlot((Instruction)store.Operands[0], OpCodes.Stloc, OpCodes.Starg);
            return;
        }
        EmitMemoryPrefixes(store);
        var type = store.TypeOperand ?? store.Operands[1].Type;
        var opcode = CilOpcodes.StoreIndirect(CilOpcodes.KindOf(type));
        Emit(opcode is { } specific ? CilInstruction.Create(specific) : CilInstruction.Create(OpCodes.Stobj, Import(type)));
    }

    private void EmitMemoryPrefixes(Instruction instruction)
    {
        if ((instruction.Flags & InstructionFlags.Unaligned) != 0)
            Emit(CilInstruction.Create(OpCodes.Unaligned, instruction.Alignment));
        if ((instruction.Flags & InstructionFlags.Volatile) != 0)
            Emit(OpCodes.Volatile);
    }

    private void EmitNoTypeCheck(Instruction instruction)
    {
        // no. 1 = skip the type check (ECMA-335 §III.2.2).
        if ((instruction.Flags & InstructionFlags.NoTypeCheck) != 0)
            Emit(CilInstruction.Create(OpCodes.No, (byte)1));
    }

    private void Emit(OpCode opcode) => Emit(CilInstruction.Create(opcode));

    private void Emit(OpCode opcode, VariableDefinition variable) => Emit(CilInstruction.Create(opcode, variable));

    private void Emit(CilInstruction instruction)
    {
        current.Code.Add(instruction);
        locations[instruction] = location;
    }

    private TypeReference TypeOperand(Instruction instruction) =>
        instruction.TypeOperand ?? throw Malformed($"{instruction.Info.Mnemonic} has no type operand.", instruction.DebugLocation);

    private MethodReference Method(Instruction instruction) =>
        Import(instruction.Member as MethodReference ?? throw Malformed($"{instruction.Info.Mnemonic} has no method operand.", instruction.DebugLocation));

    private FieldReference Field(Instruction instruction) =>
        Import(instruction.Member as FieldReference ?? throw Malformed($"{instruction.Info.Mnemonic} has no field operand.", instruction.DebugLocation));

    private TypeReference Import(TypeReference type) => module.ImportReference(type, target);

    private MethodReference Import(MethodReference method) => module.ImportReference(method, target);

    private FieldReference Import(FieldReference field) => module.ImportReference(field, target);

    private CallSite Import(CallSite signature)
    {
        var imported = new CallSite(Import(signature.ReturnType))
        {
            HasThis = signature.HasThis,
            ExplicitThis = signature.ExplicitThis,
            CallingConvention = signature.CallingConvention,
        };
        foreach (var parameter in signature.Parameters)
            imported.Parameters.Add(new ParameterDefinition(Import(parameter.ParameterType)));
        return imported;
    }
}
