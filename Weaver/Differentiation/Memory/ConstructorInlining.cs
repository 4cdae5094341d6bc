using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Analysis;
using Autodiff.Weaver.Diagnostics;
using Autodiff.Weaver.Frontend;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Optimization;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Memory;

/// <summary>
/// Replaces <c>new C(args)</c> of a class whose constructor does work (field initializers, arguments stored into
/// fields, computations, a base constructor, a chained <c>this(…)</c>, control flow) by an uninitialized object —
/// <c>(C)RuntimeHelpers.GetUninitializedObject(typeof(C))</c>, all fields zero, as <c>newobj</c> allocates it — and
/// the constructor chain's bodies inlined on it, down to <c>System.Object</c>'s empty one. Enzyme sees a C++
/// constructor after inlining the same way: an allocation followed by ordinary stores, which the memory support
/// differentiates like any other; the allocation gets a zeroed shadow of the same type
/// (<see cref="ShadowAllocations.IsUninitializedObject"/>). Only classes that may hold derivatives are rewritten
/// (a float/double or differentiable struct field, an array, list or such class in a field); a constructor that
/// cannot be inlined is kept, and <see cref="WhyKept"/> says why, for the diagnostic when active values reach it.
/// </summary>
public static class ConstructorInlining
{
    /// <summary>Objects created inside inlined constructors are rewritten in turn, at most this many levels deep.</summary>
    private const int MaxRounds = 16;

    public static void Run(IrMethod method, ModuleDefinition woven)
    {
        if (method.Source == null)
            return;
        var bodies = new Dictionary<MethodDefinition, IrMethod?>();
        for (var round = 0; round < MaxRounds; round++)
        {
            var constructions = method.Blocks.SelectMany(b => b.Instructions)
                .Where(i => IsCandidate(i) && Refusal(method, (MethodReference)i.Member!, new HashSet<MethodDefinition>(), bodies, woven) == null)
                .ToList();
            if (constructions.Count == 0)
                return;
            foreach (var construction in constructions)
                Replace(method, construction, bodies, woven);
        }
    }

    /// <summary>
    /// Why <paramref name="construction"/> (a <c>newobj</c> of a class whose constructor does work) was kept; null
    /// when it is not one.
    /// </summary>
    public static string? WhyKept(Instruction construction, ModuleDefinition woven)
    {
        if (construction.Opcode != Opcode.NewObject || construction.Member is not MethodReference constructor
            || constructor.DeclaringType.IsValueType || ShadowAllocations.IsAllocation(construction))
            return null;
        var method = construction.Block!.Method;
        if (!MayHoldDerivatives(constructor.DeclaringType, new HashSet<string>()))
            return "its class has no field that could hold a derivative";
        return Refusal(method, constructor, new HashSet<MethodDefinition>(), new Dictionary<MethodDefinition, IrMethod?>(), woven)
            ?? "it is created inside more than " + MaxRounds + " nested constructors";
    }

    private static bool IsCandidate(Instruction instruction) =>
        instruction.Opcode == Opcode.NewObject && instruction.Member is MethodReference constructor
        && !constructor.DeclaringType.IsValueType && !ShadowAllocations.IsAllocation(instruction)
        && MayHoldDerivatives(constructor.DeclaringType, new HashSet<string>());

    /// <summary>
    /// A class of the method's own module with an instance field that could carry a derivative: float, double, a
    /// differentiable struct, an array, a <c>List&lt;float/double&gt;</c>, or such a class (through its hierarchy).
    /// </summary>
    private static bool MayHoldDerivatives(TypeReference type, HashSet<string> visited)
    {
        if (type.MetadataType is MetadataType.Double or MetadataType.Single || DifferentiableStruct.Is(type) || type.IsArray)
            return true;
        if (type is GenericInstanceType generic)
            return generic.ElementType.FullName == "System.Collections.Generic.List`1" && generic.GenericArguments[0].MetadataType is MetadataType.Double or MetadataType.Single;
        if (type.IsValueType || !visited.Add(type.FullName) || ResolveType(type) is not { } definition)
            return false;
        return definition.Fields.Any(f => !f.IsStatic && MayHoldDerivatives(f.FieldType, visited))
            || definition.BaseType != null && MayHoldDerivatives(definition.BaseType, visited);
    }

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

    /// <summary>
    /// Why <paramref name="constructor"/>'s chain cannot be inlined into <paramref name="caller"/>; null when it can.
    /// <paramref name="chain"/> holds the constructors being checked (a cycle is recursion).
    /// </summary>
    private static string? Refusal(IrMethod caller, MethodReference constructor, HashSet<MethodDefinition> chain, Dictionary<MethodDefinition, IrMethod?> bodies, ModuleDefinition woven)
    {
        if (constructor.DeclaringType.FullName == "System.Object")
            return null;
        var definition = MemberAccess.Resolve(constructor);
        if (definition == null || !definition.HasBody)
            return $"the body of {constructor.DeclaringType.Name}'s constructor is not available";
        if (!ReferenceEquals(definition.Module, caller.Module))
            return $"{definition.DeclaringType.Name}'s constructor lives in another assembly ({definition.Module.Assembly.Name.Name}), whose code is not inlined";
        if (constructor.DeclaringType is GenericInstanceType || definition.DeclaringType.HasGenericParameters)
            return $"{definition.DeclaringType.Name} is generic";
        if (definition.Body.HasExceptionHandlers)
            return $"{definition.DeclaringType.Name}'s constructor has exception handlers";
        if (!definition.DeclaringType.IsBeforeFieldInit && definition.DeclaringType.Methods.Any(m => m.IsConstructor && m.IsStatic))
            return $"{definition.DeclaringType.Name} has a static constructor, which `new` would run first";
        if (!chain.Add(definition))
            return $"{definition.DeclaringType.Name}'s constructor is recursive";
        var body = Body(definition, bodies, woven);
        if (body == null || caller.Source == null || !IsAccessibleFrom(body, caller.Source.DeclaringType))
            return $"{definition.DeclaringType.Name}'s constructor does not lift, or names a member {caller.Source?.DeclaringType.Name} may not access";
        // The base (or chained this(…)) constructor called on the object, and objects the constructor creates of its own class.
        foreach (var call in body.Blocks.SelectMany(b => b.Instructions).Where(i => IsConstructorCallOn(i, body.Parameters[0]) || IsOwnConstruction(i, definition)))
        {
            if (Refusal(caller, (MethodReference)call.Member!, chain, bodies, woven) is { } reason)
                return reason;
        }
        chain.Remove(definition);
        return null;
    }

