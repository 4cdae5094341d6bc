using System;
using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Diagnostics;
using Autodiff.Weaver.Ir;
using Mono.Cecil;
using Mono.Cecil.Cil;
using CilInstruction = Mono.Cecil.Cil.Instruction;
using Instruction = Autodiff.Weaver.Ir.Instruction;

namespace Autodiff.Weaver.Backend;

/// <summary>
/// Builds the CIL body of one IR method (out of SSA, instruction selection, layout, exception table, locals);
/// the target method is left untouched until <see cref="MethodLowerer"/> installs the result.
/// </summary>
internal sealed class MethodBodyEmitter
{
    private readonly IrMethod ir;
    private readonly MethodDefinition target;
    private readonly ModuleDefinition module;
    private readonly MethodBody body;
    private readonly StackSchedule schedule;
    private readonly Dictionary<Block, LoweredBlock> lowered = new();
    private readonly Dictionary<(Block From, Block To), LoweredBlock> edgeBlocks = new();
    private readonly List<LoweredBlock> blocks = new();
    private readonly Dictionary<LoweredBlock, int> position = new();
    private readonly Dictionary<Instruction, VariableDefinition> registers = new();
    private readonly List<LocalAllocator.Register> registerList = new();
    private readonly Dictionary<Instruction, VariableDefinition> slots = new();
    private readonly Dictionary<Instruction, ParameterDefinition> argumentSlots = new();
    private readonly HashSet<Instruction> argumentSlotInitializers = new();
    private readonly List<LocalAllocator.Local> slotLocals = new();
    private readonly Dictionary<CilInstruction, SequencePoint?> locations = new();
    private readonly List<(CilInstruction Branch, LoweredBlock Target)> branchFixups = new();
    private readonly List<(CilInstruction Switch, LoweredBlock[] Targets)> switchFixups = new();
    private readonly List<(VariableDefinition Destination, VariableDefinition Source)> copies = new();
    private readonly HashSet<Block> exceptionEntries = new();
    private readonly Dictionary<Region, List<LoweredBlock>> leaveTargets = new();
    private readonly CilInstruction placeholder = CilInstruction.Create(OpCodes.Nop);
    private List<LoweredBlock> layout = new();
    private LoweredBlock current = null!;
    private SequencePoint? location;

    public MethodBodyEmitter(IrMethod ir, MethodDefinition target)
    {
        this.ir = ir;
        this.target = target;
        module = target.Module;
        body = new MethodBody(target);
        schedule = new StackSchedule(ir);
    }

    /// <summary>The finished body, the source location of each instruction, and every local with its debug name.</summary>
    public sealed record Result(MethodBody Body, IReadOnlyDictionary<CilInstruction, SequencePoint?> Locations, IReadOnlyList<LocalAllocator.Local> Locals);

    public Result Emit()
    {
        CheckParameters();
        BuildBlocks();
        layout = BlockLayout.Order(blocks, lowered[ir.Entry], lowered);
        for (var i = 0; i < layout.Count; i++)
            position.Add(layout[i], i);
        foreach (var block in layout)
        {
            current = block;
            if (block.Source != null)
                EmitBlock(block.Source);
            else
                EmitEdge(block);
        }

        // Allocation rewrites and drops instructions, so it runs before branch targets are resolved.
        var locals = LocalAllocator.Allocate(layout, registerList, FlowSuccessors, HandlerEntries, copies);
        var labels = ResolveLabels();
        foreach (var slot in slotLocals)
            body.Variables.Add(slot.Variable);
        foreach (var local in locals)
            body.Variables.Add(local.Variable);
        foreach (var block in layout)
        {
            foreach (var instruction in block.Code)
                body.Instructions.Add(instruction);
        }
        AddExceptionHandlers(labels);
        body.InitLocals = ir.InitLocals;
        return new Result(body, locations, slotLocals.Concat(locals).ToList());
    }

    private void CheckParameters()
    {
        var expected = target.Parameters.Count + (target.HasThis ? 1 : 0);
        if (ir.Parameters.Count != expected)
            throw Malformed($"The IR has {ir.Parameters.Count} parameters but {target.FullName} takes {expected}.");
    }

