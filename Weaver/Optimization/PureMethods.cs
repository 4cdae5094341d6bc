using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Optimization;

/// <summary>
/// Calls that may be treated like arithmetic: no side effects and no exception. Kept deliberately small:
/// the <c>System.Math</c> and <c>System.MathF</c> functions whose parameters and result are all floating
/// (Sin, Exp, Pow, Max, Abs(double), …) are IEEE functions that never throw. Overloads taking or returning
/// integers are excluded on purpose: <c>Math.Abs(int.MinValue)</c> and <c>Math.Sign(double.NaN)</c> throw,
/// <c>Math.Round(double, int)</c> validates its digits; so is <c>Math.Clamp</c>, which checks its bounds.
/// </summary>
internal static class PureMethods
{
    public static bool IsPureCall(Instruction instruction) =>
        instruction.Opcode == Opcode.Call && instruction.Member is MethodReference method && IsPure(method);

    public static bool IsPure(MethodReference method)
    {
        // Math.Clamp(value, min, max) throws ArgumentException when min > max.
        if (method.HasThis || method.DeclaringType.FullName is not ("System.Math" or "System.MathF") || method.Name == "Clamp")
            return false;
        if (!IsFloating(method.ReturnType))
            return false;
        foreach (var parameter in method.Parameters)
        {
            if (!IsFloating(parameter.ParameterType))
                return false;
        }
        return true;
    }

    private static bool IsFloating(TypeReference type) => type.MetadataType is MetadataType.Double or MetadataType.Single;
}
