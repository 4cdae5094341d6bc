using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Ir;
using Mono.Cecil;
using Mono.Cecil.Cil;
using CilInstruction = Mono.Cecil.Cil.Instruction;
using Instruction = Autodiff.Weaver.Ir.Instruction;

namespace Autodiff.Weaver.Frontend;

/// <summary>Translation of each CIL opcode (ECMA-335 Partition III) into IR instructions.</summary>
public sealed partial class MethodLifter
{
    private InstructionFlags pendingFlags;
    private byte pendingAlignment;
    private TypeReference? pendingConstrained;

    private void LiftInstruction(CilInstruction instruction)
    {
        var before = currentBlock.Instructions.Count;
        var code = instruction.OpCode.Code;
        if (LiftPrefix(instruction))
            return;
        if (!LiftDataMovement(instruction) && !LiftArithmetic(instruction) && !LiftControlFlow(instruction)
            && !LiftMemory(instruction) && !LiftObjects(instruction))
        {
            throw Unsupported(instruction, code == Code.Break
                ? "a debugger breakpoint has no meaning in a derivative; remove the call to Debugger.Break"
                : "the frontend does not know this opcode");
        }
        if (pendingFlags != InstructionFlags.None && currentBlock.Instructions.Count > before)
        {
            var prefixed = currentBlock.Instructions[currentBlock.Instructions.Count - 1];
            prefixed.Flags |= pendingFlags;
            prefixed.Alignment = pendingAlignment;
        }
        pendingFlags = InstructionFlags.None;
        pendingAlignment = 0;
        pendingConstrained = null;
    }

    private bool LiftPrefix(CilInstruction instruction)
    {
        switch (instruction.OpCode.Code)
        {
            case Code.Volatile: pendingFlags |= InstructionFlags.Volatile; return true;
            case Code.Unaligned:
                pendingFlags |= InstructionFlags.Unaligned;
                pendingAlignment = System.Convert.ToByte(instruction.Operand, System.Globalization.CultureInfo.InvariantCulture);
                return true;
            case Code.Tail: pendingFlags |= InstructionFlags.Tail; return true;
            case Code.Readonly: pendingFlags |= InstructionFlags.ReadOnly; return true;
            case Code.No: pendingFlags |= InstructionFlags.NoTypeCheck; return true;
            case Code.Constrained: pendingConstrained = (TypeReference)instruction.Operand; return true;
            case Code.Nop: return true;
            default: return false;
        }
    }

    private bool LiftDataMovement(CilInstruction instruction)
    {
        var code = instruction.OpCode.Code;
        var local = CilOperands.LocalIndex(instruction);
        if (local >= 0)
        {
            LiftLocal(code, local);
            return true;
        }
        var argument = CilOperands.ArgumentIndex(instruction, body);
        if (argument >= 0)
        {
            LiftArgument(code, argument);
            return true;
        }
        switch (code)
        {
            case Code.Ldc_I4_M1: Push(method.Int32(-1)); return true;
            case Code.Ldc_I4_0: Push(method.Int32(0)); return true;
            case Code.Ldc_I4_1: Push(method.Int32(1)); return true;
            case Code.Ldc_I4_2: Push(method.Int32(2)); return true;
            case Code.Ldc_I4_3: Push(method.Int32(3)); return true;
            case Code.Ldc_I4_4: Push(method.Int32(4)); return true;
            case Code.Ldc_I4_5: Push(method.Int32(5)); return true;
            case Code.Ldc_I4_6: Push(method.Int32(6)); return true;
            case Code.Ldc_I4_7: Push(method.Int32(7)); return true;
            case Code.Ldc_I4_8: Push(method.Int32(8)); return true;
            case Code.Ldc_I4_S: Push(method.Int32((sbyte)instruction.Operand)); return true;
            case Code.Ldc_I4: Push(method.Int32((int)instruction.Operand)); return true;
            case Code.Ldc_I8: Push(method.Int64((long)instruction.Operand)); return true;
            case Code.Ldc_R4: Push(method.Float32((float)instruction.Operand)); return true;
            case Code.Ldc_R8: Push(method.Float64((double)instruction.Operand)); return true;
            case Code.Ldnull: Push(method.Null()); return true;
            case Code.Ldstr: Push(method.String((string)instruction.Operand)); return true;
            case Code.Dup:
                var top = Pop();
                Push(top);
                Push(top);
                return true;
            case Code.Pop: Pop(); return true;
            default: return false;
        }
    }