    private void BuildBlocks()
    {
        if (ir.Blocks.Count == 0)
            throw Malformed("The method has no blocks.");
        foreach (var region in ir.Regions)
        {
            if (region.Kind is RegionKind.Catch or RegionKind.FilteredCatch or RegionKind.Filter)
                exceptionEntries.Add(region.Entry);
        }
        foreach (var block in ir.Blocks)
        {
            if (block.Terminator == null)
                throw Malformed("A block does not end with a terminator.", block.Instructions.LastOrDefault()?.DebugLocation);
            if (block.Phis.Any() && (ReferenceEquals(block, ir.Entry) || exceptionEntries.Contains(block) || ir.Regions.Any(r => ReferenceEquals(r.Entry, block) && r.Kind != RegionKind.Try)))
                throw Malformed("A phi stands at the method entry or at a handler entry, where no edge can carry its copies.", block.Instructions[0].DebugLocation);
            foreach (var instruction in block.Instructions)
            {
                if (instruction.Opcode == Opcode.ExceptionObject && !(exceptionEntries.Contains(block) && ReferenceEquals(FirstNonPhi(block), instruction)))
                    throw Malformed("The caught exception is read somewhere other than the first instruction of a catch or filter.", instruction.DebugLocation);
            }
            var loweredBlock = new LoweredBlock(block);
            lowered.Add(block, loweredBlock);
            blocks.Add(loweredBlock);
        }
        FindArgumentSlots();
        foreach (var block in ir.Blocks)
        {
            foreach (var instruction in block.Instructions)
            {
                if (instruction.Opcode == Opcode.StackSlot && !argumentSlots.ContainsKey(instruction))
                    AddSlot(instruction);
            }
        }
        foreach (var block in ir.Blocks)
        {
            var terminator = block.Terminator!;
            foreach (var successor in terminator.Targets)
            {
                if (successor.Method != ir || !lowered.ContainsKey(successor))
                    throw Malformed("A branch targets a block that is not in the method.", terminator.DebugLocation);
                var key = (block, successor);
                if (!edgeBlocks.ContainsKey(key) && HasLivePhis(successor) && terminator.Opcode is not (Opcode.Branch or Opcode.Leave))
                {
                    // A critical edge: its copies need a block of their own.
                    var edge = new LoweredBlock(block, successor);
                    edge.Successors.Add(lowered[successor]);
                    edgeBlocks.Add(key, edge);
                    blocks.Add(edge);
                }
                var lowerdTarget = Target(block, successor);
                if (!lowered[block].Successors.Contains(lowerdTarget))
                    lowered[block].Successors.Add(lowerdTarget);
            }
        }
    }

    /// <summary>
    /// A slot whose first action is to take the value of an argument used nowhere else only mirrors that
    /// argument: it lives in the argument itself (ldarg/starg/ldarga), as the C# compiler would have written it.
    /// </summary>
    private void FindArgumentSlots()
    {
        foreach (var instruction in ir.Entry.Instructions)
        {
            if (instruction.Opcode is Opcode.Phi or Opcode.StackSlot)
                continue;
            if (!StackSchedule.IsSlotAccess(instruction) || instruction.Opcode != Opcode.Store
                || instruction.Operands[1] is not Parameter { Uses.Count: 1 } parameter
                || instruction.Operands[0] is not Instruction slot
                || (slot.Flags & InstructionFlags.Pinned) != 0 || argumentSlots.ContainsKey(slot)
                || target.HasThis && parameter.Index == 0
                || !IrTypes.AreSame(parameter.Type, slot.TypeOperand!))
            {
                return;
            }
            argumentSlots.Add(slot, Argument(parameter));
            argumentSlotInitializers.Add(instruction);
        }
    }

    private void AddSlot(Instruction slot)
    {
        var type = Import(slot.TypeOperand ?? throw Malformed("A stack slot has no type.", slot.DebugLocation));
        var variable = new VariableDefinition((slot.Flags & InstructionFlags.Pinned) != 0 ? new PinnedType(type) : type);
        slots.Add(slot, variable);
        slotLocals.Add(new LocalAllocator.Local(variable, slot.Name));
    }

    private static bool HasLivePhis(Block block) => block.Phis.Any(phi => phi.Uses.Count > 0);

    private static Instruction? FirstNonPhi(Block block) => block.Instructions.FirstOrDefault(i => i.Opcode != Opcode.Phi);

