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
internal sealed partial class MethodBodyEmitter
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
    private readonly Dictionary<Parameter, VariableDefinition> argumentRegisters = new();
    private readonly List<LocalAllocator.Register> registerList = new();
    private readonly Dictionary<Instruction, VariableDefinition> slots = new();
    private readonly Dictionary<Instruction, ParameterDefinition> argumentSlots = new();
    private readonly HashSet<Instruction> argumentSlotInitializers = new();
    private readonly List<LocalAllocator.Local> slotLocals = new();
    private readonly Dictionary<CilInstruction, SequencePoint?> locations = new();
    private readonly List<(CilInstruction Branch, LoweredBlock Target)> branchFixups = new();
    private readonly List<(CilInstruction Switch, LoweredBlock[] Targets)> switchFixups = new();
    private readonly Dictionary<CilInstruction, OpCode> inverseBranches = new();
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
        AddArgumentRegisters();
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
        AddExceptionHandlers(labels);
        var code = layout.SelectMany(block => block.Code).ToList();
        BranchCleanup.Run(code, inverseBranches, body.ExceptionHandlers);
        foreach (var instruction in code)
            body.Instructions.Add(instruction);
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
                var loweredTarget = Target(block, successor);
                if (!lowered[block].Successors.Contains(loweredTarget))
                    lowered[block].Successors.Add(loweredTarget);
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

    /// <summary>
    /// Arguments read as values become registers defined on entry and stored in the argument itself, so a phi
    /// that starts from an argument (a reassigned parameter) can live there too, as <c>starg</c> in C# code.
    /// <c>this</c> and arguments mirrored by a slot keep their plain ldarg, and so does every argument of a method
    /// ending in jmp, which passes the arguments on as they are.
    /// </summary>
    private void AddArgumentRegisters()
    {
        if (ir.Blocks.Any(b => b.Terminator?.Opcode == Opcode.Jump))
            return;
        foreach (var parameter in ir.Parameters)
        {
            if (target.HasThis && parameter.Index == 0 || parameter.Uses.Count == 0 || parameter.Uses.Any(u => argumentSlotInitializers.Contains(u.User)))
                continue;
            var register = new VariableDefinition(Import(parameter.Type));
            argumentRegisters.Add(parameter, register);
            registerList.Add(new LocalAllocator.Register(register, parameter.Name, Argument(parameter)));
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
            case Parameter parameter when argumentRegisters.TryGetValue(parameter, out var register):
                Emit(OpCodes.Ldloc, register);
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
            var sourceVariable = source switch
            {
                Instruction { Opcode: not Opcode.StackSlot } instruction => Register(instruction),
                Parameter parameter when argumentRegisters.TryGetValue(parameter, out var argument) => argument,
                _ => null,
            };
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

    private static WeaverException Malformed(string message, SequencePoint? at = null) =>
        new(DiagnosticCode.MalformedIrForLowering, message, at);
}
