using System.Globalization;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Autodiff.Weaver.Optimization;

/// <summary>
/// The sizes above which the .NET JIT compiles a method without optimizations (MinOpts: no register allocation
/// across statements, no bounds-check elimination — several times slower), checked on a lowered derivative.
/// Vector mode multiplies a derivative's size by its width: the Hand Jacobian at width 26 is 64,873 bytes of
/// CIL and ran 3× slower than at width 9. The limits are RyuJIT's DEFAULT_MIN_OPTS_* (compiler.h); the JIT
/// counts IL instructions and every load, store or address of a local or argument as it imports the method.
/// </summary>
public static class JitOptimizationLimits
{
    private const int CodeSize = 60_000;
    private const int InstructionCount = 20_000;
    private const int LocalCount = 2_000;
    private const int LocalReferenceCount = 8_000;

    /// <summary>
    /// Which limit <paramref name="method"/>'s body passes, as a phrase such as "64,873 bytes of CIL (the limit is
    /// 60,000)"; null when it stays within all of them.
    /// </summary>
    public static string? Exceeded(MethodDefinition method)
    {
        if (!method.HasBody)
            return null;
        var body = method.Body;
        var size = 0;
        var references = 0;
        foreach (var instruction in body.Instructions)
        {
            size += instruction.GetSize();
            if (ReferencesLocalOrArgument(instruction.OpCode.Code))
                references++;
        }
        var locals = body.Variables.Count + method.Parameters.Count + (method.HasThis ? 1 : 0);
        if (size > CodeSize)
            return Phrase(size, "bytes of CIL", CodeSize);
        if (body.Instructions.Count > InstructionCount)
            return Phrase(body.Instructions.Count, "CIL instructions", InstructionCount);
        if (locals > LocalCount)
            return Phrase(locals, "locals and parameters", LocalCount);
        if (references > LocalReferenceCount)
            return Phrase(references, "loads and stores of locals and arguments", LocalReferenceCount);
        return null;
    }

    private static string Phrase(int count, string what, int limit) =>
        string.Format(CultureInfo.InvariantCulture, "{0:N0} {1} (the JIT's limit is {2:N0})", count, what, limit);

    private static bool ReferencesLocalOrArgument(Code code) => code switch
    {
        Code.Ldloc_0 or Code.Ldloc_1 or Code.Ldloc_2 or Code.Ldloc_3 or Code.Ldloc_S or Code.Ldloc
            or Code.Stloc_0 or Code.Stloc_1 or Code.Stloc_2 or Code.Stloc_3 or Code.Stloc_S or Code.Stloc
            or Code.Ldloca_S or Code.Ldloca
            or Code.Ldarg_0 or Code.Ldarg_1 or Code.Ldarg_2 or Code.Ldarg_3 or Code.Ldarg_S or Code.Ldarg
            or Code.Starg_S or Code.Starg or Code.Ldarga_S or Code.Ldarga => true,
        _ => false,
    };
}
