using Mono.Cecil;
using Mono.Cecil.Cil;
using CilInstruction = Mono.Cecil.Cil.Instruction;

namespace Autodiff.Weaver.Frontend;

/// <summary>Decodes the short and macro forms of local and argument instructions (Cecil keeps them as written).</summary>
internal static class CilOperands
{
    /// <summary>The local accessed by ldloc/stloc/ldloca in any form, or -1.</summary>
    public static int LocalIndex(CilInstruction instruction) => instruction.OpCode.Code switch
    {
        Code.Ldloc_0 or Code.Stloc_0 => 0,
        Code.Ldloc_1 or Code.Stloc_1 => 1,
        Code.Ldloc_2 or Code.Stloc_2 => 2,
        Code.Ldloc_3 or Code.Stloc_3 => 3,
        Code.Ldloc or Code.Ldloc_S or Code.Stloc or Code.Stloc_S or Code.Ldloca or Code.Ldloca_S => ((VariableDefinition)instruction.Operand).Index,
        _ => -1,
    };

    /// <summary>The argument (IR parameter index, <c>this</c> = 0) accessed by ldarg/starg/ldarga in any form, or -1.</summary>
    public static int ArgumentIndex(CilInstruction instruction, MethodBody body) => instruction.OpCode.Code switch
    {
        Code.Ldarg_0 => 0,
        Code.Ldarg_1 => 1,
        Code.Ldarg_2 => 2,
        Code.Ldarg_3 => 3,
        Code.Ldarg or Code.Ldarg_S or Code.Starg or Code.Starg_S or Code.Ldarga or Code.Ldarga_S =>
            IndexOf((ParameterDefinition)instruction.Operand, body),
        _ => -1,
    };

    private static int IndexOf(ParameterDefinition parameter, MethodBody body)
    {
        if (ReferenceEquals(parameter, body.ThisParameter))
            return 0;
        return parameter.Index + (body.Method.HasThis ? 1 : 0);
    }
}
