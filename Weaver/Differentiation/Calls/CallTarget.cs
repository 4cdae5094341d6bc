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

    /// <summary>
    /// A generic method instantiation, or a method of an instantiated generic type: differentiated as its
    /// monomorphized copy (<see cref="GenericInstantiation"/>, which rejects arguments other than double/float).
    /// </summary>
    public bool IsInstantiable =>
        Kind == CallTargetKind.Generic
        && (Reference is GenericInstanceMethod || !Definition!.HasGenericParameters)
        && (!Definition!.DeclaringType.HasGenericParameters || Reference.DeclaringType is GenericInstanceType);

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
        // A receiver created right here by newobj has an exact type: the call reaches that type's implementation.
        if (instruction.Opcode == Opcode.CallVirtual && definition is { IsVirtual: true } && ImplementationFor(instruction.Operands[0], definition) is { } implementation)
            return new CallTarget(implementation, implementation, KindOf(implementation, implementation, isDispatched: false));
        return new CallTarget(reference, definition, KindOf(reference, definition, instruction.Opcode == Opcode.CallVirtual));
    }

    private static CallTargetKind KindOf(MethodReference reference, MethodDefinition? definition, bool isDispatched)
    {
        if (definition == null)
            return CallTargetKind.NoBody;
        if (IsFramework(definition.Module))
            return CallTargetKind.Framework;
        // C# emits callvirt for every instance call; only a virtual target that a derived type may override is unknown.
        if (isDispatched && definition.IsVirtual && !definition.IsFinal && !definition.DeclaringType.IsSealed)
            return CallTargetKind.Virtual;
        if (!definition.HasBody || definition.Body.Instructions.Count == 0)
            return CallTargetKind.NoBody;
        if (reference is GenericInstanceMethod || definition.HasGenericParameters || definition.DeclaringType.HasGenericParameters)
            return CallTargetKind.Generic;
        return CallTargetKind.Body;
    }

    /// <summary>
    /// The method a virtual or interface call on <paramref name="receiver"/> runs when the receiver is an object
    /// created by <c>newobj</c> in the same method: the first implementation of <paramref name="slot"/> up from its
    /// exact type (an override by name and signature, or an explicit interface implementation). Null otherwise.
    /// </summary>
    private static MethodDefinition? ImplementationFor(Value receiver, MethodDefinition slot)
    {
        if (ExactType(receiver) is not { } created)
            return null;
        for (var type = ResolveType(created); type != null; type = type.BaseType is { } baseType ? ResolveType(baseType) : null)
        {
            if (type.HasGenericParameters)
                return null;
            var implementation = type.Methods.FirstOrDefault(m => m.IsVirtual && (m.Overrides.Any(o => Resolve(o) == slot) || Implements(m, slot)));
            if (implementation != null)
                return implementation.IsAbstract ? null : implementation;
        }
        return null;
    }

    /// <summary>The class an object created in the method has: by <c>newobj</c>, or uninitialized for an inlined constructor (Memory.ConstructorInlining).</summary>
    private static TypeReference? ExactType(Value receiver) => receiver switch
    {
        Instruction { Opcode: Opcode.NewObject, Member: MethodReference constructor } => constructor.DeclaringType,
        Instruction { Opcode: Opcode.CastClass, Operands: [Instruction allocation] } cast when Analysis.ShadowAllocations.IsUninitializedObject(allocation) => cast.TypeOperand,
        _ => null,
    };

    private static bool Implements(MethodDefinition method, MethodDefinition slot) =>
        method.Name == slot.Name && method.Parameters.Count == slot.Parameters.Count
        && method.ReturnType.FullName == slot.ReturnType.FullName
        && method.Parameters.Zip(slot.Parameters, (a, b) => a.ParameterType.FullName == b.ParameterType.FullName).All(same => same);

    private static TypeDefinition? ResolveType(TypeReference type)
    {
        try
        {
            return type.Resolve();
        }
        catch (AssemblyResolutionException)
        {
            return null;
        }
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
