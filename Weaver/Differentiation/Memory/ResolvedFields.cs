using Autodiff.Weaver.Analysis;
using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Memory;

/// <summary>
/// Field reads and addresses typed by the field's type with its declaring type's generic arguments substituted,
/// so that <c>ValueTuple&lt;double, double&gt;::Item1</c> reads a <c>double</c>, not <c>!0</c>.
/// </summary>
public static class ResolvedFields
{
    public static Instruction LoadResolvedField(this IrBuilder builder, Value instance, FieldReference field)
    {
        var read = builder.Emit(Opcode.LoadField, DifferentiableStruct.FieldType(field), instance);
        read.Member = field;
        return read;
    }

    public static Instruction ResolvedFieldAddress(this IrBuilder builder, Value instance, FieldReference field)
    {
        var address = builder.Emit(Opcode.FieldAddress, IrTypes.ByReference(DifferentiableStruct.FieldType(field)), instance);
        address.Member = field;
        return address;
    }
}
