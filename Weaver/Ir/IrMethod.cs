using System.Collections.Generic;
using Mono.Cecil;

namespace Autodiff.Weaver.Ir;

/// <summary>A method body in SSA form. The first block is the entry.</summary>
public sealed class IrMethod
{
    private readonly Dictionary<(string, object?), Constant> constants = new();

    public IrMethod(ModuleDefinition module, string name, TypeReference returnType)
    {
        Module = module;
        Types = new IrTypes(module);
        Name = name;
        ReturnType = returnType;
    }

    /// <summary>Module whose metadata the IR's type and member references belong to.</summary>
    public ModuleDefinition Module { get; }

    public IrTypes Types { get; }

    public string Name { get; set; }

    public TypeReference ReturnType { get; set; }

    /// <summary>The method the body was lifted from, when it was.</summary>
    public MethodDefinition? Source { get; set; }

    public bool InitLocals { get; set; } = true;

    public List<Parameter> Parameters { get; } = new();

    public List<Block> Blocks { get; } = new();

    public Block Entry => Blocks[0];

    /// <summary>Every region, try regions before their handlers, inner before outer.</summary>
    public List<Region> Regions { get; } = new();

    public Parameter AddParameter(TypeReference type, string? name)
    {
        var parameter = new Parameter(type, Parameters.Count, name);
        Parameters.Add(parameter);
        return parameter;
    }

    public Block AddBlock(Region? region)
    {
        var block = new Block(this, region);
        Blocks.Add(block);
        return block;
    }

    public Region AddRegion(RegionKind kind, Region? parent)
    {
        var region = new Region(kind, parent);
        Regions.Add(region);
        return region;
    }

    public Constant Int32(int value) => Intern(Types.Int32, value);
    public Constant Int64(long value) => Intern(Types.Int64, value);
    public Constant Float32(float value) => Intern(Types.Single, value);
    public Constant Float64(double value) => Intern(Types.Double, value);
    public Constant String(string value) => Intern(Types.String, value);
    public Constant Null() => Intern(Types.Object, null);

    /// <summary>A bool-typed 0 or 1 (payload <c>int</c>, materialized like an int32 constant).</summary>
    public Constant Boolean(bool value) => Intern(Types.Boolean, value ? 1 : 0);

    /// <summary>A floating constant of the given floating type (float or double).</summary>
    public Constant Float(TypeReference type, double value) =>
        Types.KindOf(type) == StackKind.Float32 ? Float32((float)value) : Float64(value);

    private Constant Intern(TypeReference type, object? value)
    {
        // Keyed by bits so that 0.0 and -0.0 (and NaN payloads) stay distinct.
        object? key = value switch
        {
            double d => System.BitConverter.DoubleToInt64Bits(d),
            float f => System.BitConverter.DoubleToInt64Bits(f),
            _ => value,
        };
        if (!constants.TryGetValue((type.FullName, key), out var constant))
        {
            constant = new Constant(type, value);
            constants.Add((type.FullName, key), constant);
        }
        return constant;
    }
}
