using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Autodiff.Weaver.Diagnostics;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Ir.Construction;
using Mono.Cecil;
using Mono.Cecil.Cil;
using CilInstruction = Mono.Cecil.Cil.Instruction;
using Instruction = Autodiff.Weaver.Ir.Instruction;

namespace Autodiff.Weaver.Frontend;

/// <summary>
/// Lifts a CIL method body into SSA IR. Locals and arguments become SSA values (Braun et al., CC 2013)
/// unless their address is taken, they are pinned, or they are used in more than one exception region;
/// those live in stack slots. The evaluation stack is empty at region boundaries (ECMA-335 §I.12.4.2.8),
/// so only locals cross them. Values left on the stack across a branch become SSA variables too.
/// </summary>
public sealed partial class MethodLifter
{
    private readonly MethodDefinition source;
    private readonly MethodBody body;
    private readonly IrMethod method;
    private readonly IrBuilder builder;
    private readonly IrTypes types;
    private readonly CilTypes cilTypes;
    private readonly CilControlFlow flow;
    private readonly SequencePointMap sequencePoints;
    private readonly SsaConstruction<CilVariable> ssa;
    private readonly Dictionary<CilRange, Region> regions = new();
    private readonly Dictionary<Block, IReadOnlyList<Block>> predecessors = new();
    private readonly Dictionary<int, Instruction> localSlots = new();
    private readonly Dictionary<int, Instruction> argumentSlots = new();
    private readonly HashSet<int> variableArguments = new();
    private readonly Dictionary<CilVariable, Value> undefinedValues = new();
    private readonly Dictionary<CilBlock, int> entryDepths = new();
    private readonly List<Value> stack = new();
    private Block entry = null!;
    private Block currentBlock = null!;
    private CilInstruction currentInstruction = null!;

    private MethodLifter(MethodDefinition source)
    {
        this.source = source;
        body = source.Body;
        method = new IrMethod(source.Module, source.DeclaringType.FullName + "::" + source.Name, StripModifiers(source.ReturnType))
        {
            Source = source,
            InitLocals = body.InitLocals,
        };
        builder = new IrBuilder(method);
        types = method.Types;
        cilTypes = new CilTypes(source.Module);
        flow = CilControlFlow.Build(body);
        sequencePoints = new SequencePointMap(source);
        ssa = new SsaConstruction<CilVariable>(method, b => predecessors[b], TypeOfVariable, Undefined, NameOfVariable);
    }

    /// <summary>Lifts <paramref name="method"/>; throws <see cref="WeaverException"/> for what cannot be lifted.</summary>
    public static IrMethod Lift(MethodDefinition method)
    {
        if (!method.HasBody || method.Body.Instructions.Count == 0)
        {
            throw new WeaverException(
                DiagnosticCode.MissingBody,
                $"{method.DeclaringType.FullName}::{method.Name} has no IL body to lift (abstract, extern or runtime-implemented).");
        }
        try
        {
            return new MethodLifter(method).Run();
        }
        catch (Exception e) when (e is not WeaverException)
        {
            throw new WeaverException(
                DiagnosticCode.InternalError,
                $"Lifting {method.DeclaringType.FullName}::{method.Name} failed: {e.GetType().Name}: {e.Message}");
        }
    }

    private IrMethod Run()
    {
        AddParameters();
        CreateRegionsAndBlocks();
        var variables = LocalPlacement.Analyze(body, flow);

        // Braun et al. §2.3: a block is sealed once all its predecessors are filled.
        var remainingPredecessors = predecessors.ToDictionary(p => p.Key, p => p.Value.Count);
        var successorsForSealing = predecessors.Keys.ToDictionary(b => b, _ => new List<Block>());
        foreach (var pair in predecessors)
        {
            foreach (var predecessor in pair.Value)
                successorsForSealing[predecessor].Add(pair.Key);
        }
        foreach (var pair in remainingPredecessors.Where(p => p.Value == 0))
            ssa.SealBlock(pair.Key);

        var first = flow.Blocks[0].Target!;
        var fillOrder = flow.ReversePostorder.Select(b => (CilBlock?)b).ToList();
        if (!ReferenceEquals(entry, first))
            fillOrder.Insert(0, null);
        foreach (var cilBlock in fillOrder)
        {
            currentBlock = cilBlock?.Target ?? entry;
            builder.AtEnd(currentBlock);
            if (ReferenceEquals(currentBlock, entry))
                InitializeEntry(variables);
            if (cilBlock == null)
                FinishBlock(first, flow.Blocks[0]);
            else
                LiftBlock(cilBlock);

            foreach (var successor in successorsForSealing[currentBlock])
            {
                if (--remainingPredecessors[successor] == 0)
                    ssa.SealBlock(successor);
            }
        }
        return method;
    }

