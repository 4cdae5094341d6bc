using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Diagnostics;
using Autodiff.Weaver.Frontend;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Autodiff.Weaver.Differentiation.Calls;

/// <summary>
/// A generic method, or a method of a generic type, at one closed instantiation — <c>double</c>/<c>float</c>, an
/// integer index type, a user struct or class, nested generic types — as a non-generic copy of its IL that the
/// lifter reads like any other method (monomorphization, as Enzyme sees generics after LLVM has specialized them).
/// Generic math reached through <c>constrained.</c> calls to static abstract interface members becomes what the
/// type implements: on <c>double</c>/<c>float</c> operators become CIL arithmetic and comparisons, <c>One</c>/<c>Zero</c>
/// constants, and other members (<c>T.Sin</c>, <c>T.Sqrt</c>, …) the type's own static, which the rule table knows;
/// on <c>int</c>/<c>long</c> operators and constants become CIL too; an interface method called on a struct type
/// argument becomes a direct call of the struct's implementation (so a struct passed to it is inlined and
/// scalarized like any struct method); anything else keeps its <c>constrained.</c> call on the now exact type,
/// which the runtime resolves (inactive: it carries no float/double derivative).
/// The copy is attached to the generic method's declaring type but not added to it, so it is never written; members
/// of generic types it reaches are referenced through their instantiation (<c>Box&lt;double&gt;.Half</c>).
/// </summary>
public static class GenericInstantiation
{
    private static readonly Dictionary<string, OpCode> Operators = new()
    {
        ["op_Addition"] = OpCodes.Add, ["op_Subtraction"] = OpCodes.Sub, ["op_Multiply"] = OpCodes.Mul,
        ["op_Division"] = OpCodes.Div, ["op_Modulus"] = OpCodes.Rem, ["op_UnaryNegation"] = OpCodes.Neg,
        ["op_UnaryPlus"] = OpCodes.Nop, ["op_LessThan"] = OpCodes.Clt, ["op_GreaterThan"] = OpCodes.Cgt, ["op_Equality"] = OpCodes.Ceq,
    };

    /// <summary>The non-generic copy of <paramref name="instance"/>; throws AD3004 at <paramref name="call"/> for what it cannot copy.</summary>
    public static MethodDefinition Instantiate(MethodReference instance, MethodDefinition generic, Ir.Instruction call)
    {
        var typeArguments = instance.DeclaringType as GenericInstanceType;
        var methodArguments = instance as GenericInstanceMethod;
        var arguments = (typeArguments?.GenericArguments ?? Enumerable.Empty<TypeReference>()).Concat(methodArguments?.GenericArguments ?? Enumerable.Empty<TypeReference>());
        if (arguments.Any(a => a.ContainsGenericParameter))
            throw Unsupported(call, instance, "its type arguments are still open generic parameters (the call is inside generic code that is not instantiated where it is differentiated)");
        if (generic.Body.HasExceptionHandlers)
            throw Unsupported(call, instance, "exception handlers in generic callees are not supported yet");
        TypeReference Substitute(TypeReference type) => GenericSubstitution.Substitute(type, typeArguments, methodArguments);

        // An instance method of a generic type becomes static with its receiver, typed by the instantiation, first:
        // the open type cannot be named in a signature, and argument numbers stay as they were.
        var explicitThis = generic.HasThis && typeArguments != null;
        var copy = new MethodDefinition(generic.Name, generic.Attributes & ~MethodAttributes.Virtual, Substitute(generic.ReturnType))
        {
            DeclaringType = generic.DeclaringType, HasThis = generic.HasThis && !explicitThis,
        };
        if (explicitThis)
        {
            copy.IsStatic = true;
            // A struct's receiver is its address.
            copy.Parameters.Add(new ParameterDefinition("this", ParameterAttributes.None, generic.DeclaringType.IsValueType ? new ByReferenceType(typeArguments) : typeArguments));
        }
        foreach (var parameter in generic.Parameters)
            copy.Parameters.Add(new ParameterDefinition(parameter.Name, parameter.Attributes, Substitute(parameter.ParameterType)));
        var body = copy.Body;
        body.InitLocals = generic.Body.InitLocals;
        foreach (var local in generic.Body.Variables)
            body.Variables.Add(new VariableDefinition(Substitute(local.VariableType)));

        // Index −1 is this; a receiver that became the first parameter shifts the others by one.
        ParameterDefinition ParameterAt(int index) =>
            explicitThis ? copy.Parameters[index + 1] : index < 0 ? body.ThisParameter : copy.Parameters[index];

        var map = new Dictionary<Instruction, Instruction>();
        var il = body.GetILProcessor();
        TypeReference? constrained = null;
        foreach (var instruction in generic.Body.Instructions)
        {
            var first = il.Body.Instructions.Count;
            if (instruction.OpCode.Code == Code.Constrained)
            {
                constrained = Substitute((TypeReference)instruction.Operand);
                il.Append(il.Create(OpCodes.Nop));
            }
            else if (constrained != null && instruction.Operand is MethodReference member)
            {
                if (!AppendResolved(il, member, constrained))
                {
                    // The placeholder of the prefix becomes the prefix again, on the exact type.
                    var prefix = il.Body.Instructions[first - 1];
                    prefix.OpCode = OpCodes.Constrained;
                    prefix.Operand = constrained;
                    il.Append(CopyOf(il, instruction, Substitute, ParameterAt, call, instance));
                }
                constrained = null;
            }
            else
            {
                il.Append(CopyOf(il, instruction, Substitute, ParameterAt, call, instance));
            }
            map[instruction] = il.Body.Instructions[first];
        }
        foreach (var instruction in body.Instructions)
        {
            if (instruction.Operand is Instruction target)
                instruction.Operand = map[target];
            else if (instruction.Operand is Instruction[] targets)
                instruction.Operand = targets.Select(t => map[t]).ToArray();
        }
        foreach (var point in generic.DebugInformation.SequencePoints)
        {
            var original = generic.Body.Instructions.First(i => i.Offset == point.Offset);
            copy.DebugInformation.SequencePoints.Add(new SequencePoint(map[original], point.Document)
            {
                StartLine = point.StartLine, StartColumn = point.StartColumn, EndLine = point.EndLine, EndColumn = point.EndColumn,
            });
        }
        return copy;
    }

