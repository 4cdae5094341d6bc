using System.Collections.Generic;

namespace Autodiff.Weaver.Ir.Transforms;

/// <summary>
/// Copies every block, region and instruction of one method into another, remembering which copy each
/// value and block became (ILGPU's "rebuild into another method" idea). Derivatives start as such a copy
/// of their primal.
/// </summary>
public sealed class IrCloner
{
    private readonly Dictionary<Value, Value> values = new();
    private readonly Dictionary<Block, Block> blocks = new();
    private readonly Dictionary<Region, Region> regions = new();
    private readonly IrMethod target;

    private IrCloner(IrMethod target) => this.target = target;

    /// <summary>
    /// Appends a copy of <paramref name="source"/>'s body to <paramref name="target"/>. Each source parameter
    /// becomes the value <paramref name="parameters"/> maps it to; constants are re-interned in the target.
    /// </summary>
    public static IrCloner Clone(IrMethod source, IrMethod target, IReadOnlyDictionary<Parameter, Value> parameters)
    {
        var cloner = new IrCloner(target);
        foreach (var pair in parameters)
            cloner.values[pair.Key] = pair.Value;
        cloner.Run(source);
        return cloner;
    }

    public Value Map(Value value) => value switch
    {
        Constant constant => MapConstant(constant),
        _ => values.TryGetValue(value, out var copy) ? copy : throw new KeyNotFoundException("No copy of a value used by the source method."),
    };

    public Instruction Map(Instruction instruction) => (Instruction)Map((Value)instruction);

    public Block Map(Block block) => blocks[block];

    private void Run(IrMethod source)
    {
        foreach (var region in source.Regions)
            regions[region] = target.AddRegion(region.Kind, null);
        foreach (var block in source.Blocks)
            blocks[block] = target.AddBlock(block.Region == null ? null : regions[block.Region]);
        foreach (var region in source.Regions)
            CopyRegion(region, regions[region]);

        // Instructions are created without operands first, so that a use may precede its definition in
        // block order (phis, blocks not laid out in dominance order); operands are attached afterwards.
        var builder = new IrBuilder(target);
        var copies = new List<(Instruction Source, Instruction Copy)>();
        foreach (var block in source.Blocks)
        {
            builder.AtEnd(blocks[block]);
            foreach (var instruction in block.Instructions)
            {
                builder.DebugLocation = instruction.DebugLocation;
                var copy = builder.Emit(instruction.Opcode, instruction.Type);
                CopyPayload(instruction, copy);
                values[instruction] = copy;
                copies.Add((instruction, copy));
            }
        }
        foreach (var (original, copy) in copies)
        {
            var operands = new Value[original.Operands.Count];
            for (var i = 0; i < operands.Length; i++)
                operands[i] = Map(original.Operands[i]);
            copy.SetOperands(operands);
        }
    }

    private void CopyPayload(Instruction original, Instruction copy)
    {
        copy.Name = original.Name;
        copy.TypeOperand = original.TypeOperand;
        copy.Member = original.Member;
        copy.Signature = original.Signature;
        copy.Predicate = original.Predicate;
        copy.Flags = original.Flags;
        copy.Alignment = original.Alignment;
        var targets = new Block[original.Targets.Length];
        for (var i = 0; i < targets.Length; i++)
            targets[i] = blocks[original.Targets[i]];
        copy.Targets = targets;
    }

    private void CopyRegion(Region original, Region copy)
    {
        copy.Parent = original.Parent == null ? null : regions[original.Parent];
        copy.Entry = blocks[original.Entry];
        copy.Try = original.Try == null ? null : regions[original.Try];
        copy.CatchType = original.CatchType;
        copy.Filter = original.Filter == null ? null : regions[original.Filter];
        foreach (var handler in original.Handlers)
            copy.Handlers.Add(regions[handler]);
    }

    private Constant MapConstant(Constant constant) => constant.Payload switch
    {
        // Booleans are interned as int payloads under their own type.
        int b when constant.Type.MetadataType == Mono.Cecil.MetadataType.Boolean => target.Boolean(b != 0),
        int i => target.Int32(i),
        long l => target.Int64(l),
        float f => target.Float32(f),
        double d => target.Float64(d),
        string s => target.String(s),
        null => target.Null(),
        _ => throw new KeyNotFoundException("Constant of unexpected payload type " + constant.Payload.GetType().Name + "."),
    };
}