    private LoweredBlock Target(Block from, Block to) =>
        edgeBlocks.TryGetValue((from, to), out var edge) ? edge : lowered[to];

    private void EmitBlock(Block block)
    {
        location = block.Instructions[0].DebugLocation;
        if (exceptionEntries.Contains(block) && FirstNonPhi(block)?.Opcode != Opcode.ExceptionObject)
            Emit(OpCodes.Pop);
        foreach (var instruction in block.Instructions)
        {
            if (schedule.EmitsNothing(instruction) || schedule.IsFolded(instruction) || argumentSlotInitializers.Contains(instruction))
                continue;
            location = instruction.DebugLocation ?? location;
            if (instruction.IsTerminator)
            {
                EmitTerminator(block, instruction);
                continue;
            }
            EmitTree(instruction);
            if (instruction.Type.MetadataType == MetadataType.Void)
                continue;
            if (instruction.Uses.Count > 0)
                Emit(OpCodes.Stloc, Register(instruction));
            else
                Emit(OpCodes.Pop);
        }
    }

    private void EmitEdge(LoweredBlock edge)
    {
        var from = edge.EdgeFrom!;
        location = from.Terminator!.DebugLocation;
        EmitCopies(from, edge.EdgeTo!);
        FallOrBranch(lowered[edge.EdgeTo!]);
    }

    private void EmitTree(Instruction instruction)
    {
        EmitOperands(instruction);
        EmitOperation(instruction);
    }

    private void EmitOperands(Instruction instruction)
    {
        foreach (var operand in StackSchedule.PushedOperands(instruction, schedule))
        {
            if (operand is Instruction inner && schedule.IsFolded(inner))
            {
                var saved = location;
                location = inner.DebugLocation ?? saved;
                EmitTree(inner);
                location = saved;
            }
            else
            {
                EmitLoad(operand);
            }
        }
    }

    private void EmitLoad(Value value)
    {
        switch (value)
        {
            case Constant constant:
                EmitConstant(constant);
                break;
            case Parameter parameter:
                Emit(CilInstruction.Create(OpCodes.Ldarg, Argument(parameter)));
                break;
            case Instruction { Opcode: Opcode.StackSlot } slot:
                EmitSlot(slot, OpCodes.Ldloca, OpCodes.Ldarga);
                break;
            case Instruction instruction:
                Emit(OpCodes.Ldloc, Register(instruction));
                break;
        }
    }

    private void EmitConstant(Constant constant)
    {
        switch (constant.Payload)
        {
            case null:
                Emit(OpCodes.Ldnull);
                break;
            case int i:
                Emit(CilInstruction.Create(OpCodes.Ldc_I4, i));
                break;
            case bool b:
                Emit(CilInstruction.Create(OpCodes.Ldc_I4, b ? 1 : 0));
                break;
            case long l:
                Emit(CilInstruction.Create(OpCodes.Ldc_I8, l));
                break;
            case float f:
                Emit(CilInstruction.Create(OpCodes.Ldc_R4, f));
                break;
            case double d:
                Emit(CilInstruction.Create(OpCodes.Ldc_R8, d));
                break;
            case string s:
                Emit(CilInstruction.Create(OpCodes.Ldstr, s));
                break;
            default:
                throw new WeaverException(DiagnosticCode.UnsupportedForLowering, $"A constant of type {constant.Payload.GetType().Name} has no CIL form.");
        }
    }

    private ParameterDefinition Argument(Parameter parameter)
    {
        if (parameter.Index >= ir.Parameters.Count || !ReferenceEquals(ir.Parameters[parameter.Index], parameter))
            throw Malformed($"Parameter {parameter.Name ?? parameter.Index.ToString(System.Globalization.CultureInfo.InvariantCulture)} belongs to another method.");
        if (!target.HasThis)
            return target.Parameters[parameter.Index];
        return parameter.Index == 0 ? body.ThisParameter : target.Parameters[parameter.Index - 1];
    }

    private void EmitSlot(Instruction slot, OpCode onLocal, OpCode onArgument)
    {
        if (argumentSlots.TryGetValue(slot, out var argument))
            Emit(CilInstruction.Create(onArgument, argument));
        else if (slots.TryGetValue(slot, out var variable))
            Emit(onLocal, variable);
        else
            throw Malformed("A stack slot of another method is used.", location);
    }

