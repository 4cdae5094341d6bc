using System.Collections.Generic;
using Autodiff.Weaver.Differentiation.Rules;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Autodiff.Weaver.Differentiation.Calls;

/// <summary>
/// Whether a callee has effects beyond its result: a write to memory that outlives it (a field, a static, an
/// array, a reference), or a call to a framework method outside the pure math types. Where a derivative runs the
/// callee again — forward partials beside the primal call, a <c>[Checkpoint]</c> callee's reverse — it is exact only
/// for callees without such effects; other callees run once (<see cref="CallTangents"/>, <see cref="SplitCalls"/>).
/// </summary>
public static class CalleeEffects
{
    private static readonly HashSet<string> PureFrameworkTypes = new()
    {
        "System.Math", "System.MathF", "System.Double", "System.Single", "System.Int32", "System.Int64", "System.BitConverter",
    };

    /// <summary>The first effect found in <paramref name="callee"/> or what it calls, described for a diagnostic; null when there is none.</summary>
    /// <param name="ownArrays">
    /// Whether every array the callee can reach is one it allocates (it takes no references and reads no static
    /// references; a woven derivative's cursor tapes): its stores into array elements are then not effects.
    /// </param>
    public static string? FirstEffect(MethodDefinition callee, bool ownArrays = false) => FirstEffect(callee, new HashSet<MethodDefinition>(), ownArrays);

    private static string? FirstEffect(MethodDefinition method, HashSet<MethodDefinition> visited, bool ownArrays)
    {
        if (!visited.Add(method) || !method.HasBody)
            return null;
        foreach (var instruction in method.Body.Instructions)
        {
            if (ownArrays ? WritesMemoryBesidesOwnArrays(method, instruction) : WritesMemory(method, instruction))
                return $"{method.DeclaringType.FullName}.{method.Name} writes memory ({instruction.OpCode.Name})";
            if (instruction.OpCode.Code is Code.Call or Code.Callvirt or Code.Newobj && instruction.Operand is MethodReference called
                && CalledEffect(called, visited, ownArrays) is { } effect)
                return effect;
        }
        return null;
    }

    // Element stores go to arrays the call allocated; reading a static reference could reach one it did not.
    private static bool WritesMemoryBesidesOwnArrays(MethodDefinition method, Instruction instruction) =>
        instruction.OpCode.Code is Code.Ldsfld or Code.Ldsflda && instruction.Operand is FieldReference { FieldType.IsValueType: false }
        || !IsElementStore(instruction.OpCode.Code) && WritesMemory(method, instruction);

    private static bool IsElementStore(Code code) =>
        code is Code.Stelem_Any or Code.Stelem_I or Code.Stelem_I1 or Code.Stelem_I2 or Code.Stelem_I4 or Code.Stelem_I8 or Code.Stelem_R4 or Code.Stelem_R8 or Code.Stelem_Ref;

    private static string? CalledEffect(MethodReference called, HashSet<MethodDefinition> visited, bool ownArrays)
    {
        if (InactiveAnnotation.IsInactive(called))
            return null;
        // A woven derivative's tapes are its own scratch storage, rented and returned within the call (higher order).
        if (called.DeclaringType.GetElementType().FullName == "Autodiff.Runtime.Tape`1")
            return null;
        // Generic math's static abstract members (INumber<T>.op_Multiply, …) compute values only.
        if (PureFrameworkTypes.Contains(called.DeclaringType.FullName) || called.DeclaringType.Namespace == "System.Numerics" && !called.HasThis)
            return null;
        var definition = CallTarget.Resolve(called);
        if (definition == null || CallTarget.IsFramework(definition.Module) || !definition.HasBody)
            return $"it calls {called.DeclaringType.FullName}.{called.Name}, whose effects the weaver cannot see";
        return FirstEffect(definition, visited, ownArrays);
    }

    // Stores into the method's own locals are not effects: a struct local is initialized through its address
    // (ldloca; initobj/stfld/call), and a constructor fills the object it creates (ldarg.0; …; stfld).
    private static bool WritesMemory(MethodDefinition method, Instruction instruction) => instruction.OpCode.Code switch
    {
        Code.Stsfld or Code.Stelem_Any or Code.Stelem_I or Code.Stelem_I1 or Code.Stelem_I2 or Code.Stelem_I4 or Code.Stelem_I8
            or Code.Stelem_R4 or Code.Stelem_R8 or Code.Stelem_Ref or Code.Stind_I or Code.Stind_I1 or Code.Stind_I2 or Code.Stind_I4
            or Code.Stind_I8 or Code.Stind_R4 or Code.Stind_R8 or Code.Stind_Ref or Code.Stobj or Code.Cpobj or Code.Cpblk or Code.Initblk => true,
        Code.Stfld => !(method.IsConstructor && StoresIntoThis(instruction)) && !StoresIntoLocal(instruction),
        Code.Initobj => instruction.Previous?.OpCode.Code is not (Code.Ldloca or Code.Ldloca_S),
        _ => false,
    };

    // ldarg.0 <one value-producing instruction> stfld: the common shape of a constructor's field initializer.
    private static bool StoresIntoThis(Instruction store) =>
        store.Previous?.Previous?.OpCode.Code == Code.Ldarg_0;

    private static bool StoresIntoLocal(Instruction store) =>
        store.Previous?.Previous?.OpCode.Code is Code.Ldloca or Code.Ldloca_S;
}