    private void LiftLocal(Code code, int index)
    {
        var variable = body.Variables[index];
        var type = LocalType(variable);
        if (localSlots.TryGetValue(index, out var slot))
        {
            if (code is Code.Ldloca or Code.Ldloca_S)
                Push(slot);
            else if (code is Code.Stloc or Code.Stloc_S or Code.Stloc_0 or Code.Stloc_1 or Code.Stloc_2 or Code.Stloc_3)
                builder.Store(slot, Pop(), type);
            else
                Push(builder.Load(slot, type));
            return;
        }
        var key = new CilVariable(CilVariableKind.Local, index);
        if (code is Code.Stloc or Code.Stloc_S or Code.Stloc_0 or Code.Stloc_1 or Code.Stloc_2 or Code.Stloc_3)
        {
            var value = AsDeclaredBool(Pop(), type);
            if (value is Instruction instruction)
                instruction.Name ??= LocalName(variable);
            ssa.WriteVariable(key, currentBlock, value);
        }
        else
        {
            Push(ssa.ReadVariable(key, currentBlock));
        }
    }

    private void LiftArgument(Code code, int index)
    {
        var parameter = method.Parameters[index];
        var isStore = code is Code.Starg or Code.Starg_S;
        if (argumentSlots.TryGetValue(index, out var slot))
        {
            if (code is Code.Ldarga or Code.Ldarga_S)
                Push(slot);
            else if (isStore)
                builder.Store(slot, Pop(), parameter.Type);
            else
                Push(builder.Load(slot, parameter.Type));
            return;
        }
        if (!variableArguments.Contains(index))
        {
            Push(parameter);
            return;
        }
        var key = new CilVariable(CilVariableKind.Argument, index);
        if (isStore)
            ssa.WriteVariable(key, currentBlock, AsDeclaredBool(Pop(), parameter.Type));
        else
            Push(ssa.ReadVariable(key, currentBlock));
    }

    /// <summary>
    /// CIL has no bool on the stack: C# stores comparisons, bitwise combinations of bools and the constants
    /// 0 and 1 into bool variables as int32. Retyping them keeps reads of a bool variable bool-typed.
    /// </summary>
    private Value AsDeclaredBool(Value value, TypeReference variableType)
    {
        if (variableType.MetadataType != MetadataType.Boolean || value.Type.MetadataType != MetadataType.Int32)
            return value;
        switch (value)
        {
            case Constant { Payload: 0 or 1 } constant:
                return method.Boolean((int)constant.Payload! == 1);
            case Instruction { Opcode: Opcode.Compare or Opcode.And or Opcode.Or or Opcode.Xor or Opcode.Phi } instruction:
                instruction.Type = variableType;
                return instruction;
            default:
                return value;
        }
    }

    private bool LiftArithmetic(CilInstruction instruction)
    {
        var code = instruction.OpCode.Code;
        var binary = code switch
        {
            Code.Add => Opcode.Add,
            Code.Sub => Opcode.Sub,
            Code.Mul => Opcode.Mul,
            Code.Div => Opcode.Div,
            Code.Div_Un => Opcode.DivUn,
            Code.Rem => Opcode.Rem,
            Code.Rem_Un => Opcode.RemUn,
            Code.Add_Ovf => Opcode.AddOvf,
            Code.Add_Ovf_Un => Opcode.AddOvfUn,
            Code.Sub_Ovf => Opcode.SubOvf,
            Code.Sub_Ovf_Un => Opcode.SubOvfUn,
            Code.Mul_Ovf => Opcode.MulOvf,
            Code.Mul_Ovf_Un => Opcode.MulOvfUn,
            Code.And => Opcode.And,
            Code.Or => Opcode.Or,
            Code.Xor => Opcode.Xor,
            Code.Shl => Opcode.Shl,
            Code.Shr => Opcode.Shr,
            Code.Shr_Un => Opcode.ShrUn,
            _ => (Opcode?)null,
        };
        if (binary != null)
        {
            var right = Pop();
            var left = Pop();
            Push(builder.Binary(binary.Value, left, right));
            return true;
        }
        var predicate = CompareOf(code);
        if (predicate != null)
        {
            var right = Pop();
            var left = Pop();
            Push(builder.Compare(predicate.Value, left, right));
            return true;
        }
        switch (code)
        {
            case Code.Neg: Push(builder.Neg(Pop())); return true;
            case Code.Not: Push(builder.Not(Pop())); return true;
            case Code.Ckfinite:
                var value = Pop();
                Push(builder.Emit(Opcode.CheckFinite, value.Type, value));
                return true;
        }
        var conversion = ConversionOf(code);
        if (conversion == null)
            return false;
        Push(builder.Convert(Pop(), conversion.Value.Target, conversion.Value.Flags));
        return true;
    }