    private VariableDefinition Register(Instruction value)
    {
        if (registers.TryGetValue(value, out var register))
            return register;
        if (value.Block?.Method != ir || schedule.IsFolded(value) || value.Opcode != Opcode.Phi && schedule.EmitsNothing(value))
            throw Malformed($"A value ({value.Info.Mnemonic}) is used where it is not available.", location);
        register = new VariableDefinition(Import(GenericSubstitution.ValueType(value)));
        registers.Add(value, register);
        registerList.Add(new LocalAllocator.Register(register, value.Name));
        return register;
    }

    private VariableDefinition NewTemporary(VariableDefinition like)
    {
        var temporary = new VariableDefinition(like.VariableType);
        registerList.Add(new LocalAllocator.Register(temporary, null));
        return temporary;
    }

    /// <summary>The phi copies of the edge <paramref name="from"/> → <paramref name="to"/>, sequentialized.</summary>
    private void EmitCopies(Block from, Block to)
    {
        var moves = new List<ParallelCopy.Move>();
        foreach (var phi in to.Phis)
        {
            if (phi.Uses.Count == 0)
                continue;
            var incoming = Array.IndexOf(phi.Targets, from);
            if (incoming < 0)
                throw Malformed("A phi has no incoming value for one of its predecessors.", phi.DebugLocation);
            var source = phi.Operands[incoming];
            var sourceVariable = source is Instruction { Opcode: not Opcode.StackSlot } instruction ? Register(instruction) : null;
            moves.Add(new ParallelCopy.Move(Register(phi), sourceVariable, source));
            if (sourceVariable != null)
                copies.Add((Register(phi), sourceVariable));
        }
        foreach (var move in ParallelCopy.Sequentialize(moves, NewTemporary))
        {
            if (move.SourceVariable != null)
                Emit(OpCodes.Ldloc, move.SourceVariable);
            else
                EmitLoad(move.Source!);
            Emit(OpCodes.Stloc, move.Destination);
        }
    }

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
        if (branch.Operands[0] is Instruction compare && schedule.IsFusedCompare(compare))
        {
            var floating = IsFloating(compare.Operands[0].Type) || IsFloating(compare.Operands[1].Type);
            var predicate = invert ? CilOpcodes.Negate(compare.Predicate, floating) : compare.Predicate;
            EmitBranch(CilOpcodes.BranchWhen(predicate), invert ? whenFalse : whenTrue);
        }
        else
        {
            EmitBranch(invert ? OpCodes.Brfalse : OpCodes.Brtrue, invert ? whenFalse : whenTrue);
        }
        if (!invert)
            FallOrBranch(whenFalse);
    }

    private bool IsNext(LoweredBlock block) => position[block] == position[current] + 1;

    private void FallOrBranch(LoweredBlock target)
    {
        if (!IsNext(target))
            EmitBranch(OpCodes.Br, target);
    }

    private void EmitBranch(OpCode opcode, LoweredBlock target)
    {
        var instruction = CilInstruction.Create(opcode, placeholder);
        branchFixups.Add((instruction, target));
        Emit(instruction);
    }

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

    /// <summary>For each layout position, the first instruction at or after it (null past the end).</summary>
    private CilInstruction?[] ResolveLabels()
    {
        var labels = new CilInstruction?[layout.Count + 1];
        for (var i = layout.Count - 1; i >= 0; i--)
            labels[i] = layout[i].Code.Count > 0 ? layout[i].Code[0] : labels[i + 1];
        foreach (var (branch, target) in branchFixups)
            branch.Operand = labels[position[target]] ?? throw Malformed("A branch targets the end of the method.");
        foreach (var (instruction, targets) in switchFixups)
        {
            var resolved = (CilInstruction[])instruction.Operand;
            for (var i = 0; i < targets.Length; i++)
                resolved[i] = labels[position[targets[i]]] ?? throw Malformed("A switch targets the end of the method.");
        }
        return labels;
    }

    private void AddExceptionHandlers(CilInstruction?[] labels)
    {
        var first = new Dictionary<Region, int>();
        var last = new Dictionary<Region, int>();
        for (var i = 0; i < layout.Count; i++)
        {
            for (var region = layout[i].Region; region != null; region = region.Parent)
            {
                if (!first.ContainsKey(region))
                    first.Add(region, i);
                last[region] = i;
            }
        }

        // Inner before outer (ECMA-335 §II.19): deeper regions first, ties in declaration order.
        var tries = ir.Regions.Where(r => r.Kind == RegionKind.Try).OrderByDescending(Depth).ToList();
        foreach (var tryRegion in tries)
        {
            if (!first.ContainsKey(tryRegion))
                throw Malformed("A try region has no blocks.");
            foreach (var handler in tryRegion.Handlers)
            {
                if (handler.Kind == RegionKind.Filter)
                    continue;
                if (!first.ContainsKey(handler) || handler.Filter != null && !first.ContainsKey(handler.Filter))
                    throw Malformed($"A {handler.Kind} region has no blocks.");
                var entry = new ExceptionHandler(handler.Kind switch
                {
                    RegionKind.Catch => ExceptionHandlerType.Catch,
                    RegionKind.FilteredCatch => ExceptionHandlerType.Filter,
                    RegionKind.Finally => ExceptionHandlerType.Finally,
                    _ => ExceptionHandlerType.Fault,
                })
                {
                    TryStart = labels[first[tryRegion]],
                    TryEnd = labels[last[tryRegion] + 1],
                    HandlerStart = labels[first[handler]],
                    HandlerEnd = labels[last[handler] + 1],
                };
                if (handler.Kind == RegionKind.Catch)
                    entry.CatchType = Import(handler.CatchType ?? throw Malformed("A catch region has no caught type."));
                if (handler.Filter != null)
                    entry.FilterStart = labels[first[handler.Filter]];
                body.ExceptionHandlers.Add(entry);
            }
        }
    }

    private static int Depth(Region region)
    {
        var depth = 0;
        for (var r = region.Parent; r != null; r = r.Parent)
            depth++;
        return depth;
    }

    /// <summary>Normal successors plus the implicit ones: endfinally to the try's leave targets, endfilter to its handler.</summary>
    private IReadOnlyList<LoweredBlock> FlowSuccessors(LoweredBlock block)
    {
        var terminator = block.Source?.Terminator;
        if (terminator?.Opcode == Opcode.EndFinally)
        {
            var handler = Enclosing(block.Region, RegionKind.Finally, RegionKind.Fault);
            return handler?.Try == null ? block.Successors : LeaveTargets(handler.Try);
        }
        if (terminator?.Opcode == Opcode.EndFilter)
        {
            var filter = Enclosing(block.Region, RegionKind.Filter);
            var handler = filter?.Try?.Handlers.FirstOrDefault(h => ReferenceEquals(h.Filter, filter));
            return handler == null ? block.Successors : new[] { lowered[handler.Entry] };
        }
        return block.Successors;
    }

    /// <summary>Entries of every handler (or its filter) that an exception raised in the block may reach.</summary>
    private IReadOnlyList<LoweredBlock> HandlerEntries(LoweredBlock block)
    {
        var entries = new List<LoweredBlock>();
        for (var region = block.Region; region != null; region = region.Parent)
        {
            if (region.Kind != RegionKind.Try)
                continue;
            foreach (var handler in region.Handlers)
            {
                if (handler.Kind != RegionKind.Filter)
                    entries.Add(lowered[handler.Filter?.Entry ?? handler.Entry]);
            }
        }
        return entries;
    }

    private List<LoweredBlock> LeaveTargets(Region tryRegion)
    {
        if (leaveTargets.TryGetValue(tryRegion, out var targets))
            return targets;
        targets = new List<LoweredBlock>();
        foreach (var block in ir.Blocks)
        {
            if (block.Terminator is { Opcode: Opcode.Leave } leave && tryRegion.Contains(block.Region) && !tryRegion.Contains(leave.Targets[0].Region))
            {
                var target = lowered[leave.Targets[0]];
                if (!targets.Contains(target))
                    targets.Add(target);
            }
        }
        leaveTargets.Add(tryRegion, targets);
        return targets;
    }

    private static Region? Enclosing(Region? region, params RegionKind[] kinds)
    {
        for (var r = region; r != null; r = r.Parent)
        {
            if (kinds.Contains(r.Kind))
                return r;
        }
        return null;
    }

    private static WeaverException Malformed(string message, SequencePoint? at = null) =>
        new(DiagnosticCode.MalformedIrForLowering, message, at);
}