    private static Instruction CopyOf(
        ILProcessor il, Instruction instruction, System.Func<TypeReference, TypeReference> substitute, System.Func<int, ParameterDefinition> parameterAt, Ir.Instruction call, MethodReference instance)
    {
        var copy = il.Create(OpCodes.Nop);
        copy.OpCode = instruction.OpCode;
        copy.Operand = instruction.Operand switch
        {
            TypeReference type => substitute(type),
            GenericInstanceMethod method => Instantiated(method, substitute),
            MethodReference method when method.DeclaringType is GenericParameter => throw Unsupported(call, instance, $"{method.FullName} on a generic parameter"),
            MethodReference method when method.DeclaringType is GenericInstanceType => Through(method, substitute),
            FieldReference field when field.DeclaringType is GenericInstanceType => new FieldReference(field.Name, field.FieldType, substitute(field.DeclaringType)),
            VariableDefinition variable => il.Body.Variables[variable.Index],
            ParameterDefinition parameter => parameterAt(parameter.Index),
            var other => other,
        };
        return copy;
    }

    private static MethodReference Instantiated(GenericInstanceMethod method, System.Func<TypeReference, TypeReference> substitute)
    {
        var element = method.ElementMethod.DeclaringType is GenericInstanceType ? Through(method.ElementMethod, substitute) : method.ElementMethod;
        var result = new GenericInstanceMethod(element);
        foreach (var argument in method.GenericArguments)
            result.GenericArguments.Add(substitute(argument));
        return result;
    }

    /// <summary>
    /// <paramref name="method"/> referenced through its declaring type's instantiation; its signature stays as
    /// declared (in terms of <c>!0</c>), as CIL references members of generic instances.
    /// </summary>
    private static MethodReference Through(MethodReference method, System.Func<TypeReference, TypeReference> substitute)
    {
        var result = new MethodReference(method.Name, method.ReturnType, substitute(method.DeclaringType))
        {
            HasThis = method.HasThis, ExplicitThis = method.ExplicitThis, CallingConvention = method.CallingConvention,
        };
        foreach (var parameter in method.Parameters)
            result.Parameters.Add(new ParameterDefinition(parameter.ParameterType));
        foreach (var parameter in method.GenericParameters)
            result.GenericParameters.Add(new GenericParameter(parameter.Name, result));
        return result;
    }

    /// <summary>
    /// What <c>constrained. T call I::member</c> is for the exact <paramref name="type"/>, appended; false when the
    /// constrained call itself is kept (an integer type's other members, reference types, other value types).
    /// </summary>
    private static bool AppendResolved(ILProcessor il, MethodReference member, TypeReference type)
    {
        if (member.HasThis)
            return AppendStructImplementation(il, member, type);
        if (CallTarget.IsFloating(type))
            return AppendFloatingStatic(il, member, type);
        return type.MetadataType is MetadataType.Int32 or MetadataType.Int64 && AppendIntegerStatic(il, member, type.MetadataType == MetadataType.Int64);
    }