    private static ComparePredicate? CompareOf(Code code) => code switch
    {
        Code.Ceq => ComparePredicate.Equal,
        Code.Cgt => ComparePredicate.Greater,
        Code.Cgt_Un => ComparePredicate.GreaterUn,
        Code.Clt => ComparePredicate.Less,
        Code.Clt_Un => ComparePredicate.LessUn,
        _ => null,
    };

    /// <summary>The predicate a compare-and-branch tests (ECMA-335 §III.3.5–3.17).</summary>
    private static ComparePredicate? BranchPredicateOf(Code code) => code switch
    {
        Code.Beq or Code.Beq_S => ComparePredicate.Equal,
        Code.Bne_Un or Code.Bne_Un_S => ComparePredicate.NotEqualUn,
        Code.Bge or Code.Bge_S => ComparePredicate.GreaterOrEqual,
        Code.Bge_Un or Code.Bge_Un_S => ComparePredicate.GreaterOrEqualUn,
        Code.Bgt or Code.Bgt_S => ComparePredicate.Greater,
        Code.Bgt_Un or Code.Bgt_Un_S => ComparePredicate.GreaterUn,
        Code.Ble or Code.Ble_S => ComparePredicate.LessOrEqual,
        Code.Ble_Un or Code.Ble_Un_S => ComparePredicate.LessOrEqualUn,
        Code.Blt or Code.Blt_S => ComparePredicate.Less,
        Code.Blt_Un or Code.Blt_Un_S => ComparePredicate.LessUn,
        _ => null,
    };

    private (TypeReference Target, InstructionFlags Flags)? ConversionOf(Code code)
    {
        const InstructionFlags ovf = InstructionFlags.Checked;
        const InstructionFlags ovfUn = InstructionFlags.Checked | InstructionFlags.UnsignedSource;
        return code switch
        {
            Code.Conv_I1 => (cilTypes.SByte, InstructionFlags.None),
            Code.Conv_I2 => (cilTypes.Int16, InstructionFlags.None),
            Code.Conv_I4 => (types.Int32, InstructionFlags.None),
            Code.Conv_I8 => (types.Int64, InstructionFlags.None),
            Code.Conv_U1 => (cilTypes.Byte, InstructionFlags.None),
            Code.Conv_U2 => (cilTypes.UInt16, InstructionFlags.None),
            Code.Conv_U4 => (cilTypes.UInt32, InstructionFlags.None),
            Code.Conv_U8 => (cilTypes.UInt64, InstructionFlags.None),
            Code.Conv_I => (types.IntPtr, InstructionFlags.None),
            Code.Conv_U => (cilTypes.UIntPtr, InstructionFlags.None),
            Code.Conv_R4 => (types.Single, InstructionFlags.None),
            Code.Conv_R8 => (types.Double, InstructionFlags.None),
            Code.Conv_R_Un => (types.Double, InstructionFlags.UnsignedSource),
            Code.Conv_Ovf_I1 => (cilTypes.SByte, ovf),
            Code.Conv_Ovf_I2 => (cilTypes.Int16, ovf),
            Code.Conv_Ovf_I4 => (types.Int32, ovf),
            Code.Conv_Ovf_I8 => (types.Int64, ovf),
            Code.Conv_Ovf_U1 => (cilTypes.Byte, ovf),
            Code.Conv_Ovf_U2 => (cilTypes.UInt16, ovf),
            Code.Conv_Ovf_U4 => (cilTypes.UInt32, ovf),
            Code.Conv_Ovf_U8 => (cilTypes.UInt64, ovf),
            Code.Conv_Ovf_I => (types.IntPtr, ovf),
            Code.Conv_Ovf_U => (cilTypes.UIntPtr, ovf),
            Code.Conv_Ovf_I1_Un => (cilTypes.SByte, ovfUn),
            Code.Conv_Ovf_I2_Un => (cilTypes.Int16, ovfUn),
            Code.Conv_Ovf_I4_Un => (types.Int32, ovfUn),
            Code.Conv_Ovf_I8_Un => (types.Int64, ovfUn),
            Code.Conv_Ovf_U1_Un => (cilTypes.Byte, ovfUn),
            Code.Conv_Ovf_U2_Un => (cilTypes.UInt16, ovfUn),
            Code.Conv_Ovf_U4_Un => (cilTypes.UInt32, ovfUn),
            Code.Conv_Ovf_U8_Un => (cilTypes.UInt64, ovfUn),
            Code.Conv_Ovf_I_Un => (types.IntPtr, ovfUn),
            Code.Conv_Ovf_U_Un => (cilTypes.UIntPtr, ovfUn),
            _ => null,
        };
    }