    private static bool IsOwnConstruction(Instruction instruction, MethodDefinition constructor) =>
        instruction.Opcode == Opcode.NewObject && instruction.Member is MethodReference created && created.DeclaringType.FullName == constructor.DeclaringType.FullName;

    /// <summary>A constructor called on <paramref name="self"/> (<c>base(…)</c>, <c>this(…)</c>): a call, not a <c>newobj</c>.</summary>
    private static bool IsConstructorCallOn(Instruction instruction, Value self) =>
        instruction.Opcode == Opcode.Call && instruction.Member is MethodReference { Name: ".ctor", HasThis: true } && instruction.Operands.Count > 0 && instruction.Operands[0] == self;

    private static IrMethod? Body(MethodDefinition constructor, Dictionary<MethodDefinition, IrMethod?> bodies, ModuleDefinition woven)
    {
        if (bodies.TryGetValue(constructor, out var known))
            return known;
        IrMethod? body;
        try
        {
            body = MethodLifter.Lift(constructor);
            if (body.Regions.Count > 0 || body.Blocks.SelectMany(b => b.Instructions).Any(i => i.Opcode is Opcode.LocalAlloc or Opcode.ArgumentList or Opcode.Jump))
                body = null;
            else
                Bcl.BclLowering.Run(body, woven);
        }
        catch (WeaverException)
        {
            body = null;
        }
        bodies.Add(constructor, body);
        return body;
    }

    private static bool IsAccessibleFrom(IrMethod callee, TypeDefinition caller) =>
        callee.Blocks.SelectMany(b => b.Instructions).All(i =>
            (i.Member == null || MemberAccess.IsAccessible(i.Member, caller))
            && (i.TypeOperand == null || MemberAccess.IsAccessible(i.TypeOperand, caller))
            && (i.Signature == null || MemberAccess.IsAccessible(i.Signature.ReturnType, caller)));

    /// <summary>
    /// <c>newobj C(args)</c> → <c>o = (C)RuntimeHelpers.GetUninitializedObject(typeof(C))</c> and the constructor's body on
    /// <c>o</c>, then each base or chained constructor's body in turn (<c>System.Object</c>'s call dropped).
    /// </summary>
    private static void Replace(IrMethod method, Instruction construction, Dictionary<MethodDefinition, IrMethod?> bodies, ModuleDefinition woven)
    {
        var constructor = (MethodReference)construction.Member!;
        var type = constructor.DeclaringType;
        var builder = new IrBuilder(method).Before(construction);
        builder.DebugLocation = construction.DebugLocation;
        var core = woven.TypeSystem.CoreLibrary;
        var systemType = new TypeReference("System", "Type", woven, core);
        var handleType = new TypeReference("System", "RuntimeTypeHandle", woven, core, true);
        var token = builder.Emit(Opcode.LoadToken, handleType);
        token.TypeOperand = type;
        var fromHandle = new MethodReference("GetTypeFromHandle", systemType, systemType);
        fromHandle.Parameters.Add(new ParameterDefinition(handleType));
        var runtimeType = builder.Call(fromHandle, systemType, new Value[] { token });
        var allocate = new MethodReference("GetUninitializedObject", woven.TypeSystem.Object, new TypeReference("System.Runtime.CompilerServices", "RuntimeHelpers", woven, core));
        allocate.Parameters.Add(new ParameterDefinition(systemType));
        var raw = builder.Call(allocate, woven.TypeSystem.Object, new Value[] { runtimeType });
        var instance = builder.Emit(Opcode.CastClass, type, raw);
        instance.TypeOperand = type;
        var call = builder.Call(constructor, method.Types.Void, construction.Operands.Prepend(instance).ToList());
        construction.ReplaceAllUsesWith(instance);
        construction.Remove();
        for (var pending = new Queue<Instruction>(new[] { call }); pending.Count > 0;)
        {
            var next = pending.Dequeue();
            var target = (MethodReference)next.Member!;
            if (target.DeclaringType.FullName == "System.Object")
            {
                next.Remove();
                continue;
            }
            var known = new HashSet<Instruction>(method.Blocks.SelectMany(b => b.Instructions));
            InlineCalls.Inline(method, next, Body(MemberAccess.Resolve(target)!, bodies, woven)!);
            foreach (var added in method.Blocks.SelectMany(b => b.Instructions).Where(i => !known.Contains(i) && IsConstructorCallOn(i, instance)))
                pending.Enqueue(added);
        }
    }
}