    private void AddParameters()
    {
        if (source.HasThis)
        {
            TypeReference thisType = source.DeclaringType;
            if (thisType.HasGenericParameters)
            {
                var instance = new GenericInstanceType(thisType);
                foreach (var parameter in thisType.GenericParameters)
                    instance.GenericArguments.Add(parameter);
                thisType = instance;
            }
            if (source.DeclaringType.IsValueType)
                thisType = new ByReferenceType(thisType);
            method.AddParameter(thisType, "this");
        }
        foreach (var parameter in source.Parameters)
            method.AddParameter(parameter.ParameterType, parameter.Name is { Length: > 0 } name ? name : null);
    }

    private void CreateRegionsAndBlocks()
    {
        var first = flow.Blocks[0];
        if (first.Predecessors.Count > 0 || first.Range != null)
            entry = method.AddBlock(null);

        var reachableRanges = flow.Ranges.Where(r => flow.EntryOf(r).IsReachable).ToList();
        foreach (var range in reachableRanges)
        {
            var region = method.AddRegion(range.Kind, null);
            region.CatchType = range.Kind == RegionKind.Catch ? range.Handler!.CatchType : null;
            regions.Add(range, region);
        }
        foreach (var range in reachableRanges)
        {
            var region = regions[range];
            region.Parent = range.Parent == null ? null : regions[range.Parent];
            region.Try = range.Try == null ? null : regions[range.Try];
            region.Filter = range.Filter == null ? null : regions[range.Filter];
            if (range.Try != null && range.Kind != RegionKind.Filter)
                regions[range.Try].Handlers.Add(region);
        }

        foreach (var block in flow.Blocks.Where(b => b.IsReachable))
        {
            block.Target = method.AddBlock(block.Range == null ? null : regions[block.Range]);
            predecessors[block.Target] = new List<Block>();
        }
        entry ??= first.Target!;
        if (!ReferenceEquals(entry, first.Target))
        {
            predecessors[entry] = Array.Empty<Block>();
            ((List<Block>)predecessors[first.Target!]).Add(entry);
        }
        foreach (var block in flow.Blocks.Where(b => b.IsReachable))
            ((List<Block>)predecessors[block.Target!]).AddRange(block.Predecessors.Select(p => p.Target!));
        foreach (var range in reachableRanges)
            regions[range].Entry = flow.EntryOf(range).Target!;

        // A handler or filter has no normal predecessor. The SSA variables that flow through it are not
        // written in its try (those would be used in two regions and live in slots), so they hold what they
        // held when the try was entered: the try entry stands in as the handler's only predecessor.
        foreach (var range in reachableRanges.Where(r => r.Try != null))
            predecessors[regions[range].Entry] = new[] { regions[range.Try!].Entry };
    }

    /// <summary>Stack slots for address-taken or region-crossing locals and arguments, and the arguments' initial values.</summary>
    private void InitializeEntry(LocalPlacement placement)
    {
        builder.DebugLocation = null;
        for (var i = 0; i < method.Parameters.Count; i++)
        {
            var parameter = method.Parameters[i];
            if (placement.SlotArguments.Contains(i))
            {
                var slot = builder.StackSlot(parameter.Type, parameter.Name);
                argumentSlots.Add(i, slot);
                builder.Store(slot, parameter, parameter.Type);
            }
            else if (placement.WrittenArguments.Contains(i))
            {
                variableArguments.Add(i);
                ssa.WriteVariable(new CilVariable(CilVariableKind.Argument, i), entry, parameter);
            }
        }
        foreach (var variable in body.Variables.Where(v => placement.SlotLocals.Contains(v.Index)))
            localSlots.Add(variable.Index, builder.StackSlot(LocalType(variable), LocalName(variable), variable.IsPinned));
    }

    private void LiftBlock(CilBlock cilBlock)
    {
        stack.Clear();
        var handler = flow.Ranges.FirstOrDefault(r => r.Kind != RegionKind.Try && r.Start == cilBlock.First.Offset);
        if (handler != null)
        {
            if (handler.Kind is RegionKind.Catch or RegionKind.Filter or RegionKind.FilteredCatch)
            {
                builder.DebugLocation = null;
                var exceptionType = handler.Kind == RegionKind.Catch ? handler.Handler!.CatchType : types.Object;
                stack.Add(builder.Emit(Opcode.ExceptionObject, exceptionType));
            }
        }
        else if (!ReferenceEquals(cilBlock, flow.Blocks[0]) || !ReferenceEquals(entry, cilBlock.Target))
        {
            if (!entryDepths.TryGetValue(cilBlock, out var depth))
            {
                throw Unsupported(cilBlock.First, "the block is reached only through a back edge (irreducible control flow)");
            }
            for (var i = 0; i < depth; i++)
                stack.Add(ssa.ReadVariable(new CilVariable(CilVariableKind.Stack, i), currentBlock));
        }

        foreach (var instruction in cilBlock.Instructions)
        {
            currentInstruction = instruction;
            builder.DebugLocation = sequencePoints.At(instruction.Offset);
            try
            {
                LiftInstruction(instruction);
            }
            catch (Exception e) when (e is not WeaverException)
            {
                throw new WeaverException(
                    DiagnosticCode.InternalError,
                    $"Lifting {instruction.OpCode.Name} at {Label(instruction)} in {method.Name} failed: {e.Message}",
                    builder.DebugLocation);
            }
        }
        if (currentBlock.Terminator == null)
            FinishBlock(flow.BlockAt(cilBlock.Last.Next).Target!, flow.BlockAt(cilBlock.Last.Next));
    }