    private bool LiftControlFlow(CilInstruction instruction)
    {
        var code = instruction.OpCode.Code;
        var predicate = BranchPredicateOf(code);
        if (predicate != null)
        {
            var right = Pop();
            var left = Pop();
            var condition = builder.Compare(predicate.Value, left, right);
            EndBlock(instruction);
            builder.BranchIf(condition, TargetOf((CilInstruction)instruction.Operand), TargetOf(instruction.Next));
            return true;
        }
        switch (code)
        {
            case Code.Br:
            case Code.Br_S:
                EndBlock(instruction);
                builder.Branch(TargetOf((CilInstruction)instruction.Operand));
                return true;
            case Code.Brtrue:
            case Code.Brtrue_S:
            case Code.Brfalse:
            case Code.Brfalse_S:
            {
                var condition = Pop();
                EndBlock(instruction);
                var taken = TargetOf((CilInstruction)instruction.Operand);
                var next = TargetOf(instruction.Next);
                if (code is Code.Brtrue or Code.Brtrue_S)
                    builder.BranchIf(condition, taken, next);
                else
                    builder.BranchIf(condition, next, taken);
                return true;
            }
            case Code.Switch:
            {
                var index = Pop();
                EndBlock(instruction);
                builder.Switch(index, ((CilInstruction[])instruction.Operand).Select(TargetOf).ToList(), TargetOf(instruction.Next));
                return true;
            }
            case Code.Leave:
            case Code.Leave_S:
                // leave empties the evaluation stack (ECMA-335 §III.3.46).
                stack.Clear();
                EndBlock(instruction);
                builder.Leave(TargetOf((CilInstruction)instruction.Operand));
                return true;
            case Code.Ret:
                builder.Return(method.ReturnType.MetadataType == MetadataType.Void ? null : Pop());
                return true;
            case Code.Throw:
                builder.Emit(Opcode.Throw, types.Void, Pop());
                return true;
            case Code.Rethrow:
                builder.Emit(Opcode.Rethrow, types.Void);
                return true;
            case Code.Endfinally:
                builder.Emit(Opcode.EndFinally, types.Void);
                return true;
            case Code.Endfilter:
                builder.Emit(Opcode.EndFilter, types.Void, Pop());
                return true;
            case Code.Jmp:
                builder.Emit(Opcode.Jump, types.Void).Member = (MethodReference)instruction.Operand;
                return true;
            default:
                return false;
        }
    }

    /// <summary>Passes the remaining stack to the successors of the block <paramref name="last"/> ends.</summary>
    private void EndBlock(CilInstruction last)
    {
        FlushStack();
        foreach (var successor in flow.BlockAt(last).Successors)
            RecordEntryDepth(successor);
    }

