using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Analysis;
using Autodiff.Weaver.Frontend;
using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Memory;

/// <summary>
/// What a constructor of a differentiable struct does, as field assignments from its arguments, so that
/// <c>new P(x, y)</c> becomes stores of <c>x</c> and <c>y</c> into the fields its derivative can follow.
/// Known: the BCL's field-wise constructors (<c>Vector2/3/4</c>, <c>ValueTuple</c>), whose bodies the
/// weaver may not see, and constructors with IL that only assign parameters to fields of <c>this</c>.
/// </summary>
public static class StructConstructors
{
    private static readonly HashSet<string> FieldWise = new()
    {
        "System.Numerics.Vector2", "System.Numerics.Vector3", "System.Numerics.Vector4",
        "System.ValueTuple`2", "System.ValueTuple`3", "System.ValueTuple`4", "System.ValueTuple`5", "System.ValueTuple`6", "System.ValueTuple`7",
    };

    /// <summary>
    /// The field each argument (after <c>this</c>) is assigned to, one per argument, or null when the constructor
    /// is not known to be a plain field-wise one.
    /// </summary>
    public static IReadOnlyList<FieldReference>? Assignments(MethodReference constructor)
    {
        var type = constructor.DeclaringType;
        var fields = DifferentiableStruct.InstanceFields(type);
        if (FieldWise.Contains(OpenName(type)))
        {
            var sameShape = constructor.Parameters.Count == fields.Count
                && constructor.Parameters.Select((p, i) => p.ParameterType.IsGenericParameter || p.ParameterType.FullName == DifferentiableStruct.FieldType(fields[i]).FullName).All(same => same);
            return sameShape ? fields : null;
        }
        return constructor.Resolve() is { HasBody: true } definition && ReferenceEquals(definition.Module, type.Module) ? FromBody(definition, fields) : null;
    }

    private static string OpenName(TypeReference type) => (type is GenericInstanceType instance ? instance.ElementType : type).FullName;

    /// <summary>A one-block body of <c>this.F = parameter;</c> statements that assigns every field exactly once.</summary>
    private static IReadOnlyList<FieldReference>? FromBody(MethodDefinition constructor, IReadOnlyList<FieldReference> fields)
    {
        IrMethod body;
        try
        {
            body = MethodLifter.Lift(constructor);
        }
        catch (Diagnostics.WeaverException)
        {
            return null;
        }
        if (body.Blocks.Count != 1)
            return null;
        var assigned = new FieldReference?[constructor.Parameters.Count];
        foreach (var instruction in body.Entry.Instructions)
        {
            if (instruction.Opcode == Opcode.Return)
                continue;
            if (instruction.Opcode != Opcode.StoreField || instruction.Operands[0] != body.Parameters[0]
                || instruction.Operands[1] is not Parameter { Index: > 0 } argument || assigned[argument.Index - 1] != null)
                return null;
            assigned[argument.Index - 1] = fields.FirstOrDefault(f => f.Name == instruction.Member!.Name);
        }
        return assigned.All(f => f != null) && assigned.Select(f => f!.Name).Distinct().Count() == fields.Count ? assigned.Select(f => f!).ToList() : null;
    }
}