    /// <summary>Falls through to <paramref name="next"/>: the block ends with a branch there.</summary>
    private void FinishBlock(Block next, CilBlock nextCil)
    {
        FlushStack();
        RecordEntryDepth(nextCil);
        builder.Branch(next);
    }

    /// <summary>Hands the values still on the stack to the successors as SSA variables.</summary>
    private void FlushStack()
    {
        for (var i = 0; i < stack.Count; i++)
            ssa.WriteVariable(new CilVariable(CilVariableKind.Stack, i), currentBlock, ssa.Resolve(stack[i]));
    }

    private void RecordEntryDepth(CilBlock successor)
    {
        var depth = stack.Count;
        if (entryDepths.TryGetValue(successor, out var known) && known != depth)
            throw Unsupported(successor.First, $"the evaluation stack has depth {known} on one path and {depth} on another");
        entryDepths[successor] = depth;
    }

    private string? NameOfVariable(CilVariable variable) => variable.Kind switch
    {
        CilVariableKind.Local => LocalName(body.Variables[variable.Index]),
        CilVariableKind.Argument => method.Parameters[variable.Index].Name,
        _ => null,
    };

    private TypeReference? TypeOfVariable(CilVariable variable) => variable.Kind switch
    {
        CilVariableKind.Local => LocalType(body.Variables[variable.Index]),
        CilVariableKind.Argument => method.Parameters[variable.Index].Type,
        _ => null,
    };

    /// <summary>
    /// A local read before any write: CIL locals start zeroed (the C# compiler always sets localsinit or
    /// writes first). Primitive zeros are constants; other types load a fresh zero-initialized slot.
    /// </summary>
    private Value Undefined(CilVariable variable)
    {
        if (undefinedValues.TryGetValue(variable, out var known))
            return known;
        if (variable.Kind != CilVariableKind.Local)
            throw Unsupported(currentInstruction, "a stack value or argument is read where no definition reaches");
        var type = LocalType(body.Variables[variable.Index]);
        Value value = types.KindOf(type) switch
        {
            StackKind.Int32 when type.MetadataType == MetadataType.Boolean => method.Boolean(false),
            StackKind.Int32 => method.Int32(0),
            StackKind.Int64 => method.Int64(0),
            StackKind.Float32 => method.Float32(0),
            StackKind.Float64 => method.Float64(0),
            StackKind.Reference => method.Null(),
            _ => LoadZero(type),
        };
        undefinedValues.Add(variable, value);
        return value;
    }

    private Value LoadZero(TypeReference type)
    {
        var zeroBuilder = new IrBuilder(method);
        var slot = zeroBuilder.StackSlot(type, null);
        var firstOther = entry.Instructions.FirstOrDefault(i => i.Opcode is not (Opcode.Phi or Opcode.StackSlot));
        if (firstOther != null)
            zeroBuilder.Before(firstOther);
        else
            zeroBuilder.AtEnd(entry);
        return zeroBuilder.Load(slot, type);
    }

    private static TypeReference LocalType(VariableDefinition variable) => StripModifiers(variable.VariableType);

    private static TypeReference StripModifiers(TypeReference type) => type switch
    {
        PinnedType pinned => StripModifiers(pinned.ElementType),
        RequiredModifierType modified => StripModifiers(modified.ElementType),
        OptionalModifierType modified => StripModifiers(modified.ElementType),
        _ => type,
    };

    private string? LocalName(VariableDefinition variable) =>
        source.DebugInformation != null && source.DebugInformation.TryGetName(variable, out var name) ? name : null;

    private static string Label(CilInstruction instruction) => "IL_" + instruction.Offset.ToString("x4", CultureInfo.InvariantCulture);

    private WeaverException Unsupported(CilInstruction instruction, string why) =>
        new(
            DiagnosticCode.UnsupportedInstruction,
            $"{instruction.OpCode.Name} at {Label(instruction)} in {method.Name} is not supported: {why}",
            sequencePoints.At(instruction.Offset));
}