    private Block TargetOf(CilInstruction instruction) => flow.BlockAt(instruction).Target!;

    private bool LiftMemory(CilInstruction instruction)
    {
        var code = instruction.OpCode.Code;
        var indirectType = IndirectTypeOf(code);
        if (code is >= Code.Ldind_I1 and <= Code.Ldind_Ref)
        {
            var address = Pop();
            Push(builder.Load(address, Refine(PointeeOf(address.Type), indirectType)));
            return true;
        }
        if (code is (>= Code.Stind_Ref and <= Code.Stind_R8) or Code.Stind_I)
        {
            var value = Pop();
            var address = Pop();
            builder.Store(address, value, Refine(PointeeOf(address.Type), indirectType));
            return true;
        }
        var elementType = ElementTypeOf(code);
        if (code is (>= Code.Ldelem_I1 and <= Code.Ldelem_Ref) or Code.Ldelem_Any)
        {
            var index = Pop();
            var array = Pop();
            var type = code == Code.Ldelem_Any ? (TypeReference)instruction.Operand : Refine(ArrayElementOf(array.Type), elementType);
            Push(builder.LoadElement(array, index, type));
            return true;
        }
        if (code is (>= Code.Stelem_I and <= Code.Stelem_Ref) or Code.Stelem_Any)
        {
            var value = Pop();
            var index = Pop();
            var array = Pop();
            var type = code == Code.Stelem_Any ? (TypeReference)instruction.Operand : Refine(ArrayElementOf(array.Type), elementType);
            builder.StoreElement(array, index, value, type);
            return true;
        }
        switch (code)
        {
            case Code.Ldelema:
            {
                var index = Pop();
                var array = Pop();
                Push(builder.ElementAddress(array, index, (TypeReference)instruction.Operand));
                return true;
            }
            case Code.Newarr:
                Push(builder.NewArray((TypeReference)instruction.Operand, Pop()));
                return true;
            case Code.Ldlen:
                Push(builder.ArrayLength(Pop()));
                return true;
            case Code.Ldobj:
                Push(builder.Load(Pop(), (TypeReference)instruction.Operand));
                return true;
            case Code.Stobj:
            {
                var value = Pop();
                builder.Store(Pop(), value, (TypeReference)instruction.Operand);
                return true;
            }
            case Code.Cpobj:
            {
                var sourceAddress = Pop();
                var destination = Pop();
                builder.Emit(Opcode.CopyObject, types.Void, destination, sourceAddress).TypeOperand = (TypeReference)instruction.Operand;
                return true;
            }
            case Code.Initobj:
                builder.Emit(Opcode.InitObject, types.Void, Pop()).TypeOperand = (TypeReference)instruction.Operand;
                return true;
            case Code.Cpblk:
            case Code.Initblk:
            {
                var size = Pop();
                var value = Pop();
                var address = Pop();
                builder.Emit(code == Code.Cpblk ? Opcode.CopyBlock : Opcode.InitBlock, types.Void, address, value, size);
                return true;
            }
            case Code.Localloc:
                Push(builder.Emit(Opcode.LocalAlloc, new PointerType(types.Void), Pop()));
                return true;
            case Code.Sizeof:
                Push(builder.Emit(Opcode.SizeOf, cilTypes.UInt32)).TypeOperand = (TypeReference)instruction.Operand;
                return true;
            case Code.Ldfld:
            case Code.Ldflda:
            case Code.Stfld:
            case Code.Ldsfld:
            case Code.Ldsflda:
            case Code.Stsfld:
                LiftField(code, (FieldReference)instruction.Operand);
                return true;
            default:
                return false;
        }
    }

    private void LiftField(Code code, FieldReference field)
    {
        var type = GenericSubstitution.Resolve(field.FieldType, field);
        Instruction result;
        switch (code)
        {
            case Code.Ldfld:
                result = Push(builder.Emit(Opcode.LoadField, type, Pop()));
                break;
            case Code.Ldflda:
                result = Push(builder.Emit(Opcode.FieldAddress, new ByReferenceType(type), Pop()));
                break;
            case Code.Stfld:
            {
                var value = Pop();
                result = builder.Emit(Opcode.StoreField, types.Void, Pop(), value);
                break;
            }
            case Code.Ldsfld:
                result = Push(builder.Emit(Opcode.LoadStaticField, type));
                break;
            case Code.Ldsflda:
                result = Push(builder.Emit(Opcode.StaticFieldAddress, new ByReferenceType(type)));
                break;
            default:
                result = builder.Emit(Opcode.StoreStaticField, types.Void, Pop());
                break;
        }
        result.Member = field;
    }

