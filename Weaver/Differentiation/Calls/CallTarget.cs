using Autodiff.Weaver.Differentiation.Rules;
using Autodiff.Weaver.Frontend;
using Autodiff.Weaver.Ir;
using System.Linq;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Calls;

/// <summary>How a call site's target can be differentiated through its body.</summary>
public enum CallTargetKind
{
    /// <summary>A known method with IL in the user's module or a non-framework referenced assembly.</summary>
    Body,
    /// <summary>No IL body (extern, P/Invoke, InternalCall, abstract) or an assembly that cannot be found.</summary>
    NoBody,
    /// <summary>A virtual or interface call whose target is chosen at run time.</summary>
    Virtual,
    /// <summary>A generic method instantiation or a method of a generic type.</summary>
    Generic,
    /// <summary>The .NET framework: covered by the rule table or not at all.</summary>
    Framework,
}

/// <summary>
/// The method a call instruction reaches, resolved through Cecil, and whether its body can be lifted
/// (Enzyme differentiates whatever IR it can see; the weaver sees every assembly's IL but the framework's).
/// </summary>
public sealed class CallTarget
{
    private CallTarget(MethodReference reference, MethodDefinition? definition, CallTargetKind kind)
    {
        Reference = reference;
        Definition = definition;
        Kind = kind;
    }

    public MethodReference Reference { get; }

    /// <summary>A generic method instantiation of a non-generic type: differentiated as its monomorphized copy.</summary>
    public bool IsInstantiable => Kind == CallTargetKind.Generic && Reference is GenericInstanceMethod && !Definition!.DeclaringType.HasGenericParameters;

    public MethodDefinition? Definition { get; }

    /// <summary><c>[Checkpoint]</c> on the callee: reverse mode recomputes it in the reverse sweep instead of taping its internals.</summary>
    public bool IsCheckpointed =>
        Definition is { HasCustomAttributes: true } definition && definition.CustomAttributes.Any(a => a.AttributeType.FullName == "Autodiff.CheckpointAttribute");

    public CallTargetKind Kind { get; }

    /// <summary>The target of a call or callvirt instruction; null for other instructions.</summary>
    public static CallTarget? Of(Instruction instruction)
    {
        if (instruction.Opcode is not (Opcode.Call or Opcode.CallVirtual) || instruction.Member is not MethodReference reference)
            return null;
        var definition = Resolve(reference);
        return new CallTarget(reference, definition, KindOf(instruction, reference, definition));
    }

    private static CallTargetKind KindOf(Instruction instruction, MethodReference reference, MethodDefinition? definition)
    {
        if (definition == null)
            return CallTargetKind.NoBody;
        if (IsFramework(definition.Module))
            return CallTargetKind.Framework;
        // C# emits callvirt for every instance call; only a virtual target that a derived type may override is unknown.
        if (instruction.Opcode == Opcode.CallVirtual && definition.IsVirtual && !definition.IsFinal && !definition.DeclaringType.IsSealed)
            return CallTargetKind.Virtual;
        if (!definition.HasBody || definition.Body.Instructions.Count == 0)
            return CallTargetKind.NoBody;
        if (reference is GenericInstanceMethod || definition.HasGenericParameters || definition.DeclaringType.HasGenericParameters)
            return CallTargetKind.Generic;
        return CallTargetKind.Body;
    }

    /// <summary>Assemblies of the .NET runtime and reference packs, whose IL is not lifted.</summary>
    public static bool IsFramework(ModuleDefinition module)
    {
        var name = module.Assembly?.Name.Name ?? module.Name;
        return name is "mscorlib" or "netstandard" or "System" || name.StartsWith("System.", System.StringComparison.Ordinal) || name.StartsWith("Microsoft.", System.StringComparison.Ordinal);
    }

    /// <summary>
    /// Whether the argument at <paramref name="operand"/> (<c>this</c> first for instance methods) carries a
    /// derivative into the callee: a float or double parameter not marked <c>[Inactive]</c>.
    /// </summary>
    public bool IsDifferentiableOperand(int operand)
    {
        var index = operand - (Reference.HasThis ? 1 : 0);
        if (index < 0 || !IsFloating(GenericSubstitution.Resolve(Reference.Parameters[index].ParameterType, Reference)))
            return false;
        return Definition == null || !InactiveAnnotation.IsInactive(Definition.Parameters[index]);
    }

    public static bool IsFloating(TypeReference type) => type.MetadataType is MetadataType.Double or MetadataType.Single;

    public int OperandCount => Reference.Parameters.Count + (Reference.HasThis ? 1 : 0);

    public string Name => $"{Reference.DeclaringType.FullName}.{Reference.Name}";

    // A callee whose assembly cannot be found has no body the weaver could see.
    internal static MethodDefinition? Resolve(MethodReference reference)
    {
        try
        {
            return reference.Resolve();
        }
        catch (AssemblyResolutionException)
        {
            return null;
        }
    }
}