    /// <summary><c>constrained. S callvirt I::M</c> on a struct S implementing M: <c>call S::M</c> on the same address.</summary>
    private static bool AppendStructImplementation(ILProcessor il, MethodReference member, TypeReference type)
    {
        if (!type.IsValueType || type.IsGenericInstance || CallTarget.Resolve(member) is not { } slot || type.Resolve() is not { } definition)
            return false;
        var implementation = definition.Methods.FirstOrDefault(m => !m.IsStatic && (m.Overrides.Any(o => CallTarget.Resolve(o) == slot)
            || m.Name == member.Name && m.Parameters.Count == member.Parameters.Count && m.Parameters.Select(p => p.ParameterType.FullName).SequenceEqual(member.Parameters.Select(p => p.ParameterType.FullName))));
        if (implementation == null || implementation.HasGenericParameters)
            return false;
        il.Append(il.Create(OpCodes.Call, il.Body.Method.Module.ImportReference(implementation)));
        return true;
    }

    /// <summary>
    /// What <c>constrained. T call I::member</c> is for T = double or float; false when the type has no such
    /// non-generic static (<c>T.CreateChecked(k)</c>: the constrained call is kept and reaches the rule table's check).
    /// </summary>
    private static bool AppendFloatingStatic(ILProcessor il, MethodReference member, TypeReference type)
    {
        var isDouble = type.MetadataType == MetadataType.Double;
        if (AppendOperator(il, member.Name, unordered: true, () => isDouble ? il.Create(OpCodes.Ldc_R8, 1.0) : il.Create(OpCodes.Ldc_R4, 1f)))
            return true;
        if (member.Name is "get_One" or "get_Zero")
        {
            var value = member.Name == "get_One" ? 1 : 0;
            il.Append(isDouble ? il.Create(OpCodes.Ldc_R8, (double)value) : il.Create(OpCodes.Ldc_R4, (float)value));
            return true;
        }
        var scalar = type.Resolve();
        var implementation = scalar?.Methods.FirstOrDefault(m => m.IsStatic && m.IsPublic && m.Name == member.Name && m.Parameters.Count == member.Parameters.Count
            && m.Parameters.All(p => p.ParameterType.MetadataType is MetadataType.Double or MetadataType.Single or MetadataType.Int32));
        if (implementation == null)
            return false;
        il.Append(il.Create(OpCodes.Call, il.Body.Method.Module.ImportReference(implementation)));
        return true;
    }

    /// <summary>Operators and <c>One</c>/<c>Zero</c> of <c>int</c>/<c>long</c> (an index type argument) as CIL; false for other members.</summary>
    private static bool AppendIntegerStatic(ILProcessor il, MethodReference member, bool isLong)
    {
        Instruction Constant(int value) => isLong ? il.Create(OpCodes.Ldc_I8, (long)value) : il.Create(OpCodes.Ldc_I4, value);
        // Integer division and remainder throw on zero and overflow like the operators they stand for.
        if (AppendOperator(il, member.Name, unordered: false, () => Constant(1)))
            return true;
        if (member.Name is not ("get_One" or "get_Zero"))
            return false;
        il.Append(Constant(member.Name == "get_One" ? 1 : 0));
        return true;
    }

    /// <summary>
    /// A generic-math operator as CIL; <paramref name="unordered"/> for floating types, whose negated compares must
    /// be unordered to give C#'s answer for NaN (a ≥ b is !(a &lt; b) only without NaN).
    /// </summary>
    private static bool AppendOperator(ILProcessor il, string name, bool unordered, System.Func<Instruction> one)
    {
        if (Operators.TryGetValue(name, out var opcode))
        {
            il.Append(il.Create(opcode));
            return true;
        }
        switch (name)
        {
            case "op_Increment":
            case "op_Decrement":
                il.Append(one());
                il.Append(il.Create(name == "op_Increment" ? OpCodes.Add : OpCodes.Sub));
                return true;
            case "op_GreaterThanOrEqual":
            case "op_LessThanOrEqual":
            case "op_Inequality":
                var compare = name switch
                {
                    "op_GreaterThanOrEqual" => unordered ? OpCodes.Clt_Un : OpCodes.Clt,
                    "op_LessThanOrEqual" => unordered ? OpCodes.Cgt_Un : OpCodes.Cgt,
                    _ => OpCodes.Ceq,
                };
                il.Append(il.Create(compare));
                il.Append(il.Create(OpCodes.Ldc_I4_0));
                il.Append(il.Create(OpCodes.Ceq));
                return true;
            default:
                return false;
        }
    }

    private static WeaverException Unsupported(Ir.Instruction call, MethodReference instance, string what) =>
        new(DiagnosticCode.UnsupportedCall,
            $"cannot differentiate call to {instance.DeclaringType.FullName}.{instance.Name}"
            + (instance is GenericInstanceMethod method ? $"<{string.Join(", ", method.GenericArguments.Select(a => a.Name))}>" : string.Empty)
            + $": {what}; call it from code whose type arguments are known, or a non-generic overload",
            call.DebugLocation);
}