    private bool LiftObjects(CilInstruction instruction)
    {
        var code = instruction.OpCode.Code;
        switch (code)
        {
            case Code.Call:
            case Code.Callvirt:
            {
                var callee = (MethodReference)instruction.Operand;
                var arguments = PopMany(callee.Parameters.Count + (callee.HasThis && !callee.ExplicitThis ? 1 : 0));
                var returnType = GenericSubstitution.Resolve(callee.ReturnType, callee);
                var call = builder.Call(callee, returnType, arguments, code == Code.Callvirt, pendingConstrained);
                if (returnType.MetadataType != MetadataType.Void)
                    Push(call);
                return true;
            }
            case Code.Newobj:
            {
                var constructor = (MethodReference)instruction.Operand;
                Push(builder.NewObject(constructor, PopMany(constructor.Parameters.Count)));
                return true;
            }
            case Code.Calli:
            {
                var site = (CallSite)instruction.Operand;
                var pointer = Pop();
                var operands = PopMany(site.Parameters.Count + (site.HasThis && !site.ExplicitThis ? 1 : 0));
                operands.Add(pointer);
                var call = builder.Emit(Opcode.CallIndirect, site.ReturnType, operands.ToArray());
                call.Signature = site;
                if (site.ReturnType.MetadataType != MetadataType.Void)
                    Push(call);
                return true;
            }
            case Code.Ldftn:
                Push(builder.Emit(Opcode.LoadFunction, types.IntPtr)).Member = (MethodReference)instruction.Operand;
                return true;
            case Code.Ldvirtftn:
                Push(builder.Emit(Opcode.LoadVirtualFunction, types.IntPtr, Pop())).Member = (MethodReference)instruction.Operand;
                return true;
            case Code.Box:
                Push(builder.Emit(Opcode.Box, types.Object, Pop())).TypeOperand = (TypeReference)instruction.Operand;
                return true;
            case Code.Unbox:
            {
                var type = (TypeReference)instruction.Operand;
                Push(builder.Emit(Opcode.Unbox, new ByReferenceType(type), Pop())).TypeOperand = type;
                return true;
            }
            case Code.Unbox_Any:
            case Code.Castclass:
            case Code.Isinst:
            {
                var type = (TypeReference)instruction.Operand;
                var opcode = code switch { Code.Unbox_Any => Opcode.UnboxAny, Code.Castclass => Opcode.CastClass, _ => Opcode.IsInstance };
                // castclass and isinst to a value type or type parameter still yield an object reference (a boxed value).
                var resultType = opcode != Opcode.UnboxAny && (type.IsValueType || type.IsGenericParameter) ? types.Object : type;
                Push(builder.Emit(opcode, resultType, Pop())).TypeOperand = type;
                return true;
            }
            case Code.Ldtoken:
                LiftToken(instruction.Operand);
                return true;
            case Code.Mkrefany:
                Push(builder.Emit(Opcode.MakeTypedReference, cilTypes.TypedReference, Pop())).TypeOperand = (TypeReference)instruction.Operand;
                return true;
            case Code.Refanyval:
            {
                var type = (TypeReference)instruction.Operand;
                Push(builder.Emit(Opcode.TypedReferenceValue, new ByReferenceType(type), Pop())).TypeOperand = type;
                return true;
            }
            case Code.Refanytype:
                Push(builder.Emit(Opcode.TypedReferenceType, cilTypes.CoreValueType("RuntimeTypeHandle"), Pop()));
                return true;
            case Code.Arglist:
                Push(builder.Emit(Opcode.ArgumentList, cilTypes.CoreValueType("RuntimeArgumentHandle")));
                return true;
            default:
                return false;
        }
    }

    private void LiftToken(object token)
    {
        switch (token)
        {
            case TypeReference type:
                Push(builder.Emit(Opcode.LoadToken, cilTypes.CoreValueType("RuntimeTypeHandle"))).TypeOperand = type;
                break;
            case MethodReference methodToken:
                Push(builder.Emit(Opcode.LoadToken, cilTypes.CoreValueType("RuntimeMethodHandle"))).Member = methodToken;
                break;
            default:
                Push(builder.Emit(Opcode.LoadToken, cilTypes.CoreValueType("RuntimeFieldHandle"))).Member = (FieldReference)token;
                break;
        }
    }

    /// <summary>The type an ldind/stind opcode names; null for the .ref forms.</summary>
    private TypeReference? IndirectTypeOf(Code code) => code switch
    {
        Code.Ldind_I1 or Code.Stind_I1 => cilTypes.SByte,
        Code.Ldind_U1 => cilTypes.Byte,
        Code.Ldind_I2 or Code.Stind_I2 => cilTypes.Int16,
        Code.Ldind_U2 => cilTypes.UInt16,
        Code.Ldind_I4 or Code.Stind_I4 => types.Int32,
        Code.Ldind_U4 => cilTypes.UInt32,
        Code.Ldind_I8 or Code.Stind_I8 => types.Int64,
        Code.Ldind_I or Code.Stind_I => types.IntPtr,
        Code.Ldind_R4 or Code.Stind_R4 => types.Single,
        Code.Ldind_R8 or Code.Stind_R8 => types.Double,
        _ => null,
    };

    /// <summary>The type an ldelem/stelem opcode names; null for the .ref forms.</summary>
    private TypeReference? ElementTypeOf(Code code) => code switch
    {
        Code.Ldelem_I1 or Code.Stelem_I1 => cilTypes.SByte,
        Code.Ldelem_U1 => cilTypes.Byte,
        Code.Ldelem_I2 or Code.Stelem_I2 => cilTypes.Int16,
        Code.Ldelem_U2 => cilTypes.UInt16,
        Code.Ldelem_I4 or Code.Stelem_I4 => types.Int32,
        Code.Ldelem_U4 => cilTypes.UInt32,
        Code.Ldelem_I8 or Code.Stelem_I8 => types.Int64,
        Code.Ldelem_I or Code.Stelem_I => types.IntPtr,
        Code.Ldelem_R4 or Code.Stelem_R4 => types.Single,
        Code.Ldelem_R8 or Code.Stelem_R8 => types.Double,
        _ => null,
    };

    /// <summary>
    /// The precise type of an element or pointee when the container says it (bool for a u1 access to a
    /// bool[], string for ldelem.ref on a string[]); otherwise what the opcode names, or object.
    /// </summary>
    private TypeReference Refine(TypeReference? known, TypeReference? opcodeType)
    {
        if (opcodeType == null)
            return known != null && !known.IsValueType && !known.IsGenericParameter ? known : types.Object;
        return known != null && CilTypes.IsStoredAs(known, opcodeType) ? known : opcodeType;
    }

    private static TypeReference? PointeeOf(TypeReference type) => StripModifiers(type) switch
    {
        ByReferenceType byReference => byReference.ElementType,
        PointerType pointer => pointer.ElementType,
        _ => null,
    };

    private static TypeReference? ArrayElementOf(TypeReference type) =>
        StripModifiers(type) is ArrayType { IsVector: true } array ? array.ElementType : null;

    private Instruction Push(Instruction value)
    {
        stack.Add(value);
        return value;
    }

    private void Push(Value value) => stack.Add(value);

    private Value Pop()
    {
        if (stack.Count == 0)
            throw Unsupported(currentInstruction, "the evaluation stack is empty (invalid IL)");
        var value = stack[stack.Count - 1];
        stack.RemoveAt(stack.Count - 1);
        return ssa.Resolve(value);
    }

    /// <summary>The top <paramref name="count"/> values, deepest first (argument order).</summary>
    private List<Value> PopMany(int count)
    {
        var values = new List<Value>(count);
        for (var i = 0; i < count; i++)
            values.Add(Pop());
        values.Reverse();
        return values;
    }
}
